"""Web app tests over HTTP (no JavaScript): a signed-in cookie-keeping client for any demo account."""
from __future__ import annotations

import pytest

from tests.support.http_browser import browser, csrf_token_of


@pytest.fixture
def signed_in(live_app, demo_org):
    """`signed_in("employee1")` → (client, the page it landed on) after the local sign-in form."""
    def sign_in(username: str, *, next_page: str = "", headers: dict | None = None):
        client = browser()
        client.headers.update(headers or {})
        home = client.get(f"{live_app.url}/", timeout=30)
        page = client.post(f"{live_app.url}/authen/local", timeout=30, data={
            "username": username, "password": "demo", "csrf_token": csrf_token_of(home.text), "next": next_page})
        assert page.status_code == 200, page.text
        return client, page

    return sign_in
