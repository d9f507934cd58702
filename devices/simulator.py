"""A ZKTeco ADMS face terminal simulated over real HTTP: the device is the HTTP client.

It handshakes (retrying while the server answers 401), uploads its capabilities, polls
getrequest, posts punches (resending after any non-200), executes USERINFO/BIOPHOTO/DELETE/
QUERY ATTLOG commands against its own user table and reports results on devicecmd.
"""
from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import requests

from devices.attlog import format_attlog_line
from devices.command_queue import parse_command_reply
from devices.command_results import CommandResult, explain_return_code, format_devicecmd
from devices.commands import COMMAND_TIME_FORMAT, parse_command
from devices.punch_meaning import zone
from devices.replies import parse_handshake_reply
from devices.wire import DEFAULT_CODEC, decode_body, encode_body

USER_AGENT = "iClock Proxy/1.09"
FIRMWARE = "ZAM170-NF-Ver1.1.27"


class DeviceGaveUp(Exception):
    """The server kept refusing (non-200 or unreachable) after the bounded number of tries."""


@dataclass
class SimulatedUser:
    pin: str
    name: str
    privilege: int = 0
    card: str = ""
    photo: bytes | None = None


@dataclass(frozen=True)
class SimulatedPunch:
    pin: str
    local_time: datetime
    state: int = 0
    verify: int = 15


