"""The `opsta` command line."""
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
    from engine.cli import (audit_commands, bpmn_commands, db_commands, demo_commands, device_commands,
                            face_commands, import_commands, run_commands, scheduler_commands)

    for module in (db_commands, demo_commands, run_commands, import_commands, audit_commands, bpmn_commands,
                   scheduler_commands, device_commands, face_commands):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
