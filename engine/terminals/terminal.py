"""One iclock request of an admitted terminal: the handshake, its uploads, its polls and its command results.

`registry.admitted_device` has let the terminal in (and stored that it was seen). Every function here
that stores something commits before it returns, so the `OK` the caller sends means the data is stored;
a database error propagates and the terminal, getting no 200, sends again.
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from devices.command_results import parse_devicecmd
from devices.device_info import parse_info, parse_options
from devices.operlog import TaggedEntry, parse_operlog
from devices.replies import OK_REPLY, HandshakeSettings, handshake_reply, time_reply
from devices.wire import decode_body, numbered_lines
from engine.config import Settings
from engine.models import Device
from engine.terminals.enrollment import command_finished
from engine.terminals.ingest import Unmatched, keep_unmatched, rejects_as_unmatched, store_attlog
from engine.terminals.photo_handouts import photo_withheld, record_handouts
from engine.terminals.queue import apply_results, hand_out_commands

log = logging.getLogger(__name__)

# Tables we read; ATTPHOTO, USERPIC and ERRORLOG are accepted and not stored (no use for them yet).
IGNORED_TABLES = ("ATTPHOTO", "USERPIC", "ERRORLOG")
MAX_KEPT_UNKNOWN_LINES = 200
_STAMP_COLUMNS = {"ATTLOG": "attlog_stamp", "OPERLOG": "operlog_stamp", "ATTPHOTO": "attphoto_stamp"}
_NOT_DIGITS = re.compile(r"\D")


def handshake(*, session: Session, settings: Settings, device: Device, push_version: str, now: datetime) -> str:
    """The `GET OPTION FROM:` block: poll delay, the device's TimeZone option and its upload stamps."""
    if push_version:
        device.push_version = push_version[:32]
    reply = handshake_reply(
        sn=device.sn, now=now,
        settings=HandshakeSettings(timezone=device.timezone, timezone_format=device.timezone_format,
                                   delay=settings.device_poll_delay_seconds,
                                   error_delay=settings.device_error_delay_seconds),
        attlog_stamp=device.attlog_stamp, operlog_stamp=device.operlog_stamp,
        attphoto_stamp=device.attphoto_stamp)
    session.commit()
    return reply


def clock(*, device: Device, now: datetime) -> str:
    """`Time=…±hh:mm` in the device zone, for `GET cdata?type=time`."""
    return time_reply(tz=device.timezone, now=now)


def acknowledge() -> str:
    """`OK` for a ping or an unknown GET: admitting the device was all there was to store."""
    return OK_REPLY


def upload(*, session: Session, settings: Settings, device: Device, table: str, stamp: str, body: bytes,
           now: datetime) -> str:
    """Take one `POST cdata?table=…`; unknown tables are logged and kept for review, never dropped."""
    table_key = table.strip().upper()
    column = _STAMP_COLUMNS.get(table_key)
    digits = _NOT_DIGITS.sub("", stamp or "")[:32]
    if column and digits:
        setattr(device, column, digits)
    if table_key in IGNORED_TABLES:
        log.info("device %s uploaded table=%s (%d bytes); not stored", device.sn, table_key, len(body))
        session.commit()
        return OK_REPLY
    text = decode_body(body, device.codec)
    if table_key == "ATTLOG":
        outcome = store_attlog(session=session, settings=settings, device=device, text=text, now=now)
        log.info("device %s ATTLOG: %d stored, %d duplicate, %d unmatched", device.sn, outcome.stored,
                 outcome.duplicates, outcome.unmatched)
        return OK_REPLY
    if table_key in ("OPERLOG", "BIODATA"):
        _take_operlog(session, device, table_key, text, now)
    elif table_key == "OPTIONS":
        device.options = parse_options(text)
        if device.options.get("PushVersion"):
            device.push_version = device.options["PushVersion"][:32]
    else:
        _keep_unknown_table(session, device, table or "(none)", text, now)
    session.commit()
    return OK_REPLY


def _take_operlog(session: Session, device: Device, table: str, text: str, now: datetime) -> None:
    entries, rejects = parse_operlog(text)
    tags: dict[str, int] = {}
    for entry in entries:
        tag = entry.tag if isinstance(entry, TaggedEntry) else "OPLOG"
        tags[tag] = tags.get(tag, 0) + 1
    log.info("device %s %s: %s", device.sn, table, ", ".join(f"{n} {t}" for t, n in sorted(tags.items())) or "empty")
    keep_unmatched(session=session, device=device, table_name=table, lines=rejects_as_unmatched(rejects), now=now)


def _keep_unknown_table(session: Session, device: Device, table: str, text: str, now: datetime) -> None:
    # Access-control firmware posts punches as table=rtlog; answering OK without a trace would lose them.
    lines = [Unmatched(line_no, line, f"table {table} is not supported; kept for review")
             for line_no, line in numbered_lines(text)]
    log.warning("device %s posted unsupported table=%s with %d line(s); kept for review", device.sn, table,
                len(lines))
    keep_unmatched(session=session, device=device, table_name=table, lines=lines[:MAX_KEPT_UNKNOWN_LINES], now=now)


def poll(*, session: Session, settings: Settings, device: Device, info: str | None, now: datetime,
         remote_addr: str = "") -> str:
    """Answer getrequest: store `INFO=` when present, then hand out queued commands (or `OK`), recording every
    photo handed out and withholding those of people no longer at the terminal's site."""
    if info:
        device.firmware_info = asdict(parse_info(info))
    handed = hand_out_commands(session=session, settings=settings, device=device, now=now,
                               withheld=photo_withheld(session=session, device=device))
    for command in handed.given_up:
        command_finished(session=session, command=command)
    record_handouts(session=session, device=device, commands=handed.sent, remote_addr=remote_addr, now=now)
    session.commit()
    return handed.body


def command_results(*, session: Session, device: Device, body: bytes, now: datetime) -> str:
    """Apply a devicecmd body (one or many `ID=…&Return=…&CMD=…` results) and move the enrollments they finish."""
    results = parse_devicecmd(decode_body(body, device.codec))
    for command in apply_results(session=session, device=device, results=results, now=now):
        command_finished(session=session, command=command)
    session.commit()
    return OK_REPLY
