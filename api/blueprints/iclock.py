"""The ZKTeco push ("iclock") endpoints face terminals call; plain text in and out, outside /api.

The terminal is the HTTP client. Every answer is text/plain with one true GMT `Date` (devices set their
clock from it; gunicorn and werkzeug write it, otherwise we do). Anything but 200 makes the terminal
send again, so errors answer 503 in plain text.

Who is calling: the serial number names a terminal, and the caller's address must lie in that terminal's
allowed networks (`engine/terminals/networks.py` says how the address is found behind a proxy). Bodies are
read by `_body`, never past `device_max_upload_bytes`: a larger one is refused with 413, before it is read
when its length is declared, and as soon as it passes the limit when it is chunked. A terminal is never
told OK about a body we did not read to its end.
"""
from __future__ import annotations

import functools
import logging
from datetime import datetime
from typing import Callable

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from api.context import db, opsta
from devices.replies import UNAUTHORIZED_REPLY, http_date
from devices.wire import encode_body
from engine.db import utcnow
from engine.errors import DomainError
from engine.models import Device
from engine.terminals import terminal
from engine.terminals.networks import caller_address, trusted_proxies
from engine.terminals.registry import admitted_device

log = logging.getLogger(__name__)

bp = Blueprint("iclock", __name__)


def _arg(name: str) -> str:
    """A query argument matched case-insensitively (firmware writes `SN`, `sn`, `Table`, ...)."""
    wanted = name.lower()
    for key, value in request.args.items():
        if key.lower() == wanted:
            return value
    return ""


# These servers always write their own (true GMT) Date header; a second one from us would make two.
_SERVERS_WRITING_DATE = ("werkzeug", "gunicorn", "waitress")


def _text(body: str, status: int = 200, codec: str = "utf-8") -> Response:
    response = Response(encode_body(body, codec), status=status, content_type="text/plain")
    if not request.environ.get("SERVER_SOFTWARE", "").lower().startswith(_SERVERS_WRITING_DATE):
        response.headers["Date"] = http_date()
    return response


class UploadTooLarge(Exception):
    """A terminal body over `device_max_upload_bytes`: answered 413, so the terminal sends it again."""


_READ_SIZE = 64 * 1024


def _body() -> bytes:
    """The whole request body, declared length or chunked, or UploadTooLarge once it passes the limit."""
    limit = opsta().settings.device_max_upload_bytes
    declared = request.content_length
    if declared is not None and declared > limit:
        raise UploadTooLarge()
    if declared is None and not request.environ.get("wsgi.input_terminated"):
        return b""  # no length and no server framing: there is no body to read safely
    stream = request.environ["wsgi.input"]  # werkzeug's own limit would stop at the limit and say nothing
    wanted = declared if declared is not None else limit + 1
    parts, size = [], 0
    while size < wanted:
        part = stream.read(min(_READ_SIZE, wanted - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > limit:
        raise UploadTooLarge()
    return b"".join(parts)


@functools.lru_cache(maxsize=8)
def _proxies(setting: str):
    return trusted_proxies(setting)


def _caller() -> str:
    """The calling terminal's address; the socket peer even when ProxyFix rewrote `remote_addr`."""
    peer = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or request.remote_addr or ""
    return caller_address(peer=peer, forwarded_for=request.headers.get("X-Forwarded-For", ""),
                          proxies=_proxies(opsta().settings.device_trusted_proxies))


def _terminal_request(handler: Callable[[Device, datetime], str]):
    """Admit the terminal named by `SN` (enabled, registered, calling from its networks; marked as seen) and
    answer `handler(device, now)` in its codec; any other caller gets `401 Device Unauthorized` and is counted."""

    @functools.wraps(handler)
    def admit() -> Response:
        now = utcnow()
        declared = request.content_length
        if declared is not None and declared > opsta().settings.device_max_upload_bytes:
            raise UploadTooLarge()  # before anything is read or stored
        device = admitted_device(session=db(), settings=opsta().settings, sn=_arg("SN").strip(),
                                 remote_addr=_caller(), path=request.path, now=now)
        if device is None:
            return _text(UNAUTHORIZED_REPLY, 401)
        return _text(handler(device, now), codec=device.codec)

    return admit


@bp.route("/iclock/cdata", methods=["GET", "POST"])
@bp.route("/iclock/cdata.aspx", methods=["GET", "POST"])
@_terminal_request
def cdata(device: Device, now: datetime) -> str:
    """Handshake and clock (GET), uploads of ATTLOG, OPERLOG, BIODATA, options and other tables (POST)."""
    settings = opsta().settings
    if request.method == "POST":
        return terminal.upload(session=db(), settings=settings, device=device, table=_arg("table"),
                               stamp=_arg("Stamp"), body=_body(), now=now)
    if _arg("type").lower() == "time":
        return terminal.clock(device=device, now=now)
    if _arg("options") or not _arg("type"):
        return terminal.handshake(session=db(), settings=settings, device=device, push_version=_arg("pushver"),
                                  now=now)
    return terminal.acknowledge()


@bp.route("/iclock/getrequest", methods=["GET", "POST"])
@bp.route("/iclock/getrequest.aspx", methods=["GET", "POST"])
@_terminal_request
def getrequest(device: Device, now: datetime) -> str:
    """The poll: `OK`, or queued commands as `C:<id>:<command>` lines."""
    return terminal.poll(session=db(), settings=opsta().settings, device=device, info=_arg("INFO"), now=now,
                         remote_addr=_caller())


@bp.route("/iclock/devicecmd", methods=["GET", "POST"])
@bp.route("/iclock/devicecmd.aspx", methods=["GET", "POST"])
@_terminal_request
def devicecmd(device: Device, now: datetime) -> str:
    """Results of executed commands."""
    return terminal.command_results(session=db(), device=device, body=_body(), now=now)


@bp.route("/iclock/ping", methods=["GET", "POST"])
@bp.route("/iclock/ping.aspx", methods=["GET", "POST"])
@_terminal_request
def ping(device: Device, now: datetime) -> str:
    """Keep-alive during long uploads."""
    return terminal.acknowledge()


@bp.errorhandler(Exception)
def plain_error(error: Exception) -> Response:
    """Plain-text errors for terminals: they only look at the status, and retry on anything but 200.

    The request's session is rolled back at teardown, as for every request.
    """
    if isinstance(error, UploadTooLarge):
        response = _text("Request Entity Too Large", 413)
        response.headers["Connection"] = "close"  # the rest of the body is not read
        return response
    if isinstance(error, HTTPException):
        return _text(error.name, error.code or 500)
    if isinstance(error, DomainError):  # refused by the input guard (e.g. a NUL in the query string)
        return _text(error.title, error.status)
    if isinstance(error, SQLAlchemyError):
        log.warning("iclock %s: database error, the terminal will retry: %s", request.path, error)
        return _text("Database unavailable, retry", 503)
    log.exception("iclock %s failed", request.path)
    return _text("Server error, retry", 503)
