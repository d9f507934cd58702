"""Who belongs to a site (its units and named employees): whose photos its terminals may receive, role admin."""
import marshmallow as ma

from api.auth.principal import login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import EmployeeRef
from api.blueprints.fields import Text
from api.context import db
from engine.sites.members import site_members
from engine.sites.service import get_site_or_404
from engine.terminals.site_members import change_site_members

blp = Blueprint("site_members", __name__, url_prefix="/api/sites",
                description="Site members: units and employees at a site, role admin (hr reads)")


class SiteMembersIn(ma.Schema):
    unit_codes = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=32)), load_default=list,
                                validate=ma.validate.Length(max=500),
                                metadata={"description": "units working at the site (with every unit below them)"})
    employee_codes = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=16)), load_default=list,
                                    validate=ma.validate.Length(max=5000),
                                    metadata={"description": "employees at the site whatever their unit"})


class SiteUnitRef(ma.Schema):
    code = ma.fields.String()
    name_th = ma.fields.String()
    name_en = ma.fields.String()


class SiteMembersOut(ma.Schema):
    site_id = ma.fields.Function(lambda members: members.site.id)
    units = ma.fields.List(ma.fields.Nested(SiteUnitRef))
    employees = ma.fields.List(ma.fields.Nested(EmployeeRef))


@blp.route("/<int:site_id>/members")
@blp.response(200, SiteMembersOut)
@login_required(roles=("admin", "hr"))
def get(site_id):
    """The site's units and explicitly named employees."""
    return site_members(session=db(), site=get_site_or_404(session=db(), site_id=site_id))


@blp.route("/<int:site_id>/members", methods=["PUT"])
@blp.arguments(SiteMembersIn)
@blp.response(200, SiteMembersOut)
@login_required(roles=("admin",))
def replace(body, site_id):
    """Replace the site's units and named employees; its terminals receive the photos of these people only, and
    whoever left is taken off them."""
    return change_site_members(session=db(), site=get_site_or_404(session=db(), site_id=site_id),
                            unit_codes=body["unit_codes"], employee_codes=body["employee_codes"])
