"""The approver's inbox: list tasks and decide them, one by one or in bulk."""

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.request_schemas import BulkIn, BulkOut, DecisionIn, TaskOut
from api.context import db, opsta
from engine.directory.profile import local_today
from engine.requests import flows
from engine.requests.queries import task_view
from engine.workflow.host import inbox

blp = Blueprint("tasks", __name__, url_prefix="/api/tasks", description="Approval tasks (the inbox)")


@blp.route("")
@blp.response(200, TaskOut(many=True))
@login_required()
def my_inbox():
    """Open tasks the caller may decide: their own, hr's for hr members, and those delegated to them."""
    tasks = inbox(session=db(), employee=current_employee(), today=local_today(opsta().settings))
    return [task_view(db(), task) for task in tasks]


@blp.route("/<int:task_id>/complete", methods=["POST"])
@blp.arguments(DecisionIn)
@blp.response(200, TaskOut)
@login_required()
def complete(data, task_id):
    """Decide one task: approve, reject or return. 409 when someone already decided it."""
    task = flows.complete_task(session=db(), settings=opsta().settings, employee=current_employee(),
                               task_id=task_id, decision=data["decision"], comment=data["comment"])
    return task_view(db(), task)


@blp.route("/complete", methods=["POST"])
@blp.arguments(BulkIn)
@blp.response(200, BulkOut)
@login_required()
def complete_many(data):
    """Decide several tasks; each has its own result (one failing does not undo the others)."""
    items = [flows.BulkItem(i["task_id"], i["decision"], i["comment"]) for i in data["items"]]
    return {"results": flows.complete_tasks(session=db(), settings=opsta().settings, employee=current_employee(),
                                            items=items)}
