"""How the file import commands (`opsta import …`) report the problems they found (see engine/file_import.py)."""
from __future__ import annotations

import sys
from typing import Iterable

import click


def exit_on_problems(problems: Iterable[object], summary: str) -> None:
    """Print every problem (one per line, as `str` formats it) and `summary` on stderr, then exit 1.

    Returns without a word when there are no problems.
    """
    problems = list(problems)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(summary, err=True)
        sys.exit(1)
