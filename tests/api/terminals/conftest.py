"""Face terminals against the live app: a registered device, a simulator for it, and profile photos."""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import select, update

from devices.simulator import SimulatedDevice
from engine.models import Employee, ProfilePhoto

EMP1, EMP2, EMP3 = "100059150", "100059151", "100059152"


@pytest.fixture
def device_admin(api, demo_org):
    return api.login("device_admin")


@pytest.fixture
def register(device_admin):
    """Register a device through the admin API: `register(sn, **fields)` returns its JSON."""

    def _register(sn: str, **fields):
        reply = device_admin.post("/api/devices", json={"sn": sn, "name": fields.pop("name", sn), **fields})
        assert reply.status_code == 201, reply.text
        return reply.json()

    return _register


@pytest.fixture
def simulator(live_app):
    """`simulator(sn, tz=...)`: a simulated terminal talking to the live app over HTTP."""
    made = []

    def _make(sn: str, **kwargs) -> SimulatedDevice:
        device = SimulatedDevice(base_url=live_app.url, sn=sn, **kwargs)
        made.append(device)
        return device

    yield _make
    for device in made:
        device.http.close()


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