class SimulatedDevice:
    """One terminal with its serial number, wall-clock zone, codec, users and punch log."""

    def __init__(self, *, base_url: str, sn: str, codec: str = DEFAULT_CODEC, tz: str = "Asia/Bangkok",
                 delay: float | None = None, line_ending: str = "\n", stamp: str = "9999",
                 handshake_tries: int = 5, upload_tries: int = 3, retry_pause: float = 0.0,
                 timeout: float = 10.0, on_event: Callable[[str], None] | None = None,
                 http: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.sn = sn
        self.codec = codec
        self.zone = zone(tz)
        self.delay = delay
        self.line_ending = line_ending
        self.stamp = stamp
        self.handshake_tries = handshake_tries
        self.upload_tries = upload_tries
        self.retry_pause = retry_pause
        self.timeout = timeout
        self.on_event = on_event
        self.http = http or requests.Session()
        self.users: dict[str, SimulatedUser] = {}
        self.punches: list[SimulatedPunch] = []
        self.pending: list[SimulatedPunch] = []
        self.server_options: dict[str, str] = {}
        self.events: list[str] = []

    # -- HTTP -----------------------------------------------------------------------------------

    def _request(self, method: str, path: str, params: dict, body: str | None = None) -> requests.Response | None:
        headers = {"User-Agent": USER_AGENT, "Connection": "close"}
        data = None
        if body is not None:
            headers["Content-Type"] = "text/plain"
            data = encode_body(body, self.codec)
        try:
            return self.http.request(method, f"{self.base_url}{path}", params={"SN": self.sn, **params},
                                     data=data, headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            self._event(f"{method} {path} failed: {error.__class__.__name__}")
            return None

    def _until_ok(self, what: str, tries: int, send: Callable[[], requests.Response | None]) -> requests.Response:
        for attempt in range(1, tries + 1):
            response = send()
            if response is not None and response.status_code == 200:
                return response
            status = response.status_code if response is not None else "no answer"
            self._event(f"{what}: attempt {attempt}/{tries} got {status}")
            if attempt < tries and self.retry_pause:
                time.sleep(self.retry_pause)
        raise DeviceGaveUp(f"{what} refused {tries} times")

    def _event(self, message: str) -> None:
        self.events.append(message)
        if self.on_event:
            self.on_event(message)

    def _text_of(self, response: requests.Response) -> str:
        # requests would guess ISO-8859-1 for a charset-less text/plain; the device uses its own codec.
        return decode_body(response.content, self.codec)

    def _body_of(self, lines: list[str]) -> str:
        return "".join(line + self.line_ending for line in lines)

    # -- session --------------------------------------------------------------------------------

    def now_local(self) -> datetime:
        """The device wall clock: naive local time in its zone, to the second."""
        return datetime.now(self.zone).replace(tzinfo=None, microsecond=0)

    def start(self) -> None:
        """Handshake, upload capabilities when asked to, then make the first INFO poll."""
        self.handshake()
        if self.server_options.get("PushOptionsFlag", "").strip() == "1":
            self.upload_options()
        self.poll(with_info=True)

    def handshake(self) -> dict[str, str]:
        """`GET cdata?options=all` until the server answers 200 with an option block."""
        params = {"options": "all", "language": "69", "pushver": "2.4.1", "PushOptionsFlag": "1"}
        response = self._until_ok("handshake", self.handshake_tries,
                                  lambda: self._request("GET", "/iclock/cdata", params))
        try:
            _, self.server_options = parse_handshake_reply(self._text_of(response))
        except ValueError as error:
            raise DeviceGaveUp(f"handshake reply unreadable: {self._text_of(response)[:80]!r}") from error
        if self.delay is None and self.server_options.get("Delay", "").strip().isdigit():
            self.delay = float(self.server_options["Delay"])
        self._event(f"handshake ok: Delay={self.server_options.get('Delay')} "
                    f"TimeZone={self.server_options.get('TimeZone')}")
        return self.server_options

    def options_body(self) -> str:
        """The capability list, shaped like a real SpeedFace-V5L upload (comma inside OEMVendor)."""
        photos = sum(1 for user in self.users.values() if user.photo)
        return ",".join([
            "~DeviceName=SpeedFace-V5L[SIM]", "MAC=00:17:61:00:00:01", f"TransactionCount={len(self.punches)}",
            "~MaxAttLogCount=20", f"UserCount={len(self.users)}", "~MaxUserCount=100", "PhotoFunOn=1",
            "~MaxUserPhotoCount=2500", "FaceFunOn=1", "FaceVersion=58", "~MaxFaceCount=6000",
            f"FaceCount={photos}", "Language=69", "IPAddress=127.0.0.1", "~Platform=ZAM170_TFT",
            "~OEMVendor=ZKTeco Co., Ltd.", f"FWVersion={FIRMWARE}", "PushVersion=Ver 2.0.32S-20200506",
            "MultiBioDataSupport=0:1:0:0:0:0:0:0:1:1", "MultiBioPhotoSupport=0:0:0:0:0:0:0:0:0:1",
        ])

    def upload_options(self) -> None:
        """POST `table=options` with the capability list."""
        self._until_ok("options", self.upload_tries,
                       lambda: self._request("POST", "/iclock/cdata", {"table": "options"}, self.options_body()))
        self._event("options uploaded")

    def info(self) -> str:
        """The `INFO=` value of the first poll (ten-field form, as real face firmware sends)."""
        photos = sum(1 for user in self.users.values() if user.photo)
        return f"{FIRMWARE},{len(self.users)},0,{len(self.punches)},127.0.0.1,10,58,12,{photos},11110"

    # -- punches --------------------------------------------------------------------------------

    def punch(self, *, pin: str, state: int = 0, verify: int = 15, at: datetime | None = None) -> SimulatedPunch:
        """Record a punch on the device clock (now unless `at`, a naive local time) and queue its upload."""
        punch = SimulatedPunch(pin=pin, local_time=at or self.now_local(), state=state, verify=verify)
        self.punches.append(punch)
        self.pending.append(punch)
        return punch

    def upload_punches(self) -> int:
        """POST all queued punches as one ATTLOG batch, resending after a non-200; returns the count."""
        if not self.pending:
            return 0
        batch = list(self.pending)
        self._post_attlog(batch, "ATTLOG upload")
        del self.pending[:len(batch)]
        self._event(f"uploaded {len(batch)} punch(es)")
        return len(batch)

    def _post_attlog(self, punches: list[SimulatedPunch], what: str) -> None:
        body = self._body_of([
            format_attlog_line(pin=p.pin, local_time=p.local_time, state=p.state, verify=p.verify)
            for p in punches
        ])
        params = {"table": "ATTLOG", "Stamp": self.stamp}
        self._until_ok(what, self.upload_tries, lambda: self._request("POST", "/iclock/cdata", params, body))

    # -- commands -------------------------------------------------------------------------------

    def poll(self, *, with_info: bool = False) -> list[CommandResult]:
        """GET getrequest once, execute any commands and report their results on devicecmd."""
        params = {"INFO": self.info()} if with_info else {}
        response = self._request("GET", "/iclock/getrequest", params)
        if response is None or response.status_code != 200:
            self._event(f"poll got {response.status_code if response is not None else 'no answer'}")
            return []
        commands = parse_command_reply(self._text_of(response))
        results = [self.execute(command_id, text) for command_id, text in commands]
        if results:
            self._until_ok("devicecmd", self.upload_tries, lambda: self._request(
                "POST", "/iclock/devicecmd", {}, self._body_of(format_devicecmd(results).splitlines())))
        return results

    def execute(self, command_id: int, text: str) -> CommandResult:
        """Apply one command to the device state and return its result."""
        command = parse_command(text)
        action = " ".join(word.upper() for word in command.words[:3])
        handler = {
            "DATA UPDATE USERINFO": self._update_user,
            "DATA DELETE USERINFO": self._delete_user,
            "DATA UPDATE BIOPHOTO": self._update_photo,
            "DATA DELETE BIOPHOTO": self._delete_photo,
            "DATA QUERY ATTLOG": self._query_attlog,
        }.get(action)
        if handler is not None:
            return_code = handler(command.fields)
        elif command.verb.upper() in ("CHECK", "REBOOT"):
            return_code = 0
        else:
            return_code = -1002  # what real firmware answers to syntax it does not know
        self._event(f"C:{command_id} {action or command.verb}: Return={return_code} "
                    f"({explain_return_code(return_code)})")
        return CommandResult(id=command_id, return_code=return_code, cmd=command.verb)

    def _update_user(self, fields) -> int:
        pin = fields.get("PIN", "").strip()
        if not pin:
            return -1
        user = self.users.setdefault(pin, SimulatedUser(pin=pin, name=""))
        user.name = fields.get("Name", user.name)
        user.card = fields.get("Card", user.card)
        privilege = fields.get("Pri", "").strip()
        if privilege.lstrip("-").isdigit():
            user.privilege = int(privilege)
        return 0

    def _delete_user(self, fields) -> int:
        return 0 if self.users.pop(fields.get("PIN", "").strip(), None) else -10

    def _update_photo(self, fields) -> int:
        user = self.users.get(fields.get("PIN", "").strip())
        if user is None:
            return -10
        if fields.get("Format", "0").strip() not in ("", "0"):
            return -1  # URL mode is not simulated
        content = fields.get("Content", "")
        size = fields.get("Size", "").strip()
        if not size.isdigit() or int(size) != len(content):
            return -2  # Size is the base64 length; a mismatch is a "photo size" error
        try:
            user.photo = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            return -6
        return 0

    def _delete_photo(self, fields) -> int:
        user = self.users.get(fields.get("PIN", "").strip())
        if user is None:
            return -10
        user.photo = None
        return 0

    def _query_attlog(self, fields) -> int:
        try:
            start = datetime.strptime(fields.get("StartTime", "").strip(), COMMAND_TIME_FORMAT)
            end = datetime.strptime(fields.get("EndTime", "").strip(), COMMAND_TIME_FORMAT)
        except ValueError:
            return -1
        found = [p for p in self.punches if start <= p.local_time <= end]
        if not found:
            return -1  # real firmware answers -1 to an empty range
        try:
            self._post_attlog(found, "ATTLOG query re-post")
        except DeviceGaveUp:
            return -1003
        self._event(f"re-posted {len(found)} punch(es) for DATA QUERY ATTLOG")
        return 0
