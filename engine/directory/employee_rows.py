"""Parse the rows of an employee CSV and check each row on its own (no database, no other rows)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.file_import import CsvRecord, LineProblem
from engine.models import ROLES

COLUMNS = (
    "code", "name_th", "name_en", "email", "position_title",
    "unit_code", "supervisor_code", "active", "roles",
)
REQUIRED_COLUMNS = ("code", "name_th", "unit_code")

_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() would also accept Thai and other Unicode digits
# Deliberately loose: one @, no spaces, a dot in the domain. Mail servers are the real judge.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}
_MAX_LENGTH = {"code": 16, "name_th": 255, "name_en": 255, "email": 255, "position_title": 255}


@dataclass
class EmployeeRow:
    """One data row: `values` holds only the columns the file has, already converted."""

    line: int
    values: dict[str, object] = field(default_factory=dict)

    @property
    def code(self) -> str | None:
        return self.values.get("code") or None

    @property
    def email(self) -> str | None:
        return self.values.get("email") or None

    @property
    def supervisor_code(self) -> str | None:
        return self.values.get("supervisor_code") or None


def read_header(record: CsvRecord) -> tuple[list[str], list[LineProblem]]:
    """Column names of the header row and what is wrong with them."""
    names = [name.strip().lower() for name in record.fields]
    problems: list[LineProblem] = []
    for name in names:
        if name not in COLUMNS:
            problems.append(LineProblem(record.line, f"unknown column '{name}' (expected {', '.join(COLUMNS)})"))
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(LineProblem(record.line, f"column '{name}' appears more than once"))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            problems.append(LineProblem(record.line, f"missing required column '{name}'"))
    return names, problems


def parse_row(record: CsvRecord, columns: list[str]) -> tuple[EmployeeRow, list[LineProblem]]:
    """Convert one record and list every problem it has on its own."""
    line = record.line
    row = EmployeeRow(line)
    problems: list[LineProblem] = []
    if len(record.fields) != len(columns):
        problems.append(LineProblem(line, f"expected {len(columns)} fields, found {len(record.fields)}"))
        return row, problems
    raw = dict(zip(columns, record.fields))

    for name in REQUIRED_COLUMNS:
        if not raw[name]:
            problems.append(LineProblem(line, f"missing required field '{name}'"))
    for name, limit in _MAX_LENGTH.items():
        if len(raw.get(name, "")) > limit:
            problems.append(LineProblem(line, f"{name} is longer than {limit} characters"))

    code = raw["code"]
    if code and not _DIGITS.fullmatch(code):
        problems.append(LineProblem(line, f"code '{code}' is not digits only"))
        code = ""
    row.values["code"] = code
    for name in ("name_th", "name_en", "position_title", "unit_code"):
        if name in raw:
            row.values[name] = raw[name]

    if "email" in raw:
        # Stored lower-case: sign-in matches emails case-insensitively.
        email = raw["email"].lower()
        if email and not _EMAIL.fullmatch(email):
            problems.append(LineProblem(line, f"bad email '{raw['email']}'"))
        row.values["email"] = email or None

    if "supervisor_code" in raw:
        supervisor = raw["supervisor_code"]
        if supervisor and not _DIGITS.fullmatch(supervisor):
            problems.append(LineProblem(line, f"supervisor code '{supervisor}' is not digits only"))
            supervisor = ""
        row.values["supervisor_code"] = supervisor or None

    if "active" in raw:
        flag = raw["active"].lower()
        if flag and flag not in _TRUE | _FALSE:
            problems.append(LineProblem(line, f"bad active flag '{raw['active']}' (use true/false/1/0)"))
        row.values["active"] = flag not in _FALSE

    if "roles" in raw:
        roles = {r.strip().lower() for r in raw["roles"].split(";") if r.strip()}
        for role in sorted(roles - set(ROLES)):
            problems.append(LineProblem(line, f"unknown role '{role}' (expected {', '.join(ROLES)})"))
        row.values["roles"] = roles & set(ROLES)
    return row, problems
