"""Reading one employee. Unknown and forbidden codes get the same 404, so codes can't be probed."""

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.directory_schemas import EmployeeSchema
from api.context import db
from engine.directory.access import visible_employee

blp = Blueprint("employees", __name__, url_prefix="/api/employees", description="The org directory")


@blp.route("/<string:code>")
@blp.response(200, EmployeeSchema)
@login_required()
def get_employee(code):
    """One employee: for hr/admin, the employee themself, and everyone above them in the reporting line."""
    return visible_employee(session=db(), viewer=current_employee(), code=code)
