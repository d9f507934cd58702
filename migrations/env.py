"""Alembic environment: the same migrations run on SQLite (batch mode) and PostgreSQL."""
from alembic import context
from sqlalchemy import pool

from engine.db import Base, make_engine
import engine.models  # noqa: F401  (registers every table)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    connectable = make_engine(url, poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
