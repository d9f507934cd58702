"""The org unit tree."""

from api.auth.principal import login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import UnitSchema
from api.context import db
from engine.directory.units import unit_tree

blp = Blueprint("org", __name__, url_prefix="/api/org", description="Org units")


@blp.route("/units")
@blp.response(200, UnitSchema(many=True))
@login_required()
def units():
    """Every org unit with its parent and head, parents before children."""
    return unit_tree(session=db())
