"""Results that devices POST to `/iclock/devicecmd` after executing commands, and what codes mean."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# DOC V3.2.0 table 2.7 + appendix 1, with what real hardware was seen to mean.
RETURN_CODES = {
    0: "success",
    -1: "parameter error, not supported, or no data",
    -2: "wrong operation, or photo size mismatch / photo too large",
    -3: "access or flash error, or bad parameter",
    -4: "no matching data",
    -5: "no space on device",
    -6: "invalid data",
    -9: "template size differs from Size",
    -10: "PIN does not exist on the device",
    -11: "bad fingerprint template",
    -12: "bad fingerprint template",
    -22: "unknown command",
    -1001: "device capacity reached",
    -1002: "command not supported (bad syntax)",
    -1003: "timeout",
    -1004: "data or configuration inconsistent (table not supported)",
}

_SEPARATOR = re.compile(r"&|\r?\n")
_KEY = re.compile(r"^~?[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class CommandResult:
    """One executed command: its queue id, return code, echoed verb and any other fields."""

    id: int
    return_code: int
    cmd: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.return_code >= 0


def parse_devicecmd(body: str) -> list[CommandResult]:
    """Parse a devicecmd body: one or many results, `&` or line breaks between fields.

    Every `ID=` starts a new result. Records without an integer ID and Return are dropped; a piece
    that is not `Key=Value` continues the previous value (multi-line SHELL/INFO output).
    """
    records: list[dict[str, str]] = []
    last_key = None
    for piece in _SEPARATOR.split(body):
        key, sep, value = piece.partition("=")
        if sep and _KEY.match(key.strip()):
            key = key.strip()
            if key.upper() == "ID" or not records:
                records.append({})
            records[-1][key] = value
            last_key = key
        elif records and last_key is not None and piece:
            records[-1][last_key] += "\n" + piece
    return [result for result in map(_to_result, records) if result is not None]


def _to_result(record: dict[str, str]) -> CommandResult | None:
    upper = {key.upper(): key for key in record}
    try:
        command_id = int(record[upper["ID"]].strip())
        return_code = int(record[upper["RETURN"]].strip())
    except (KeyError, ValueError):
        return None
    cmd = record[upper["CMD"]].strip() if "CMD" in upper else ""
    extra = {key: value for key, value in record.items() if key.upper() not in ("ID", "RETURN", "CMD")}
    return CommandResult(command_id, return_code, cmd, extra)


def format_devicecmd(results: list[CommandResult]) -> str:
    """Render results the way real devices batch them: `ID=..&Return=..&CMD=..` per line."""
    lines = []
    for result in results:
        parts = [f"ID={result.id}", f"Return={result.return_code}", f"CMD={result.cmd}"]
        parts += [f"{key}={value}" for key, value in result.extra.items()]
        lines.append("&".join(parts))
    return "\n".join(lines) + "\n"


def explain_return_code(return_code: int) -> str:
    """A short English explanation of a devicecmd Return code."""
    if return_code > 0:
        return f"success ({return_code})"
    return RETURN_CODES.get(return_code, f"unknown error {return_code}")
