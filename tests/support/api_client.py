"""A small HTTP client for the API, the way a phone app or browser would call it."""
from __future__ import annotations

import requests


class ApiClient(requests.Session):
    def __init__(self, base_url: str, token: str | None = None) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)

    def login(self, username: str, password: str = "demo") -> "ApiClient":
        """A new client that carries the bearer token of `username`."""
        reply = self.post("/api/auth/token", json={"username": username, "password": password})
        assert reply.status_code == 200, reply.text
        return ApiClient(self.base_url, reply.json()["access_token"])
