"""The migrations build the same schema the models describe, on either backend."""
from sqlalchemy import inspect

from engine.db import Base


def test_migrated_schema_has_every_model_table(db_engine):
    tables = set(inspect(db_engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
