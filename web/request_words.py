"""How requests and their steps read on the screens: statuses, decisions, lanes, timeline entries, one-line summaries."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from web.i18n import short_date

STATUS_WORDS = {
    "pending": _l("Pending approval"),
    "returned": _l("Returned for revision"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
    "cancelled": _l("Cancelled"),
}
DECISION_WORDS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "return": _l("Return for revision"),
    "resubmit": _l("Resubmitted"),
    "cancel": _l("Cancelled"),
}
LANE_WORDS = {
    "requester": _l("the requester"),
    "supervisor": _l("supervisor"),
    "director": _l("director"),
    "hr": _l("human resources"),
}
TIMELINE_WORDS = {
    "started": _l("Submitted"),
    "task_ready": _l("Waiting for"),
    "decision": _l("Decided"),
    "reminder": _l("Reminder sent"),
    "timeout": _l("Time ran out"),
    "cancel_requested": _l("Cancelled by the requester"),
    "task_closed": _l("Step closed"),
    "finished": _l("Finished"),
}


def summary_line(view: dict) -> str:
    """`5/10/2564 17:00-19:00 (2 h)`, `5/10/2564 - 6/10/2564 ศาลากลาง…` or `5/10/2564 08:30 IN`."""
    if view["type"] == "overtime":
        hours = "%g" % view["planned_hours"]
        return _("%(date)s %(start)s-%(end)s (%(hours)s h)", date=short_date(date.fromisoformat(view["date"])),
                 start=view["start"], end=view["end"], hours=hours)
    if view["type"] == "offsite":
        first, last = date.fromisoformat(view["start_date"]), date.fromisoformat(view["end_date"])
        days = short_date(first) if first == last else f"{short_date(first)} - {short_date(last)}"
        return f"{days} {view['place']}"
    return f"{short_date(date.fromisoformat(view['date']))} {view['time']} {view['direction'].upper()}"
