"""Periodic work of the requests domain: fire due BPMN timers (reminders, escalations).

`engine/scheduler.py` runs `tick_due` with the other periodic jobs.

Each due instance is ticked in its own transaction, picked with FOR UPDATE SKIP LOCKED on
PostgreSQL, so several schedulers can run at once and no timer ever fires twice.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.config import Settings
from engine.db import utcnow
from engine.errors import DomainError
from engine.models import ProcessInstance
from engine.notifications.outbox import deliver_pending
from engine.requests.flows import status_hook
from engine.workflow import host
from engine.workflow.script_pool import script_limits

log = logging.getLogger(__name__)


def _claim_due(session: Session, now: datetime, skipped: set[int]) -> ProcessInstance | None:
    query = (select(ProcessInstance)
             .where(ProcessInstance.status == "running", ProcessInstance.next_timer_at <= now,
                    ProcessInstance.id.not_in(skipped or {0}))
             .order_by(ProcessInstance.next_timer_at, ProcessInstance.id).limit(1)
             .execution_options(populate_existing=True))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


def tick_due(*, session_factory: sessionmaker, settings: Settings, now: datetime | None = None,
             limit: int = 1000) -> int:
    """Fire every timer due at `now` (default: the real clock); returns how many instances were ticked."""
    ticked = 0
    failed: set[int] = set()
    while ticked + len(failed) < limit:
        moment = now or utcnow()
        with session_factory() as session:
            instance = _claim_due(session, moment, failed)
            if instance is None:
                deliver_pending(session=session)
                session.commit()
                return ticked
            clock = host.clock_now(moment, settings.timezone, script_limits(settings))
            instance_id = instance.id
            try:
                host.tick_timers(session=session, instance=instance, clock=clock,
                                 hook=status_hook(clock, settings.timezone))
                stuck = instance.next_timer_at is not None and instance.next_timer_at <= moment
                session.commit()
                ticked += 1
                if stuck:  # a timer this host cannot fire (e.g. a cycle): do not spin on it
                    failed.add(instance_id)
            except host.WorkflowStepFailed as exc:
                # The process itself is broken (a script failed or ran past its limit): rolled back, so its
                # lock is released; then it leaves the due list with the reason in its timeline, instead of
                # costing every later tick the same failure.
                session.rollback()
                failed.add(instance_id)
                log.error("timer of process instance %s failed (%s): %s", instance_id, exc.code, exc.detail)
                host.stop_timers(session=session, instance_id=instance_id, error=exc, clock=clock)
                session.commit()
            except DomainError as exc:  # a broken timer must not stop the others
                session.rollback()
                failed.add(instance_id)
                log.error("timer of process instance %s failed: %s", instance_id, exc.detail)
    return ticked
