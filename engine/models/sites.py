"""Office sites: a geofence polygon (GeoJSON, lon/lat) and how far outside it still counts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UTCDateTime, utcnow


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    geometry: Mapped[dict] = mapped_column(JSON)
    tolerance_m: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SiteUnit(Base):
    """A unit working at a site: its employees, and those of the units below it, belong to the site."""

    __tablename__ = "site_units"
    __table_args__ = (UniqueConstraint("site_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)


class SiteEmployee(Base):
    """An employee belonging to a site explicitly (whatever their unit)."""

    __tablename__ = "site_employees"
    __table_args__ = (UniqueConstraint("site_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
