"""Helpers for the approval-workflow API tests: submit requests and act on inbox tasks over HTTP."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest


BANGKOK = ZoneInfo("Asia/Bangkok")

# Row locks, SKIP LOCKED and real concurrency: PostgreSQL only (skipped on the SQLite run).
requires_postgres = pytest.mark.postgres_only


def today() -> date:
    return datetime.now(BANGKOK).date()


def next_weekday(offset_days: int = 1) -> date:
    """The first Monday–Friday at least `offset_days` from today."""
    day = today() + timedelta(days=offset_days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def overtime(hours_from: str = "17:00", hours_to: str = "19:00", day: date | None = None) -> dict:
    return {"type": "overtime", "date": (day or next_weekday()).isoformat(), "start": hours_from,
            "end": hours_to, "reason": "ปิดงบประมาณ"}


def offsite(start: date, end: date) -> dict:
    return {"type": "offsite", "start_date": start.isoformat(), "end_date": end.isoformat(),
            "place": "ศาลากลางจังหวัดนนทบุรี", "latitude": 13.86, "longitude": 100.51, "reason": "ประชุม"}


def missed_punch(day: date, at: str = "08:30", direction: str = "in") -> dict:
    return {"type": "missed_punch", "date": day.isoformat(), "time": at, "direction": direction,
            "reason_code": "device_down", "reason": "เครื่องสแกนเสีย"}


def submit(client, body: dict) -> dict:
    reply = client.post("/api/requests", json=body)
    assert reply.status_code == 201, reply.text
    return reply.json()


def task_of(client, request_id: int) -> dict:
    """The caller's single open task of one request."""
    reply = client.get("/api/tasks")
    assert reply.status_code == 200, reply.text
    tasks = [t for t in reply.json() if t["request"]["id"] == request_id]
    assert len(tasks) == 1, reply.json()
    return tasks[0]


def decide(client, request_id: int, decision: str, comment: str | None = None) -> dict:
    task = task_of(client, request_id)
    reply = client.post(f"/api/tasks/{task['id']}/complete", json={"decision": decision, "comment": comment})
    assert reply.status_code == 200, reply.text
    return reply.json()


def status_of(client, request_id: int) -> str:
    reply = client.get(f"/api/requests/{request_id}")
    assert reply.status_code == 200, reply.text
    return reply.json()["status"]
