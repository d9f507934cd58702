"""History (`ประวัติการบันทึกเวลางาน`): the viewer's punches, newest first, a page at a time.

`?page=N` picks the page (links work without script). With htmx the "more" row at the end of the
list fetches the next page's rows only (history/_rows.html) and puts them in its place.
"""
from __future__ import annotations

from flask import request

from engine.attendance.queries import punch_history
from engine.errors import InvalidInput
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in

PAGE_SIZE = 20
MAX_PAGE = 100_000


def _page_number() -> int:
    text = request.args.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidInput(f"page must be a whole number from 1, got {text!r}", code="page_invalid",
                           errors={"page": ["Must be a whole number from 1."]})
    return int(text)


@bp.route("/history")
@signed_in
def history(viewer: Viewer):
    page = _page_number()
    items, total = punch_history(session=viewer.db, employee=viewer.employee, tz=viewer.tz, start=None, end=None,
                                 page=page, page_size=PAGE_SIZE)
    return render_screen("history/page.html", fragment="history/_rows.html", items=items, page=page,
                         total=total, more=page * PAGE_SIZE < total)
