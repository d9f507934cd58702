"""The analysts' processes screens over HTTP: the catalogue with versions, publishers and request counts,
downloads, uploads checked as `opsta bpmn validate` checks (bad files refused with located messages,
nothing published), the draft's validate / try / publish answers, compare, the read-only process of a
request, and who may see each (anyone else gets the 404 page)."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.approvals import next_weekday, overtime, submit, task_of
from tests.support.http_browser import csrf_token_of

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
OVERTIME = (BPMN_DIR / "overtime.bpmn").read_bytes()
CHAIN = (BPMN_DIR / "overtime_chain.dmn").read_bytes()
LOWER_THRESHOLD = CHAIN.replace(b"<text>&gt; 4</text>", b"<text>&gt; 1</text>")


def _files(files: dict[str, bytes]) -> list:
    return [("files", (name, raw, "application/xml")) for name, raw in files.items()]


@pytest.fixture
def analyst(signed_in, live_app):
    client, page = signed_in("analyst")
    client.token = csrf_token_of(page.text)
    client.url = live_app.url
    return client


def _post(client, path: str, files: dict[str, bytes], **form):
    return client.post(client.url + path, files=_files(files), data={"csrf_token": client.token, **form},
                       headers={"X-CSRF-Token": client.token}, timeout=60)


def _saturday():
    day = next_weekday()
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def test_only_analysts_open_the_processes(signed_in, live_app):
    for name in ("employee1", "hr", "admin"):
        client, _ = signed_in(name)
        for path in ("/processes", "/processes/overtime_request", "/processes/overtime_request/compare",
                     "/processes/overtime_request/versions/1/files/overtime.bpmn"):
            assert client.get(live_app.url + path, timeout=30).status_code == 404, (name, path)
    client, page = signed_in("analyst")
    assert "กระบวนการ" in page.text  # the menu's section
    listing = client.get(live_app.url + "/processes", timeout=30)
    assert listing.status_code == 200
    for process in ("overtime_request", "offsite_request", "missed_punch_request"):
        assert f"<code>{process}</code>" in listing.text
    assert "overtime_chain.dmn" in listing.text and "ลำดับการอนุมัติการทำงานล่วงเวลา" in listing.text


def test_the_catalogue_counts_requests_per_version_and_serves_the_files(analyst, api, demo_org):
    submit(api.login("employee1"), overtime())
    listing = analyst.get(analyst.url + "/processes", timeout=30).text
    section = listing.split('id="process-overtime_request"')[1].split("</section>")[0]
    assert re.search(r'data-version="1">.*?class="running-count">1<', section, re.S)
    download = analyst.get(analyst.url + "/processes/overtime_request/versions/1/files/overtime_chain.dmn",
                           timeout=30)
    assert download.status_code == 200 and download.content == CHAIN
    assert download.headers["Content-Disposition"] == 'attachment; filename="overtime_chain.dmn"'
    assert analyst.get(analyst.url + "/processes/overtime_request/versions/1/files/nope.dmn",
                       timeout=30).status_code == 404


BAD_FILES = {
    "not XML": ({"overtime.bpmn": b"this is not xml"}, "overtime.bpmn:1", "malformed XML"),
    "wrong namespace": ({"overtime.bpmn": OVERTIME.replace(b"http://www.omg.org/spec/BPMN/20100524/MODEL",
                                                           b"http://example.com/not-bpmn")},
                        "overtime.bpmn:2", "schema"),
    "sandbox escape": ({"overtime.bpmn": OVERTIME.replace(b"outcome = \"approved\"",
                                                          b"outcome = ().__class__.__base__")},
                       "record_approved", "refused by the sandbox"),
    "missing lane": ({"overtime.bpmn": OVERTIME.replace(b"<bpmn:flowNodeRef>director_approval</bpmn:flowNodeRef>", b"")},
                     "director_approval", "not in a lane"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_upload_is_refused_with_located_messages_and_nothing_is_published(analyst, api, demo_org, case):
    files, where, message = BAD_FILES[case]
    for action in ("validate", "publish"):
        reply = _post(analyst, "/processes/upload", files, action=action)
        assert reply.status_code == 422, (case, action)
        assert "nothing was published" in reply.text or "ไม่ได้เผยแพร่" in reply.text
        assert where in reply.text and message in reply.text, reply.text
    versions = {p["process_id"]: p["current_version"] for p in api.login("analyst").get("/api/processes").json()}
    assert versions["overtime_request"] == 1


def test_a_good_upload_validates_then_publishes(analyst, api, demo_org):
    checked = _post(analyst, "/processes/upload", {"overtime_chain.dmn": LOWER_THRESHOLD}, action="validate")
    assert checked.status_code == 200 and "problem-item" not in checked.text
    published = _post(analyst, "/processes/upload", {"overtime_chain.dmn": LOWER_THRESHOLD}, action="publish")
    assert published.status_code == 200 and 'data-process="overtime_request" data-version="2"' in published.text


def _steps(html: str) -> list[str]:
    return re.findall(r'<li data-element-id="([a-z_]+)" data-lane', html)


def test_trying_a_draft_shows_the_path_and_the_approvers_without_publishing(analyst, api, demo_org):
    code = demo_org["employee1"].code
    weekday = {"requester": code, "date": next_weekday().isoformat(), "start": "16:30", "end": "18:30"}
    published = _post(analyst, "/processes/overtime_request/draft/try",
                      {"overtime.bpmn": OVERTIME, "overtime_chain.dmn": CHAIN}, **weekday)
    assert published.status_code == 200 and _steps(published.text) == ["supervisor_approval"]
    assert "นางสาวพิมพ์ชนก ใจดี (10151)" in published.text  # employee1's supervisor, from the directory

    draft = _post(analyst, "/processes/overtime_request/draft/try",
                  {"overtime.bpmn": OVERTIME, "overtime_chain.dmn": LOWER_THRESHOLD}, **weekday)
    assert _steps(draft.text) == ["supervisor_approval", "director_approval"]
    assert "นายธนากร ศรีวัฒนา (10101)" in draft.text and 'data-key="needs_director">True' in draft.text
    assert "decide_chain" in draft.text and "approved" in draft.text

    saturday = _post(analyst, "/processes/overtime_request/draft/try", {"overtime.bpmn": OVERTIME},
                     requester=code, date=_saturday().isoformat(), start="09:00", end="14:00")
    assert _steps(saturday.text) == ["supervisor_approval", "director_approval"]
    versions = {p["process_id"]: p["current_version"] for p in api.login("analyst").get("/api/processes").json()}
    assert versions["overtime_request"] == 1  # trying stored nothing
    unknown = _post(analyst, "/processes/overtime_request/draft/try", {"overtime.bpmn": OVERTIME},
                    **{**weekday, "requester": "000"})
    assert unknown.status_code == 422 and "ไม่พบพนักงานรหัสนี้" in unknown.text


def test_validating_and_publishing_a_draft(analyst, api, demo_org):
    bad = OVERTIME.replace(b'name="director"', b'name="boss"')
    checked = _post(analyst, "/processes/overtime_request/draft/validate", {"overtime.bpmn": bad})
    assert checked.status_code == 200 and 'data-element-id="lane_director"' in checked.text
    assert "unknown lane &#39;boss&#39;" in checked.text
    refused = _post(analyst, "/processes/overtime_request/draft/publish", {"overtime.bpmn": bad})
    assert 'data-element-id="lane_director"' in refused.text and "publish-result" not in refused.text
    fine = _post(analyst, "/processes/overtime_request/draft/validate", {"overtime_chain.dmn": LOWER_THRESHOLD})
    assert 'data-valid="true"' in fine.text
    done = _post(analyst, "/processes/overtime_request/draft/publish",
                 {"overtime.bpmn": OVERTIME, "overtime_chain.dmn": LOWER_THRESHOLD})
    assert 'data-process="overtime_request" data-version="2"' in done.text
    compare = analyst.get(analyst.url + "/processes/overtime_request/compare?a=1&b=2", timeout=30).text
    assert 'data-rule-id="overtime_long"' in compare and "&gt; 4" in compare and "&gt; 1" in compare
    assert "decide_chain" in compare  # the business rule task that calls the changed table is marked


def test_the_process_of_a_request_is_for_hr_admin_and_its_approvers(signed_in, live_app, api, demo_org):
    request = submit(api.login("employee1"), overtime())
    path = f"{live_app.url}/requests/{request['id']}/process"
    for name in ("hr", "admin", "supervisor"):
        client, _ = signed_in(name)
        page = client.get(path, timeout=30)
        assert page.status_code == 200, name
        assert '"opsta-current": ["supervisor_approval"]' in page.text
        assert "style-src-attr 'unsafe-inline'" in page.headers["Content-Security-Policy"]
    for name in ("employee2", "analyst", "employee1"):
        client, _ = signed_in(name)
        assert client.get(path, timeout=30).status_code == 404, name
    client, _ = signed_in("supervisor")
    task = task_of(api.login("supervisor"), request["id"])
    assert f'href="/requests/{request["id"]}/process"' in client.get(f"{live_app.url}/approvals/{task['id']}",
                                                                     timeout=30).text
    client, _ = signed_in("hr")
    assert client.get(f"{live_app.url}/requests/999999/process", timeout=30).status_code == 404
    calendar = client.get(f"{live_app.url}/calendar", timeout=30)
    assert "style-src-attr" not in calendar.headers["Content-Security-Policy"]  # the allowance stays on its pages
