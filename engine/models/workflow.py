"""Workflow host tables: published process versions, instances, the inbox, audit, delegation.

The notification outbox the host writes is in `engine.models.notifications`.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow

INSTANCE_STATUSES = ("running", "finished")
TASK_STATES = ("open", "completed", "closed")


class ProcessVersion(Base):
    """One immutable published version of one process, keyed by the content hash of its spec."""

    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("process_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255), default="")
    spec_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Large and only needed once per hash per process (specs are cached), so loaded on access.
    spec_blob: Mapped[dict] = mapped_column(JSON, deferred=True)
    # {filename: text} of the files this process is built from, for the analyst's diff.
    sources: Mapped[dict] = mapped_column(JSON, deferred=True)
    published_by: Mapped[str] = mapped_column(String(100), default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class ProcessInstance(Base):
    """A running (or finished) request process, pinned to the version it started on."""

    __tablename__ = "process_instances"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The business key: one instance per request.
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    spec_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="running", index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock: a save from a stale read fails instead of overwriting (backs up FOR UPDATE).
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    version: Mapped[ProcessVersion] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class InboxTask(Base):
    """A human task projected from the workflow state: who must act, and what they decided."""

    __tablename__ = "inbox_tasks"
    __table_args__ = (Index("ix_inbox_tasks_assignee_state", "assignee_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_guid: Mapped[str] = mapped_column(String(36), unique=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255), default="")
    lane: Mapped[str | None] = mapped_column(String(32))
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    form_fields: Mapped[list] = mapped_column(JSON, default=list)
    # Exactly one of these: a person, or a role group whose every member may act (hr).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    assignee_group: Mapped[str | None] = mapped_column(String(32), index=True)
    assignment_reason: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)

    request: Mapped["ApprovalRequest"] = relationship()  # noqa: F821 - engine.models.requests


class WorkflowEventRow(Base):
    """The audit trail of one instance: every step, who did it, when."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    bpmn_id: Mapped[str | None] = mapped_column(String(100))
    lane: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class Delegation(Base):
    """An acting approver: `delegate` may complete `delegator`'s tasks from `starts_on` to `ends_on`."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the delegator ends it (DELETE) before its last day; from then on it lends nothing.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
