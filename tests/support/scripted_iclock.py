"""A tiny real HTTP iclock server for simulator tests: records every request, answers from scripts."""
from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from devices.replies import OK_REPLY, HandshakeSettings, handshake_reply


@dataclass(frozen=True)
class RecordedRequest:
    route: str
    method: str
    path: str
    args: dict[str, str]
    body: bytes
    headers: dict[str, str]
    status: int


def route_of(request: Request) -> str:
    """handshake | cdata:<TABLE> | getrequest | devicecmd | other."""
    if request.path.startswith("/iclock/cdata"):
        if request.method == "GET" and request.args.get("options") == "all":
            return "handshake"
        return f"cdata:{request.args.get('table', '')}"
    if request.path.startswith("/iclock/getrequest"):
        return "getrequest"
    if request.path.startswith("/iclock/devicecmd"):
        return "devicecmd"
    return "other"


class ScriptedIclock:
    """Queue `(status, body)` replies per route with `script`; unscripted calls get the normal reply."""

    def __init__(self, settings: HandshakeSettings = HandshakeSettings()):
        self.settings = settings
        self.requests: list[RecordedRequest] = []
        self._scripts: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> "ScriptedIclock":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def script(self, route: str, *replies: tuple[int, str | bytes]) -> None:
        with self._lock:
            self._scripts[route].extend(replies)

    def calls(self, route: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.route == route]

    def _default(self, request: Request, route: str) -> tuple[int, str]:
        if route == "handshake":
            return 200, handshake_reply(sn=request.args["SN"], settings=self.settings)
        return 200, OK_REPLY

    def _app(self, environ, start_response):
        request = Request(environ)
        route = route_of(request)
        body = request.get_data()
        with self._lock:
            queued = self._scripts[route]
            status, reply = queued.popleft() if queued else self._default(request, route)
            self.requests.append(RecordedRequest(route, request.method, request.path, dict(request.args),
                                                 body, dict(request.headers), status))
        return Response(reply, status=status, content_type="text/plain")(environ, start_response)


@pytest.fixture
def iclock():
    """A scripted iclock server for the terminal simulator; conftests import this fixture."""
    with ScriptedIclock() as server:
        yield server
