"""Pending approvals (`งานรออนุมัติ`): the approver's inbox, one task with what it needs to be decided, and
several approved at once.

The inbox lists the tasks the viewer may decide (their own, hr's for hr members, a delegator's during
a delegation), oldest first, filtered by kind with `?kind=`. A task's page shows the request, the
requester's calendar day (punches and status) and the earlier decisions, and offers `อนุมัติ`,
`ไม่อนุมัติ` and `ส่งกลับแก้ไข` with a comment. When someone else decided the task a moment earlier, the
viewer is sent back to the inbox with `คำขอนี้ได้รับการพิจารณาไปแล้ว`, never an error page.
"""
from __future__ import annotations

from datetime import date

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from engine.attendance.calendar_for import calendar_for
from engine.directory.profile import local_today
from engine.directory.service import can_view_employee
from engine.errors import DomainError, InvalidInput
from engine.models import ApprovalRequest, InboxTask
from engine.requests import flows
from engine.requests.queries import can_view, request_view, task_view
from engine.requests.inbox import approval_tasks
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in
from web.request_input import KIND_TITLES, KINDS, REASON_CODE_LABELS
from web.request_words import DECISION_WORDS, LANE_WORDS, STATUS_WORDS, TIMELINE_WORDS, summary_line
from web.screens.calendar import PLAIN_LABELS, STATUS_LABELS

# A decision someone else already made, or a request that moved on: the task is gone from the inbox.
ALREADY_DECIDED = ("task_already_completed", "task_closed")
NOTICES = {
    "already": _l("This request has already been considered."),
    "decided": _l("Your decision was saved."),
}
DECISION_ORDER = ("approve", "reject", "return")


def _tasks(viewer: Viewer, *, kind: str | None = None) -> list[InboxTask]:
    return approval_tasks(session=viewer.db, employee=viewer.employee, today=local_today(viewer.settings), kind=kind)


def pending_approvals(viewer: Viewer) -> int:
    """The menu badge: how many tasks wait for the viewer (read once per request)."""
    cached = getattr(viewer, "_pending_approvals", None)
    if cached is None:
        cached = viewer._pending_approvals = len(_tasks(viewer))
    return cached


def may_approve(viewer: Viewer) -> bool:
    """Who sees `งานรออนุมัติ` in the menu: supervisors, hr, and anyone with a task waiting (a delegate)."""
    return viewer.is_supervisor or viewer.has_role("hr") or pending_approvals(viewer) > 0


@bp.route("/approvals")
@signed_in
def inbox(viewer: Viewer):
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"kind must be one of {KINDS}", code="kind_invalid")
    requester = request.args.get("requester") or None  # from the team's day: one person's requests
    tasks = [task_view(viewer.db, task) for task in _tasks(viewer, kind=kind)
             if requester is None or task.request.requester.code == requester]
    notice = NOTICES.get(request.args.get("notice", ""))
    return render_screen("approvals/inbox.html", tasks=tasks, kind=kind, kinds=KIND_TITLES, statuses=STATUS_WORDS,
                         summary_line=summary_line, notice=notice, approved=request.args.get("approved", type=int),
                         already=request.args.get("already", type=int))


def _requester_day(viewer: Viewer, found: ApprovalRequest, view: dict) -> tuple[date, dict | None]:
    """The requester's calendar on the request's (first) day: punches and status."""
    day = date.fromisoformat(view.get("date") or view["start_date"])
    month = calendar_for(session=viewer.db, settings=viewer.settings, employee=found.requester,
                         month=f"{day:%Y-%m}")
    return day, next((d for d in month["days"] if d["date"] == day), None)


def _status_text(day_info: dict | None) -> str:
    if not day_info:
        return ""
    labels = {**STATUS_LABELS, **PLAIN_LABELS}
    return ", ".join(str(labels.get(s, s)) for s in (day_info["statuses"] or [day_info["status"]]))


@bp.route("/approvals/<int:task_id>")
@signed_in
def approval_task(viewer: Viewer, task_id: int):
    task = viewer.db.get(InboxTask, task_id)
    if task is None or task.lane == "requester":
        raise NotFound()
    mine = any(t.id == task_id for t in _tasks(viewer))
    if not mine:
        # Decided (or withdrawn) a moment ago: say so to whoever could see it; anyone else gets the 404.
        if task.state != "open" and can_view(session=viewer.db, viewer=viewer.employee, request=task.request,
                                             today=local_today(viewer.settings)):
            return redirect(url_for("web.inbox", notice="already"))
        raise NotFound()
    found = task.request
    view = request_view(viewer.db, found, with_timeline=True)
    day, day_info = _requester_day(viewer, found, view)
    return render_screen("approvals/task.html", task=task_view(viewer.db, task, with_request=False), item=view,
                         day=day, day_info=day_info, kinds=KIND_TITLES, statuses=STATUS_WORDS, lanes=LANE_WORDS,
                         decisions=DECISION_WORDS, timeline_words=TIMELINE_WORDS, reason_codes=REASON_CODE_LABELS,
                         day_status_text=_status_text(day_info),
                         calendar_open=can_view_employee(session=viewer.db, viewer=viewer.employee,
                                                         employee=found.requester),
                         choices=[d for d in DECISION_ORDER if d in task.decisions])


@bp.route("/approvals/<int:task_id>", methods=["POST"])
@signed_in
def decide_task(viewer: Viewer, task_id: int):
    comment = (request.form.get("comment") or "").strip()[:2000] or None
    try:
        flows.complete_task(session=viewer.db, settings=viewer.settings, employee=viewer.employee, task_id=task_id,
                            decision=request.form.get("decision", ""), comment=comment)
    except DomainError as error:
        if error.code not in ALREADY_DECIDED:
            raise
        return redirect(url_for("web.inbox", notice="already"), 303)
    return redirect(url_for("web.inbox", notice="decided"), 303)


@bp.route("/approvals/approve", methods=["POST"])
@signed_in
def approve_selected(viewer: Viewer):
    """Approve every ticked task; each stands alone, and one decided elsewhere meanwhile is counted apart."""
    ids = [int(v) for v in request.form.getlist("task_id") if v.isdigit()][:200]
    if not ids:
        raise InvalidInput("Tick at least one request.", code="nothing_selected")
    comment = (request.form.get("comment") or "").strip()[:2000] or None
    results = flows.complete_tasks(session=viewer.db, settings=viewer.settings, employee=viewer.employee,
                                   items=[flows.BulkItem(task_id, "approve", comment) for task_id in ids])
    failed = [r for r in results if not r["ok"] and r.get("code") not in ALREADY_DECIDED]
    if failed:
        raise DomainError(failed[0]["detail"], code=failed[0]["code"], status=failed[0]["status"])
    approved = sum(1 for r in results if r["ok"])
    return redirect(url_for("web.inbox", approved=approved, already=len(results) - approved), 303)
