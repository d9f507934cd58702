"""What every file import shares: records that remember the physical line they started on, and
a report of what was found and done.

Used by the employee and holiday importers, which both report problems as `line N: reason`
where line 1 is the header, and write nothing when any line is bad.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO, Union

Source = Union[str, "os.PathLike[str]", BinaryIO, TextIO]


@dataclass(frozen=True)
class LineProblem:
    """One reason a line of an imported file was rejected."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class FileImportReport:
    """What an import found and did (or, on a dry run, would do)."""

    dry_run: bool
    created: int = 0
    updated: int = 0
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


@dataclass(frozen=True)
class CsvRecord:
    line: int
    fields: list[str]


class UnreadableFile(Exception):
    """The file is not UTF-8 text; `problem` says where it broke."""

    def __init__(self, problem: LineProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(source: Source) -> str:
    """The whole text of a path or open file, decoded as UTF-8 with an optional BOM."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            raw: bytes | str = handle.read()
    else:
        raw = source.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(LineProblem(line, "not valid UTF-8 text (save the file as CSV UTF-8)")) from exc


def csv_records(text: str, *, comment_prefix: str | None = None) -> list[CsvRecord]:
    """Non-blank CSV records of `text`, each with the physical line it starts on.

    Lines starting with `comment_prefix` are blanked rather than removed, so later line
    numbers still match what the user sees in an editor.
    """
    lines = text.splitlines(keepends=True)
    if comment_prefix:
        lines = ["\n" if ln.lstrip().startswith(comment_prefix) else ln for ln in lines]
    reader = csv.reader(io.StringIO("".join(lines), newline=""))
    records: list[CsvRecord] = []
    next_line = 1
    try:
        for fields in reader:
            # A quoted field may span lines; the record starts where the previous one ended.
            start, next_line = next_line, reader.line_num + 1
            if not fields or all(not f.strip() for f in fields):
                continue
            records.append(CsvRecord(start, [f.strip() for f in fields]))
    except csv.Error as exc:
        raise UnreadableFile(LineProblem(next_line, f"not readable as CSV: {exc}")) from exc
    return records
