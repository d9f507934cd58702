"""The sign-in page at / in Debian's Chromium, on a phone: Thai drawn as text in a Thai font, local
sign-in with the demo organisation, no serious accessibility violation, no console error and no
request leaving the app's origin (the `phone` context fails the test on either)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.browser import THAI_FONTS, platform_fonts

THAI = re.compile("[\u0e00-\u0e7f]")


def _mark_first_thai_text(page) -> str:
    """Mark the first visible element whose own text is Thai; returns a selector for it."""
    found = page.evaluate("""() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement;
            if (/[\\u0e00-\\u0e7f]/.test(node.textContent) && element.checkVisibility()) {
                element.setAttribute('data-thai-probe', '');
                return element.textContent.trim();
            }
        }
        return null;
    }""")
    assert found and THAI.search(found), "the page shows no Thai text"
    return "[data-thai-probe]"


def test_sign_in_page_draws_thai_as_text_in_a_thai_font(phone, phone_page, app_url, take_screenshot):
    phone_page.goto(app_url + "/")
    expect(phone_page.locator("input[name=username]")).to_be_visible()
    selector = _mark_first_thai_text(phone_page)
    fonts = platform_fonts(phone_page, selector)
    assert set(fonts) & THAI_FONTS, f"the Thai text was drawn with {fonts}: no Thai font, so boxes"
    shot = take_screenshot(phone_page, "sign-in")
    assert shot.stat().st_size > 5_000
    phone.assert_clean()


def test_demo_employee_signs_in_with_the_local_form(phone, phone_page, app_url, demo_org, take_screenshot):
    person = demo_org["employee1"]
    phone_page.goto(app_url + "/")
    phone_page.locator("input[name=username]").fill(person.username)
    phone_page.locator("input[name=password]").fill("demo")
    phone_page.get_by_role("button", name=re.compile("เข้าสู่ระบบ")).click()
    expect(phone_page.get_by_role("heading", name="ปฏิทิน")).to_be_visible()  # the dashboard
    phone_page.get_by_role("button", name="กดเพื่อแสดงเมนู").click()
    expect(phone_page.get_by_text(person.name_th)).to_be_visible()  # at the top of the menu
    take_screenshot(phone_page, "signed-in")
    phone.assert_clean()


def test_sign_in_page_has_no_serious_accessibility_violation(phone_page, desktop_page, app_url):
    for page in (phone_page, desktop_page):
        page.goto(app_url + "/")
        expect(page.locator("input[name=username]")).to_be_visible()
        assert_accessible(page)
