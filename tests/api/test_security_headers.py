"""Security headers on HTML pages: a CSP without inline scripts, no framing, referrer and sniffing rules."""
import re

import requests

from tests.support.database import backend

# A script element without src runs inline, unless it is a JSON data block (never executed, so the CSP allows it).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)


def test_pages_get_a_strict_policy_and_hardening_headers(live_app, clean_db):
    page = requests.get(f"{live_app.url}/", timeout=30)
    policy = page.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert ("Strict-Transport-Security" in page.headers) == (backend() == "postgresql")
    assert not INLINE_SCRIPT.search(page.text) and "<style" not in page.text and " style=" not in page.text
    for stylesheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text):
        css = requests.get(f"{live_app.url}{stylesheet}", timeout=30)
        assert css.status_code == 200 and "font-family" in css.text


def test_the_api_docs_run_without_inline_script(live_app, clean_db):
    docs = requests.get(f"{live_app.url}/api/docs", timeout=30)
    assert docs.status_code == 200
    policy = docs.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert not INLINE_SCRIPT.search(docs.text)
    for src in re.findall(r'<script src="([^"]+)"', docs.text):
        assert requests.get(f"{live_app.url}{src}", timeout=30).status_code == 200
    assert 'data-spec-url="/api/openapi.json"' in docs.text


def test_the_sign_out_form_may_go_on_to_the_provider(sso_server, oidc_provider):
    page = requests.get(f"{sso_server.url}/", timeout=30)
    assert f"form-action 'self' {oidc_provider.issuer}" in page.headers["Content-Security-Policy"]


def test_json_replies_are_not_sniffed(api, demo_org):
    reply = api.get("/api/me")
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in reply.headers
