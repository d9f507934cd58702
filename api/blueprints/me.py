"""The caller's own profile and team."""

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import MeSchema, PersonRef
from api.context import db, opsta
from engine.directory.profile import my_profile
from engine.directory.service import direct_subordinates

blp = Blueprint("me", __name__, url_prefix="/api/me", description="The signed-in employee")


@blp.route("")
@blp.response(200, MeSchema)
@login_required()
def me():
    """Profile, roles, unit and today's schedule."""
    return my_profile(session=db(), settings=opsta().settings, employee=current_employee())


@blp.route("/subordinates")
@blp.response(200, PersonRef(many=True))
@login_required()
def subordinates():
    """Direct subordinates, each with code, Thai name and position."""
    return direct_subordinates(session=db(), employee_id=current_employee().id)
