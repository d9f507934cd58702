"""`N_`: marks a string in engine/reports as a message id for the web catalogues, without translating it.

Report titles, headings, legend meanings and signature lines are English message ids translated by the
renderer in the asker's language (`engine.reports.formats.wording`). `python -m web.catalogues` extracts
`N_("…")` from engine/reports, and also the heading of `Column(key, heading, …)` and the title of
`ReportTable(name, title, …)` (their second argument), so their Thai can be filled in messages.po.
"""
from __future__ import annotations


def N_(message_id: str) -> str:
    """The message id itself; only marks it for extraction."""
    return message_id
