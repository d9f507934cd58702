"""The baseline of bench/punch_ingest.py: Flask + SQLAlchemy that only inserts the posted row.

No auth, no validation schema, no geofence, no ledger: parse the JSON, insert one row, commit,
answer 201 with the new id. Served by the same gunicorn settings as the real app:
    BENCH_DATABASE_URL=postgresql+psycopg://... gunicorn bench.bare_insert_app:app
"""
from __future__ import annotations

import os
from datetime import datetime

from flask import Flask, g, jsonify, request
from sqlalchemy import Float, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from engine.config import Settings
from engine.db import UTCDateTime, make_engine, make_session_factory, utcnow


class BareBase(DeclarativeBase):
    pass


class BarePunch(BareBase):
    __tablename__ = "bench_bare_punches"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


def create_bare_app(database_url: str) -> Flask:
    """The bare insert endpoint at POST /bare/punches, and /healthz."""
    app = Flask(__name__)
    # The same pool as the real app's, so neither opens connections per request under load.
    session_factory = make_session_factory(make_engine(database_url, pool_size=Settings.from_env().database_pool_size))

    @app.teardown_appcontext
    def close_session(_exc):
        session = g.pop("session", None)
        if session is not None:
            session.close()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/bare/punches")
    def insert_punch():
        body = request.get_json()
        g.session = session = session_factory()
        row = BarePunch(direction=body["direction"], latitude=body["latitude"], longitude=body["longitude"],
                        accuracy_m=body.get("accuracy_m"), note=body.get("note", ""),
                        address=body.get("address", ""), idempotency_key=request.headers.get("Idempotency-Key"),
                        recorded_at=utcnow())
        session.add(row)
        session.commit()
        return jsonify(id=row.id, direction=row.direction, recorded_at=row.recorded_at.isoformat()), 201

    return app


app = create_bare_app(os.environ["BENCH_DATABASE_URL"]) if "BENCH_DATABASE_URL" in os.environ else None
