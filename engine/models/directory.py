"""The org directory: units in a tree, employees with a reporting line, and roles."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, UTCDateTime, utcnow

ROLES = ("employee", "hr", "admin", "analyst", "device_admin")


class OrgUnit(Base):
    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    head_employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", use_alter=True, name="fk_org_units_head_employee_id_employees")
    )

    parent: Mapped["OrgUnit | None"] = relationship(remote_side="OrgUnit.id", foreign_keys=[parent_id])


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_th: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    position_title: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped to end every session and app token of the employee at once (password change,
    # deactivation, admin revoke): both carry the epoch they were made in.
    credentials_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[unit_id])
    supervisor: Mapped["Employee | None"] = relationship(remote_side="Employee.id", foreign_keys=[supervisor_id])
    role_rows: Mapped[list["EmployeeRole"]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        return {"employee"} | {r.role for r in self.role_rows}

    @property
    def sorted_roles(self) -> list[str]:
        return sorted(self.roles)


class EmployeeRole(Base):
    __tablename__ = "employee_roles"
    __table_args__ = (UniqueConstraint("employee_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))

    employee: Mapped[Employee] = relationship(back_populates="role_rows")
