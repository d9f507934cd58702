"""A request's process, read-only: the diagram of the version it runs on, its completed steps and the
task it waits on highlighted. For hr, admin and the request's approvers (their acting approvers
included); anyone else, the requester too, gets the one 404 page.
"""
from __future__ import annotations

from werkzeug.exceptions import NotFound

from api.security_headers import allow_style_attributes
from engine.directory.profile import local_today
from engine.models import ApprovalRequest
from engine.workflow.host import clock_now
from engine.workflow.progress import may_see_process, request_progress, request_tasks
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in


@bp.route("/requests/<int:request_id>/process")
@signed_in
def request_process(viewer: Viewer, request_id: int):
    request = viewer.db.get(ApprovalRequest, request_id)
    if request is None or not may_see_process(session=viewer.db, viewer=viewer.employee, request=request,
                                              today=local_today(viewer.settings)):
        raise NotFound()
    progress = request_progress(session=viewer.db, request=request, now=clock_now().now,
                                timezone=viewer.settings.timezone)
    if progress is None or progress.bpmn_xml is None:
        raise NotFound()
    allow_style_attributes()
    config = {"xml": progress.bpmn_xml, "markers": {"opsta-completed": progress.completed,
                                                      "opsta-current": progress.current}}
    return render_screen("processes/instance.html", request=request, progress=progress, config=config,
                         tasks=request_tasks(session=viewer.db, request=request))
