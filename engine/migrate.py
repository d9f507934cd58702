"""Run the Alembic migrations programmatically (CLI, app start-up and tests share this)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from engine.config import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "heads") -> None:
    """Bring the schema at `database_url` up to `revision`."""
    command.upgrade(alembic_config(database_url), revision)
