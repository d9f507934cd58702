"""Helpers for the face-terminal tests: demo employee codes, terminal-sized photos, draining a device's commands."""
from __future__ import annotations

import hashlib
import io

from PIL import Image
from sqlalchemy import select, update

from devices.simulator import SimulatedDevice
from engine.models import Device, DeviceEnrollment, Employee, ProfilePhoto

EMP1, EMP2, EMP3 = "100059150", "100059151", "100059152"


def jpeg(colour: tuple[int, int, int]) -> bytes:
    """A real 300x300 JPEG, the size terminals get."""
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), colour).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def set_profile_photo(session, code: str, device_jpeg: bytes) -> ProfilePhoto:
    """Make `device_jpeg` the employee's current profile photo (older ones stop being current); commits."""
    employee = session.scalar(select(Employee).where(Employee.code == code))
    session.execute(update(ProfilePhoto).where(ProfilePhoto.employee_id == employee.id).values(current=False))
    photo = ProfilePhoto(employee_id=employee.id, image=device_jpeg, content_type="image/jpeg",
                         device_jpeg=device_jpeg, embedding=[0.0] * 4, model_name="test",
                         sha256=hashlib.sha256(device_jpeg).hexdigest(), phash="0" * 16, checks=[], current=True)
    session.add(photo)
    session.commit()
    return photo


def drain(device: SimulatedDevice, polls: int = 10) -> list:
    """Poll until the server has nothing more to send; returns every executed result."""
    results = []
    for _ in range(polls):
        batch = device.poll()
        if not batch:
            return results
        results += batch
    raise AssertionError("the server kept sending commands")


def put_on_terminal(session, sn: str, *codes: str) -> None:
    """Record the employees as enrolled on terminal `sn` (as if their USERINFO had come back OK); commits."""
    device = session.scalar(select(Device).where(Device.sn == sn))
    for employee in session.scalars(select(Employee).where(Employee.code.in_(codes))):
        session.add(DeviceEnrollment(device_id=device.id, employee_id=employee.id, state="enrolled", reason=""))
    session.commit()


def make_terminal(session, *, sn: str, name: str, **fields) -> Device:
    """Register a terminal on 10.0.0.0/24 at a site of its own (or `site_id`) where every employee existing now
    works; commits."""
    from engine.models import Site, SiteEmployee
    from engine.terminals.registry import create_device
    from geo import load_demo_site_geojson

    site_id = fields.pop("site_id", None)
    if site_id is None:
        site = Site(name=f"site of {sn}", geometry=load_demo_site_geojson()["geometry"])
        session.add(site)
        session.flush()
        session.add_all([SiteEmployee(site_id=site.id, employee_id=employee_id)
                         for employee_id in session.scalars(select(Employee.id))])
        site_id = site.id
    return create_device(session=session, sn=sn, name=name, site_id=site_id,
                         allowed_networks=fields.pop("allowed_networks", ["10.0.0.0/24"]), **fields)
