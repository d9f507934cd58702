"""The analysts' modeler in Debian's Chromium (desktop, role analyst): open the overtime process, change
the DMN threshold in dmn-js, validate on the server, try the draft with 2 hours (now the director's path
too), publish, and see a new request follow the new version while one started before follows the old;
a draft with an element error shows it on that element. The process view of a running request marks
its completed steps and current task. No request leaves the origin and no console error (the guarded
context), and axe finds nothing serious."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.approvals import decide, next_weekday, overtime, status_of, submit, task_of
OVERTIME_NAME = "Overtime request (การทำงานล่วงเวลา)"


def _open_overtime_modeler(page, app_url):
    page.goto(app_url + "/processes")
    expect(page.get_by_role("heading", level=1)).to_have_text("กระบวนการ")
    page.get_by_role("region", name=OVERTIME_NAME).get_by_role("link", name="เปิดในโปรแกรมออกแบบ").click()
    expect(page.locator("body[data-modeler-ready=true]")).to_have_count(1)
    expect(page.locator("#bpmn-editor .bjs-powered-by")).to_be_visible()  # the bpmn.io licence's watermark
    expect(page.locator("#lint-summary")).not_to_have_text("กำลังตรวจสอบ…")
    return page


def test_the_analyst_changes_the_threshold_tries_and_publishes_it(desktop, desktop_page, sign_in, app_url, api,
                                                                   demo_org, new_context, take_screenshot):
    employee, supervisor = api.login("employee1"), api.login("supervisor")
    day = next_weekday()
    started_before = submit(employee, overtime("16:30", "18:30", day=day))  # 2 hours on version 1

    page = _open_overtime_modeler(sign_in(desktop_page, "analyst"), app_url)
    expect(page.locator("#lint-summary")).to_have_text("ไม่พบข้อสังเกต")  # the shipped process lints clean
    page.get_by_role("button", name="ตารางการตัดสินใจ: Overtime approval chain (ลำดับการอนุมัติการทำงานล่วงเวลา)").click()
    threshold = page.locator("#dmn-editor td").filter(has_text="> 4")
    expect(page.locator("#dmn-editor .powered-by-logo, #dmn-editor [class*=powered-by]").first).to_be_visible()
    threshold.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("> 1")
    expect(page.locator("#dmn-editor td").filter(has_text="> 1")).to_have_count(1)

    page.get_by_role("button", name="ตรวจสอบ", exact=True).click()
    expect(page.locator("#server-problems")).to_have_attribute("data-valid", "true")

    page.get_by_label("วันที่ทำงานล่วงเวลา").fill(day.isoformat())
    page.get_by_label("ตั้งแต่เวลา").fill("16:30")
    page.get_by_label("ถึงเวลา").fill("18:30")
    page.get_by_role("button", name="ทดลอง", exact=True).click()
    steps = page.locator("#trial-result .trial-steps > li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_have_attribute("data-element-id", "supervisor_approval")
    expect(steps.nth(1)).to_have_attribute("data-element-id", "director_approval")
    expect(steps.nth(1)).to_contain_text("นายธนากร ศรีวัฒนา (10101)")  # the unit head, from the directory
    expect(page.locator("#trial-result dd.decided[data-key=needs_director]")).to_have_text("True")
    page.get_by_role("button", name="แผนผังกระบวนการ").click()
    expect(page.locator(".djs-element.opsta-trial-path[data-element-id=director_approval]")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="เผยแพร่", exact=True).click()
    expect(page.locator("#publish-result .published-version[data-process=overtime_request]")) \
        .to_have_attribute("data-version", "2")
    page.locator("#publish-result").scroll_into_view_if_needed()
    take_screenshot(page, "modeler", full_page=False)  # docs/screenshots/modeler.png is a copy of it

    started_after = submit(employee, overtime("16:30", "18:30", day=day + timedelta(days=7)))
    decide(supervisor, started_before["id"], "approve")
    assert status_of(employee, started_before["id"]) == "approved"  # version 1: the supervisor alone
    decide(supervisor, started_after["id"], "approve")
    assert status_of(employee, started_after["id"]) == "pending"  # version 2: the director decides next
    assert task_of(api.login("director"), started_after["id"])["step"] == "director_approval"

    page.goto(app_url + "/processes")
    rows = page.get_by_role("region", name=OVERTIME_NAME).locator("tbody tr")
    expect(rows.nth(0)).to_have_attribute("data-version", "2")
    expect(rows.nth(0).locator(".running-count")).to_have_text("1")
    expect(rows.nth(1).locator(".running-count")).to_have_text("0")
    assert_accessible(page)

    page.goto(app_url + "/processes/overtime_request/compare?a=1&b=2")
    expect(page.locator("body[data-viewer-ready=true]")).to_have_count(1)
    expect(page.locator("tr[data-rule-id=overtime_long]")).to_contain_text("> 1")
    expect(page.locator(".djs-element.opsta-changed[data-element-id=decide_chain]")).to_have_count(1)
    assert_accessible(page)

    hr_page = new_context("desktop").new_page()
    sign_in(hr_page, "hr")
    hr_page.goto(f"{app_url}/requests/{started_after['id']}/process")
    expect(hr_page.locator("body[data-viewer-ready=true]")).to_have_count(1)
    expect(hr_page.locator(".djs-element.opsta-current[data-element-id=director_approval]")).to_have_count(1)
    expect(hr_page.locator(".djs-element.opsta-completed[data-element-id=supervisor_approval]")).to_have_count(1)
    assert_accessible(hr_page)
    take_screenshot(hr_page, "request-process", full_page=False)


def test_a_draft_with_an_element_error_shows_it_on_that_element(desktop, desktop_page, sign_in, app_url,
                                                                 demo_org, take_screenshot):
    page = _open_overtime_modeler(sign_in(desktop_page, "analyst"), app_url)
    lane = page.locator(".djs-element.djs-shape[data-element-id=lane_director]")
    box = lane.bounding_box()
    page.mouse.dblclick(box["x"] + 15, box["y"] + box["height"] / 2)  # the lane's name, drawn on its left edge
    editor = page.locator(".djs-direct-editing-parent")
    expect(editor).to_be_visible()
    page.keyboard.press("Control+A")
    page.keyboard.type("boss")
    page.mouse.click(box["x"] + box["width"] - 20, box["y"] + 10)  # elsewhere: the new name is applied
    expect(page.locator("#lint-list .problem-item[data-element-id=lane_director]")).to_contain_text("boss")

    page.get_by_role("button", name="ตรวจสอบ", exact=True).click()
    problem = page.locator("#server-problems .problem-item[data-element-id=lane_director]")
    expect(problem).to_contain_text("unknown lane 'boss'")
    expect(page.locator(".djs-element.opsta-problem[data-element-id=lane_director]")).to_have_count(1)
    expect(page.locator(".djs-overlay-opsta-problem .problem-badge")).not_to_have_count(0)
    problem.click()
    expect(page.locator(".djs-element.selected[data-element-id=lane_director]")).to_have_count(1)

    page.get_by_role("button", name="ตารางการตัดสินใจ: Overtime approval chain (ลำดับการอนุมัติการทำงานล่วงเวลา)").click()
    page.locator("#dmn-editor td").filter(has_text="> 4").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("> 4)")  # a cell that does not parse
    page.get_by_role("button", name="ตรวจสอบ", exact=True).click()
    cell_problem = page.locator("#server-problems .problem-item[data-element-id=overtime_long_hours]")
    expect(cell_problem).to_contain_text("overtime_chain.dmn")
    expect(page.locator("#dmn-editor td.opsta-problem[data-element-id=overtime_long_hours]")).to_have_count(1)
    page.get_by_role("button", name="แผนผังกระบวนการ").click()
    cell_problem.click()  # back to the table, at the cell
    expect(page.locator("#dmn-editor")).to_be_visible()

    page.get_by_role("button", name="เผยแพร่", exact=True).click()  # refused: nothing is published
    expect(page.locator("#server-problems .problem-count")).to_contain_text("ไม่ได้เผยแพร่สิ่งใด")
    expect(page.locator("#publish-result")).to_have_count(0)
    assert_accessible(page)
    take_screenshot(page, "element-error", full_page=False)
