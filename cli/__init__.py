"""The `opsta` command line: every command, one module per command group.

Commands parse their arguments, call engine services with a session from `obj.session_factory`
and print the result; the `opsta` entry point is `cli:main`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import click

from engine.config import Settings


@dataclass
class CliContext:
    """What every sub-command gets through `click.pass_obj`."""

    settings: Settings

    @cached_property
    def engine(self):
        from engine.db import make_engine

        return make_engine(self.settings.database_url)

    @cached_property
    def session_factory(self):
        from engine.db import make_session_factory

        return make_session_factory(self.engine)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """OPS-TA: time attendance and approvals."""
    from dotenv import load_dotenv

    load_dotenv(override=False)
    ctx.obj = CliContext(settings=Settings.from_env())


def _register() -> None:
    from cli import audit, bpmn, db, demo, device, face, imports, push, reports, run, scheduler

    for module in (db, demo, run, imports, audit, bpmn, scheduler, device, face, push, reports):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
