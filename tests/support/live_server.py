"""Serve a Flask app over real HTTP on loopback for the duration of a test."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import replace
from typing import Callable, Iterator

from werkzeug.serving import make_server

from engine.config import Settings


class LiveServer:
    """Binds a free port first, so the app can be built knowing its own public URL."""

    def __init__(self, app_factory: Callable[[str], object], host: str = "127.0.0.1") -> None:
        self._app = None
        self._server = make_server(host, 0, self._dispatch, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self.app = self._app = app_factory(self.url)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _dispatch(self, environ, start_response):
        return self._app(environ, start_response)

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@contextmanager
def serving(settings: Settings) -> Iterator[LiveServer]:
    """The OPS-TA app for `settings` over HTTP on loopback, its public URL where it listens, until the block ends."""
    from api.app import create_app

    server = LiveServer(lambda url: create_app(replace(settings, public_url=url))).start()
    try:
        yield server
    finally:
        server.stop()
        # The database is shared with other test runs: give its connections back now, not at exit.
        context = server.app.extensions["opsta"]
        for queue in (context.face_queue, context.push_queue):
            queue.stop()
        context.engine.dispose()
