"""A request's process, read-only: the diagram of the version it runs on, its completed steps and the
task it waits on highlighted. For hr, admin and the request's approvers (their acting approvers
included); anyone else, the requester too, gets the one 404 page.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from werkzeug.exceptions import NotFound

from api.security_headers import allow_style_attributes
from engine.directory.profile import local_today
from engine.models import ApprovalRequest, InboxTask
from engine.requests.queries import WIDE_ROLES
from engine.workflow.assignment import active_delegators
from engine.workflow.host import clock_now
from engine.workflow.progress import request_progress
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in


def _may_see_process(viewer: Viewer, request: ApprovalRequest) -> bool:
    if viewer.roles & WIDE_ROLES:
        return True
    people = {viewer.employee.id} | active_delegators(session=viewer.db, delegate_id=viewer.employee.id,
                                                      today=local_today(viewer.settings))
    return viewer.db.scalar(select(InboxTask.id).where(
        InboxTask.request_id == request.id, InboxTask.lane != "requester",
        or_(InboxTask.assignee_id.in_(people), InboxTask.completed_by_id == viewer.employee.id)).limit(1)) is not None


@bp.route("/requests/<int:request_id>/process")
@signed_in
def request_process(viewer: Viewer, request_id: int):
    request = viewer.db.get(ApprovalRequest, request_id)
    if request is None or not viewer.employee.active or not _may_see_process(viewer, request):
        raise NotFound()
    progress = request_progress(session=viewer.db, request=request, now=clock_now().now,
                                timezone=viewer.settings.timezone)
    if progress is None or progress.bpmn_xml is None:
        raise NotFound()
    allow_style_attributes()
    config = {"xml": progress.bpmn_xml, "markers": {"opsta-completed": progress.completed,
                                                      "opsta-current": progress.current}}
    return render_screen("processes/instance.html", request=request, progress=progress, config=config,
                         tasks=list(viewer.db.scalars(select(InboxTask).where(InboxTask.request_id == request.id)
                                                     .order_by(InboxTask.created_at, InboxTask.id))))
