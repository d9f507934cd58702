"""Statements run on psycopg directly still fail the way SQLAlchemy statements do."""
import pytest
from sqlalchemy import bindparam, exc, select, text

from engine.attendance.driver_statement import DriverStatement
from engine.models import OrgUnit

pytestmark = pytest.mark.postgres_only

UNIT_NAMED = DriverStatement(select(OrgUnit.__table__.c.code, OrgUnit.__table__.c.name_th)
                             .where(OrgUnit.__table__.c.code == bindparam("code")))


def test_rows_come_back_as_tuples_and_none_when_there_is_no_row(db_engine, demo_org):
    with db_engine.connect() as connection:
        assert UNIT_NAMED.first(connection, {"code": "ICT"})[0] == "ICT"
        assert UNIT_NAMED.first(connection, {"code": "NO-SUCH-UNIT"}) is None


def test_a_constraint_violation_is_sqlalchemys_integrity_error(db_engine, demo_org):
    copy_unit = DriverStatement(text("INSERT INTO org_units (code, name_th, name_en) "
                                     "SELECT code, name_th, name_en FROM org_units WHERE code = :code RETURNING id"))
    with db_engine.connect() as connection:
        with pytest.raises(exc.IntegrityError):
            copy_unit.first(connection, {"code": "ICT"})


def test_a_connection_the_database_dropped_is_invalidated(db_engine, demo_org):
    with db_engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        connection.commit()
        with db_engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        with pytest.raises(exc.DBAPIError) as raised:
            UNIT_NAMED.first(connection, {"code": "ICT"})
        assert raised.value.connection_invalidated and connection.invalidated
    with db_engine.connect() as fresh:  # the pool hands out a working connection afterwards
        assert UNIT_NAMED.first(fresh, {"code": "ICT"})[0] == "ICT"
