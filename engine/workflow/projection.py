"""Project workflow events into the inbox, the audit trail and the notification outbox.

Runs inside the host's transaction, so the state, the inbox and the messages either all change
or none does.

Notifications say what happened, once per event: each host operation tells the requester one
thing, decided from all of its events (`_tell_requester`): approved, rejected, cancelled (unless
they cancelled it themselves), returned to them for revision, or moved on to the next approver.
An approver is told of a task that waits for them, reminded of it, and told when it was withdrawn
because the request was cancelled; a step decided by the same approver's previous decision
(`repeated_steps`) tells nobody that it awaits them.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from engine.models import (ApprovalRequest, Employee, InboxTask, Notification, OutboxMessage, ProcessInstance,
                           WorkflowEventRow)
from engine.models.notifications import CONTENT_COLUMNS
from engine.workflow.assignment import recipients, resolve_lane
from engine.workflow.repeated_steps import SAME_APPROVER
from engine.workflow.runtime import UserTaskView, WorkflowEvent

TYPE_NAMES = {
    "overtime": ("การทำงานล่วงเวลา", "Overtime"),
    "offsite": ("การทำงานนอกสถานที่", "Off-site work"),
    "missed_punch": ("คำขอกรณีไม่สามารถบันทึกเวลาได้", "Missed punch"),
}
OUTCOME_NAMES = {"approved": ("อนุมัติแล้ว", "approved"), "rejected": ("ไม่อนุมัติ", "rejected"),
                 "cancelled": ("ยกเลิกแล้ว", "cancelled")}


def _label(request: ApprovalRequest) -> tuple[str, str]:
    th, en = TYPE_NAMES.get(request.type, (request.type, request.type))
    return f"{th} #{request.id}", f"{en} request #{request.id}"


AUDIT_COLUMNS = ("instance_id", "request_id", "actor_id", "at", "kind", "bpmn_id", "lane", "decision", "comment",
                 "detail")


def _rows_from_json(table: str, name: str, columns: tuple[str, ...]) -> str:
    listed = ", ".join(columns)
    return (f"INSERT INTO {table} ({listed}) SELECT {listed} "
            f"FROM json_populate_recordset(NULL::{table}, CAST(:{name} AS json))")


# PostgreSQL: the audit rows, the outbox, the notifications and (once an instance finished) the
# closing of its leftover open tasks, in one round trip. Each table's rows travel as one JSON array,
# so the statement text never changes with the row count (multi-row VALUES would be recompiled
# every time) and the server can keep it prepared. A NULL :closing_instance closes nothing.
_ALL_ROWS_AT_ONCE = text(
    "WITH closed AS (UPDATE inbox_tasks SET state = 'closed', completed_at = CAST(:now AS timestamptz) "
    "WHERE instance_id = CAST(:closing_instance AS integer) AND state = 'open'), "
    f"audits AS ({_rows_from_json('workflow_events', 'audits', AUDIT_COLUMNS)}), "
    f"outbox AS ({_rows_from_json('notification_outbox', 'outbox', CONTENT_COLUMNS + ('delivered_at',))}) "
    f"{_rows_from_json('notifications', 'notifications', CONTENT_COLUMNS)}")


def _json_rows(rows: list[dict]) -> str:
    return json.dumps(rows, default=datetime.isoformat, ensure_ascii=False)


class Projector:
    """Collects the rows one host operation writes besides the state."""

    def __init__(self, *, session: Session, instance: ProcessInstance, request: ApprovalRequest,
                 views: dict[str, UserTaskView], now: datetime, actor_id: int | None,
                 known_tasks: dict[str, InboxTask] | None = None):
        self.session, self.instance, self.request = session, instance, request
        self.views, self.now, self.actor_id = views, now, actor_id
        self.known_tasks = dict(known_tasks or {})
        self.audits: list[dict] = []
        self.messages: list[dict] = []
        self.closing_instance_id: int | None = None
        self._decided_now: set[str] = set()
        self._withdrawn: list[InboxTask] = []
        self._return_comment = ""

    def audit(self, kind: str, *, bpmn_id=None, lane=None, decision=None, comment=None, actor_id=None,
              detail=None) -> None:
        self.audits.append(dict(instance_id=self.instance.id, request_id=self.request.id, actor_id=actor_id,
                                at=self.now, kind=kind, bpmn_id=bpmn_id, lane=lane, decision=decision,
                                comment=comment, detail=detail or {}))

    def message(self, recipient_id: int, kind: str, title_th: str, title_en: str, body_th: str = "",
                body_en: str = "", **data) -> None:
        self.messages.append(dict(recipient_id=recipient_id, kind=kind, title_th=title_th, title_en=title_en,
                                  body_th=body_th, body_en=body_en, data={"request_id": self.request.id, **data},
                                  created_at=self.now))

    def write(self) -> None:
        """Write the collected audit rows and messages (and close leftover tasks of a finished instance).

        One statement on PostgreSQL, one per table elsewhere. Call it after the session's last
        flush of the step. In-app notifications are delivered in the same transaction, so their
        outbox rows are written already delivered; `engine.notifications.outbox.deliver_pending` is
        for rows another channel leaves behind.
        """
        audits, messages, closing = self.audits, self.messages, self.closing_instance_id
        self.audits, self.messages, self.closing_instance_id = [], [], None
        if not audits and not messages and closing is None:
            return
        outbox = [{**m, "delivered_at": self.now} for m in messages]
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(_ALL_ROWS_AT_ONCE, {
                "audits": _json_rows(audits), "outbox": _json_rows(outbox), "notifications": _json_rows(messages),
                "closing_instance": closing, "now": self.now})
            return
        if closing is not None:
            self.session.execute(update(InboxTask).where(InboxTask.instance_id == closing, InboxTask.state == "open")
                                 .values(state="closed", completed_at=self.now)
                                 .execution_options(synchronize_session=False))
        for table, rows in ((WorkflowEventRow.__table__, audits), (OutboxMessage.__table__, outbox),
                            (Notification.__table__, messages)):
            if rows:
                self.session.execute(insert(table), rows)

    def _task(self, task_guid: str | None) -> InboxTask | None:
        if task_guid is None:
            return None
        if task_guid not in self.known_tasks:
            self.known_tasks[task_guid] = self.session.scalar(select(InboxTask).where(InboxTask.task_guid == task_guid))
        return self.known_tasks[task_guid]

    def apply(self, events: list[WorkflowEvent]) -> None:
        self._decided_now = {e.task_id for e in events if e.kind == "decision" and e.detail.get(SAME_APPROVER)}
        self._withdrawn = []
        for event in events:
            getattr(self, f"_on_{event.kind}")(event)
        self._tell_requester(events)

    def _tell_requester(self, events: list[WorkflowEvent]) -> None:
        """One notification to the requester for this operation, saying what really happened."""
        th, en = _label(self.request)
        decisions = [e for e in events if e.kind == "decision" and e.lane != "requester"]
        comment = (decisions[-1].detail.get("comment") or "") if decisions else ""
        finished = next((e for e in events if e.kind == "finished"), None)
        if finished is not None:
            outcome = finished.detail.get("outcome")
            if outcome == "cancelled":
                self._tell_withdrawn(th, en)
            if outcome in OUTCOME_NAMES and not (outcome == "cancelled" and self.actor_id == self.request.requester_id):
                oth, oen = OUTCOME_NAMES[outcome]
                self.message(self.request.requester_id, f"request_{outcome}", f"{th}: {oth}", f"{en}: {oen}",
                             comment, comment, outcome=outcome)
            return
        approved = [e for e in decisions if e.detail.get("decision") == "approve"]
        waiting = [task for task in self.known_tasks.values()
                   if task is not None and task.state == "open" and task.lane != "requester"]
        if approved and waiting:
            task = waiting[-1]
            who = self.session.get(Employee, task.assignee_id) if task.assignee_id else None
            name_th = who.name_th if who else "ฝ่ายบุคคล"
            name_en = (who.name_en or who.name_th) if who else "hr"
            self.message(self.request.requester_id, "request_forwarded",
                         f"{th}: อนุมัติขั้นนี้แล้ว ส่งต่อให้ {name_th} พิจารณาต่อ",
                         f"{en}: approved at this step and moved on to {name_en} for the next decision",
                         comment, comment, task_id=task.id)

    def _tell_withdrawn(self, th: str, en: str) -> None:
        for task in self._withdrawn:
            for recipient in recipients(session=self.session, task=task):
                self.message(recipient, "task_withdrawn", f"{th} ถูกยกเลิกแล้ว ไม่ต้องพิจารณา",
                             f"{en} was cancelled; no decision is needed", task_id=task.id)

    def _on_task_ready(self, event: WorkflowEvent) -> None:
        view = self.views.get(event.task_id)
        who = resolve_lane(session=self.session, lane=event.lane, requester=self.request.requester)
        task = InboxTask(task_guid=event.task_id, instance_id=self.instance.id, request_id=self.request.id,
                         bpmn_id=event.bpmn_id, name=event.detail.get("name", event.bpmn_id), lane=event.lane,
                         decisions=list(view.decisions) if view else [],
                         form_fields=list(view.form_fields) if view else [],
                         assignee_id=who.assignee_id, assignee_group=who.group, assignment_reason=who.reason,
                         state="open", created_at=self.now)
        self.session.add(task)
        self.session.flush()
        self.known_tasks[task.task_guid] = task
        self.audit("task_ready", bpmn_id=event.bpmn_id, lane=event.lane,
                   detail={"task_id": task.id, "assignee_id": who.assignee_id, "group": who.group,
                           "reason": who.reason})
        th, en = _label(self.request)
        if event.task_id in self._decided_now:
            return  # decided at once by the same approver's previous decision: it awaits nobody
        for recipient in recipients(session=self.session, task=task):
            if event.lane == "requester":
                comment = self._return_comment
                self.message(recipient, "request_returned", f"{th} ถูกส่งกลับให้แก้ไข",
                             f"{en} was returned to you for revision", comment, comment, task_id=task.id)
            else:
                self.message(recipient, "task_assigned", f"{th} รอการพิจารณา", f"{en} awaits your decision",
                             self.request.requester.name_th, self.request.requester.name_en or "", task_id=task.id)

    def _on_decision(self, event: WorkflowEvent) -> None:
        task = self._task(event.task_id)
        decision, comment = event.detail.get("decision"), event.detail.get("comment")
        if task is not None:
            task.state, task.completed_by_id, task.completed_at = "completed", self.actor_id, self.now
            task.decision, task.comment = decision, comment
        detail = {key: event.detail[key] for key in ("on_behalf_of", SAME_APPROVER, "previous_step")
                  if key in event.detail}
        self.audit("decision", bpmn_id=event.bpmn_id, lane=event.lane, decision=decision, comment=comment,
                   actor_id=self.actor_id, detail=detail)
        if decision == "return":
            self._return_comment = comment or ""

    def _on_task_closed(self, event: WorkflowEvent) -> None:
        task = self._task(event.task_id)
        if task is not None and task.state == "open":
            task.state, task.completed_at = "closed", self.now
            if task.lane != "requester":
                self._withdrawn.append(task)
        self.audit("task_closed", bpmn_id=event.bpmn_id, lane=event.lane)

    def _on_reminder(self, event: WorkflowEvent) -> None:
        self.audit("reminder", bpmn_id=event.bpmn_id, lane=event.lane, detail=event.detail)
        task = self._task(event.task_id)
        if task is None or task.state != "open":
            return
        th, en = _label(self.request)
        for recipient in recipients(session=self.session, task=task):
            self.message(recipient, "task_reminder", f"เตือน: {th} ยังรอการพิจารณา",
                         f"Reminder: {en} still awaits your decision", task_id=task.id)

    def _on_timeout(self, event: WorkflowEvent) -> None:
        self.audit("timeout", bpmn_id=event.bpmn_id, lane=event.lane, detail=event.detail)

    def _on_finished(self, event: WorkflowEvent) -> None:
        outcome = event.detail.get("outcome")
        self.instance.status, self.instance.outcome, self.instance.next_timer_at = "finished", outcome, None
        for task in self.known_tasks.values():
            if task is not None and task.state == "open":
                task.state, task.completed_at = "closed", self.now
        # Any other open row (the inbox should hold none) closes too, in `write`, without loading it.
        self.closing_instance_id = self.instance.id
        self.audit("finished", decision=outcome, detail={"outcome": outcome})
