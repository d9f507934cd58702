"""The ZKTeco push ("iclock") endpoints face terminals call; plain text in and out, outside /api.

The terminal is the HTTP client. Every answer is text/plain with one true GMT `Date` (devices set their
clock from it; gunicorn and werkzeug write it, otherwise we do). Anything but 200 makes the terminal
send again, so errors answer 503 in plain text.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from api.context import db, opsta
from devices.replies import UNAUTHORIZED_REPLY, http_date
from devices.wire import encode_body
from engine.db import utcnow
from engine.terminals import terminal
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


def _device():
    now = utcnow()
    device = admitted_device(session=db(), sn=_arg("SN").strip(), remote_addr=request.remote_addr or "",
                             path=request.path, now=now)
    return device, now


def _refused() -> Response:
    return _text(UNAUTHORIZED_REPLY, 401)


@bp.route("/iclock/cdata", methods=["GET", "POST"])
@bp.route("/iclock/cdata.aspx", methods=["GET", "POST"])
def cdata():
    """Handshake and clock (GET), uploads of ATTLOG, OPERLOG, BIODATA, options and other tables (POST)."""
    device, now = _device()
    if device is None:
        return _refused()
    settings = opsta().settings
    if request.method == "POST":
        reply = terminal.upload(session=db(), settings=settings, device=device, table=_arg("table"),
                                stamp=_arg("Stamp"), body=request.get_data(cache=False), now=now)
    elif _arg("type").lower() == "time":
        reply = terminal.clock(session=db(), device=device, now=now)
    elif _arg("options") or not _arg("type"):
        reply = terminal.handshake(session=db(), settings=settings, device=device, push_version=_arg("pushver"),
                                   now=now)
    else:
        reply = terminal.acknowledge(session=db())
    return _text(reply, codec=device.codec)


@bp.route("/iclock/getrequest", methods=["GET", "POST"])
@bp.route("/iclock/getrequest.aspx", methods=["GET", "POST"])
def getrequest():
    """The poll: `OK`, or queued commands as `C:<id>:<command>` lines."""
    device, now = _device()
    if device is None:
        return _refused()
    reply = terminal.poll(session=db(), settings=opsta().settings, device=device, info=_arg("INFO"), now=now)
    return _text(reply, codec=device.codec)


@bp.route("/iclock/devicecmd", methods=["GET", "POST"])
@bp.route("/iclock/devicecmd.aspx", methods=["GET", "POST"])
def devicecmd():
    """Results of executed commands."""
    device, now = _device()
    if device is None:
        return _refused()
    reply = terminal.command_results(session=db(), device=device, body=request.get_data(cache=False), now=now)
    return _text(reply, codec=device.codec)


@bp.route("/iclock/ping", methods=["GET", "POST"])
@bp.route("/iclock/ping.aspx", methods=["GET", "POST"])
def ping():
    """Keep-alive during long uploads."""
    device, _ = _device()
    if device is None:
        return _refused()
    return _text(terminal.acknowledge(session=db()), codec=device.codec)


@bp.errorhandler(Exception)
def plain_error(error: Exception) -> Response:
    """Plain-text errors for terminals: they only look at the status, and retry on anything but 200."""
    db().rollback()
    if isinstance(error, HTTPException):
        return _text(error.name, error.code or 500)
    if isinstance(error, SQLAlchemyError):
        log.warning("iclock %s: database error, the terminal will retry: %s", request.path, error)
        return _text("Database unavailable, retry", 503)
    log.exception("iclock %s failed", request.path)
    return _text("Server error, retry", 503)
