"""History (ประวัติการบันทึกเวลางาน) over HTTP: newest first, a page at a time; htmx asks for the next
page's rows only; a page number that is no number is a clear problem page."""
from __future__ import annotations

import re

from tests.support.punch_details import seed_history
from web.screens.history import PAGE_SIZE

HTMX = {"HX-Request": "true"}


def _times(page: str) -> list[str]:
    return re.findall(r'<span class="punch-time">(\d\d:\d\d)</span>', page)


def test_history_pages_newest_first_and_htmx_fetches_only_the_next_rows(live_app, signed_in, session_factory):
    expected = seed_history(session_factory, PAGE_SIZE + 5)
    client, _ = signed_in("employee1")
    first = client.get(f"{live_app.url}/history", timeout=30)
    assert first.status_code == 200 and "ประวัติการบันทึกเวลางาน" in first.text
    assert _times(first.text) == expected[:PAGE_SIZE]
    assert 'href="/history?page=2"' in first.text and 'id="history-more"' in first.text
    more = client.get(f"{live_app.url}/history?page=2", headers=HTMX, timeout=30)
    assert _times(more.text) == expected[PAGE_SIZE:]
    assert "<html" not in more.text and "history-more" not in more.text  # the last page: no more row
    plain = client.get(f"{live_app.url}/history?page=2", timeout=30)
    assert _times(plain.text) == expected[PAGE_SIZE:] and 'href="/history?page=1"' in plain.text


def test_a_page_that_is_no_number_is_a_problem_page(live_app, signed_in):
    client, _ = signed_in("employee1")
    reply = client.get(f"{live_app.url}/history?page=abc", timeout=30)
    assert reply.status_code == 422 and 'data-problem-code="page_invalid"' in reply.text
    empty = client.get(f"{live_app.url}/history", timeout=30)
    assert "ยังไม่มีการบันทึกเวลา" in empty.text
