"""An HTTP client that keeps cookies the way a browser does, for the sign-in pages (no JavaScript: requests)."""
from __future__ import annotations

import re
from http.cookiejar import DefaultCookiePolicy

import requests
from requests.adapters import HTTPAdapter

LOOPBACK = {"127.0.0.1", "localhost"}


class LoopbackCookiePolicy(DefaultCookiePolicy):
    """Send `Secure` cookies to http://127.0.0.1 as Chromium does (loopback is a secure context);
    anywhere else only over https."""

    def return_ok_secure(self, cookie, request):
        host = request.host.split(":")[0] if hasattr(request, "host") else ""
        if cookie.secure and request.type == "http" and host in LOOPBACK:
            return True
        return super().return_ok_secure(cookie, request)


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source_address: str, **kwargs):
        self._source = (source_address, 0)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = self._source
        super().init_poolmanager(*args, **kwargs)


class Browser(requests.Session):
    """requests.Session that applies its jar's cookie policy: requests builds each request's cookies in a
    fresh jar with the default policy, which would never send a Secure cookie over http."""

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        prepared._cookies.set_policy(self.cookies.get_policy())
        prepared.headers.pop("Cookie", None)
        prepared.prepare_cookies(prepared._cookies)
        return prepared


def browser(*, source_address: str | None = None) -> requests.Session:
    """A cookie-keeping client; `source_address` (such as 127.0.0.7) makes it connect from that address."""
    session = Browser()
    session.headers["User-Agent"] = "Mozilla/5.0 (test browser)"
    session.cookies.set_policy(LoopbackCookiePolicy())
    if source_address:
        adapter = _SourceAddressAdapter(source_address)
        session.mount("http://", adapter)
    return session


def csrf_token_of(page_html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert match, "the page has no CSRF token field"
    return match.group(1)
