"""Site geofences for admins, in GeoJSON: a Feature with the outline and name, tolerance, description."""
import marshmallow as ma

from api.auth.principal import login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Flag, Number, Text
from api.context import db, opsta
from engine.sites.service import create_site, get_site_or_404, list_sites, retire_site, update_site

blp = Blueprint("sites", __name__, url_prefix="/api/sites", description="Office sites (geofences), role admin")


class SiteProperties(ma.Schema):
    name = Text(required=True, validate=ma.validate.Length(min=1, max=100))
    description = Text(load_default="")
    tolerance_m = Number(load_default=None, allow_none=True, validate=ma.validate.Range(min=0, max=5000))


class SiteFeatureIn(ma.Schema):
    type = Text(required=True, validate=ma.validate.Equal("Feature"))
    geometry = ma.fields.Raw(required=True, allow_none=True,
                             metadata={"description": "GeoJSON Polygon or MultiPolygon, [longitude, latitude]"})
    properties = ma.fields.Nested(SiteProperties, required=True)


class SitePropertiesUpdate(SiteProperties):
    name = Text(validate=ma.validate.Length(min=1, max=100))
    active = Flag()


class SiteFeatureUpdate(ma.Schema):
    type = Text(validate=ma.validate.Equal("Feature"))
    geometry = ma.fields.Raw(allow_none=True)
    properties = ma.fields.Nested(SitePropertiesUpdate, load_default=dict)


class SiteFeature(ma.Schema):
    type = ma.fields.Constant("Feature")
    id = ma.fields.Integer()
    geometry = ma.fields.Raw()
    properties = ma.fields.Function(lambda site: {
        "name": site.name, "description": site.description, "tolerance_m": site.tolerance_m,
        "active": site.active, "updated_at": site.updated_at.isoformat()})


class SiteCollection(ma.Schema):
    type = ma.fields.Constant("FeatureCollection")
    features = ma.fields.List(ma.fields.Nested(SiteFeature))


def _sites_changed():
    """This process tags with the new outlines at once; other processes notice within seconds."""
    opsta().geofence.sites.invalidate()


@blp.route("")
@blp.response(200, SiteCollection)
@login_required(roles=("admin",))
def list_all():
    """Every active site as a GeoJSON FeatureCollection."""
    return {"features": list_sites(session=db())}


@blp.route("", methods=["POST"])
@blp.arguments(SiteFeatureIn)
@blp.response(201, SiteFeature)
@login_required(roles=("admin",))
def create(feature):
    """Add a site. A bad outline gets a 422 that says what is wrong and where."""
    props = feature["properties"]
    site = create_site(session=db(), name=props["name"], geometry=feature["geometry"],
                       tolerance_m=props["tolerance_m"], description=props["description"])
    _sites_changed()
    return site


@blp.route("/<int:site_id>")
@blp.response(200, SiteFeature)
@login_required(roles=("admin",))
def get(site_id):
    """One site."""
    return get_site_or_404(session=db(), site_id=site_id)


@blp.route("/<int:site_id>", methods=["PUT"])
@blp.arguments(SiteFeatureUpdate)
@blp.response(200, SiteFeature)
@login_required(roles=("admin",))
def update(feature, site_id):
    """Change a site's outline or properties; only what is given changes."""
    site = get_site_or_404(session=db(), site_id=site_id)
    props = feature["properties"]
    site = update_site(session=db(), site=site, name=props.get("name"), geometry=feature.get("geometry"),
                       tolerance_m=props.get("tolerance_m"), description=props.get("description"),
                       active=props.get("active"),
                       clear_tolerance="tolerance_m" in props and props["tolerance_m"] is None)
    _sites_changed()
    return site


@blp.route("/<int:site_id>", methods=["DELETE"])
@blp.response(204)
@login_required(roles=("admin",))
def delete(site_id):
    """Retire a site: no new punches are tagged to it; old punches keep it."""
    retire_site(session=db(), site=get_site_or_404(session=db(), site_id=site_id))
    _sites_changed()
