"""Helpers for the face-terminal tests: demo employee codes, terminal-sized photos, draining a device's commands."""
from __future__ import annotations

import hashlib
import io

from PIL import Image
from sqlalchemy import select, update

from devices.simulator import SimulatedDevice
from engine.models import Employee, ProfilePhoto

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
