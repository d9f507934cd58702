"""Render any `ReportTable` as a file: `render(table, fmt, language)` → `Rendered`.

Only JSON lives here so far; csv, xlsx and pdf are added beside it (issue 15, formats). A format not
available yet is a 4xx problem `report_format_unavailable`, never an empty success.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.errors import DomainError, InvalidInput
from engine.reports.formats import json_format
from engine.reports.table import ReportTable

FORMATS = ("json", "csv", "xlsx", "pdf")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    media_type: str
    filename: str


class ReportFormatUnavailable(DomainError):
    status = 501
    code = "report_format_unavailable"
    title = "Report format not available"


# fmt → function(table, language) -> Rendered. The formats engineer registers csv, xlsx and pdf here.
RENDERERS = {"json": lambda table, language: Rendered(json_format.render(table, language), "application/json",
                                                      f"{table.name}.json")}


def check_format(fmt: str) -> None:
    """422 `report_format_unknown` for a name that is no format, 501 for one not available yet."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}.", code="report_format_unknown")
    if fmt not in RENDERERS:
        raise ReportFormatUnavailable(f"The {fmt} format of reports is not available yet.")


def render(table: ReportTable, fmt: str, language: str = "th") -> Rendered:
    """`table` as `fmt` in `language` (th or en); 422 `report_format_unknown`, 501 `report_format_unavailable`."""
    check_format(fmt)
    return RENDERERS[fmt](table, language)
