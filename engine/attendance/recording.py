"""Recording a phone (GPS) punch: timing, geofence, place label, flags, idempotency, ledger."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from engine.accounts.app_tokens import AppTokenClaims
from engine.attendance.ledger import ChainEnd, UnknownEmployee, append_built, lone_append_connection
from engine.attendance.queries import SiteRef
from engine.attendance.spoofing_flags import punch_flags, travel_is_impossible
from engine.attendance.timing import PunchTiming, punch_timing
from engine.config import Settings
from engine.db import connection_lost, utcnow
from engine.errors import Conflict, DatabaseUnavailable, InvalidInput, Unauthenticated
from engine.face_checks.selfies import PreparedSelfie, attach_selfie
from engine.models import Punch
from geo import ReverseGeocoder, SiteIndexCache, SiteMatch, place_label


@dataclass(frozen=True)
class Geofence:
    """The geofence index and reverse geocoder of this process."""

    sites: SiteIndexCache
    geocoder: ReverseGeocoder


@dataclass(frozen=True)
class GpsPunchInput:
    direction: str
    latitude: float
    longitude: float
    accuracy_m: float | None = None
    is_mock: bool = False
    note: str = ""
    address: str = ""
    client_time: datetime | None = None
    offline: bool | None = None

    def fingerprint(self) -> str:
        """A hash of the request body, to tell a retry from a different punch under the same key."""
        # Fields read directly: `asdict` deep-copies every value first, and these are all flat.
        body = {f.name: _fingerprint_value(getattr(self, f.name)) for f in fields(self)}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _fingerprint_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _by_idempotency_key(session: Session, employee_id: int, key: str) -> Punch | None:
    return session.scalar(select(Punch).where(Punch.employee_id == employee_id, Punch.idempotency_key == key))


def _replay(existing: Punch, fingerprint: str) -> Punch:
    if existing.request_fingerprint != fingerprint:
        raise Conflict("This Idempotency-Key was already used for a different punch. Make a new key for a new punch.",
                       code="idempotency_key_reused")
    return existing


@dataclass(frozen=True)
class RecordedPunch:
    punch: Punch
    created: bool  # False when this was a retry of an earlier request with the same key
    site: SiteRef | None = None  # the geofence match, known without reading the site back


def record_gps_punch(*, session: Session, settings: Settings, geofence: Geofence, employee_id: int,
                     data: GpsPunchInput, idempotency_key: str | None = None,
                     now: datetime | None = None, selfie: PreparedSelfie | None = None,
                     token: AppTokenClaims | None = None) -> RecordedPunch:
    """Store a phone punch (commits); a retry with the same key returns the first one with `created` False.

    Refused (401) when the employee is not active in the directory, or when `token` (the app token
    the punch came with) was revoked or belongs to older credentials: the punch route leaves those
    checks to the chain-end read here, which makes them in the query it runs anyway.
    Without a selfie it is refused (422 `selfie_required`) while `settings.phone_punch_selfie` is "required".
    With a `selfie`, the punch needs face verification: the selfie, a `pending` verdict and the
    verification job are stored in the session's transaction with the punch (the caller then hands
    the job to the broker). Without one, the punch is the only write and goes in on its own connection.
    `impossible_travel` compares with the employee's positioned punches just before and just after this
    one by effective time (an offline punch synced late is compared with its neighbours in time).
    """
    if selfie is None and settings.selfie_required:
        raise InvalidInput("A phone punch needs a selfie here: send the punch as multipart/form-data with a "
                           "`selfie` file.", code="selfie_required",
                           errors={"selfie": ["A selfie is required with every phone punch."]})
    fingerprint = data.fingerprint()
    if selfie is not None:  # a retry must carry the same photo to count as the same punch
        fingerprint = hashlib.sha256(f"{fingerprint}:{selfie.sha256}".encode()).hexdigest()
    if len(data.note) > settings.note_max_length:
        raise InvalidInput(f"The note is longer than {settings.note_max_length} characters.", code="note_too_long")
    recorded_at = now or utcnow()
    timing = punch_timing(settings=settings, recorded_at=recorded_at, client_time=data.client_time,
                          offline_claimed=data.offline)
    match = geofence.sites.index().tag(data.longitude, data.latitude, data.accuracy_m)
    geocoded = None if match else geofence.geocoder.reverse(data.latitude, data.longitude)

    def build(end: ChainEnd) -> Punch:
        if not end.employee_active:
            raise _not_in_directory()
        if not end.token_live:
            raise Unauthenticated("This sign-in was ended (signed out, revoked or the password changed). "
                                  "Sign in again.", code="token_invalid")
        return _gps_punch(settings=settings, employee_id=employee_id, data=data, recorded_at=recorded_at,
                          timing=timing, match=match, geocoded=geocoded, neighbours=end.neighbours,
                          verification_required=selfie is not None, idempotency_key=idempotency_key,
                          fingerprint=fingerprint)

    try:
        if selfie is None:
            with lone_append_connection(session.get_bind()) as connection:
                punch = append_built(connection=connection, employee_id=employee_id, build=build,
                                     at=timing.effective_at, token=token)
        else:
            punch = append_built(connection=session.connection(), employee_id=employee_id, build=build,
                                 at=timing.effective_at, token=token)
            attach_selfie(session=session, punch=punch, selfie=selfie, now=recorded_at)
            session.commit()
    except UnknownEmployee as exc:
        raise _not_in_directory() from exc
    except IntegrityError:
        # The unique (employee, key) constraint is what makes a key idempotent: a retry's insert
        # fails on it, and nothing of the retry was written.
        session.rollback()
        existing = _by_idempotency_key(session, employee_id, idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return RecordedPunch(_replay(existing, fingerprint), False)
    except DBAPIError as error:
        if not connection_lost(error):
            raise
        # The connection died: maybe before the insert, maybe after its commit with only the reply lost.
        # A stored punch must never be reported as failed, so look for it on a fresh connection.
        stored = _stored_despite_the_loss(session, employee_id, idempotency_key, recorded_at, fingerprint)
        if stored is None:
            raise DatabaseUnavailable("The database connection was lost before the punch was stored. Send it "
                                      "again with the same Idempotency-Key; it will be stored once.") from error
        return RecordedPunch(stored, True, SiteRef(match.site_id, match.name) if match else None)
    return RecordedPunch(punch, True, SiteRef(match.site_id, match.name) if match else None)


def _stored_despite_the_loss(session: Session, employee_id: int, idempotency_key: str | None,
                             recorded_at: datetime, fingerprint: str) -> Punch | None:
    try:
        session.rollback()
        if idempotency_key:
            found = _by_idempotency_key(session, employee_id, idempotency_key)
        else:  # this request's own punch: its server time and content
            found = session.scalar(select(Punch).where(Punch.employee_id == employee_id,
                                                       Punch.recorded_at == recorded_at,
                                                       Punch.request_fingerprint == fingerprint))
    except DBAPIError as error:
        if connection_lost(error):
            return None  # still down: the caller answers 503 and the phone sends it again
        raise
    return found if found is not None and found.request_fingerprint == fingerprint else None


def _not_in_directory() -> Unauthenticated:
    return Unauthenticated("This employee is not active in the directory, so their sign-in no longer counts.",
                           code="token_invalid")


def _gps_punch(*, settings: Settings, employee_id: int, data: GpsPunchInput, recorded_at: datetime,
               timing: PunchTiming, match: SiteMatch | None, geocoded: str | None,
               neighbours: tuple, verification_required: bool,
               idempotency_key: str | None, fingerprint: str) -> Punch:
    """The punch row, flagged against the positioned punches just before and after it in time."""
    impossible = any(travel_is_impossible(settings=settings, previous=neighbour, lat=data.latitude,
                                          lon=data.longitude, at=timing.effective_at) for neighbour in neighbours)
    return Punch(
        employee_id=employee_id, direction=data.direction, source="gps",
        recorded_at=recorded_at, client_time=data.client_time, effective_at=timing.effective_at,
        offline=timing.offline, latitude=data.latitude, longitude=data.longitude, accuracy_m=data.accuracy_m,
        is_mock=data.is_mock, note=data.note, address=data.address,
        place_label=place_label(site_name=match.name if match else None, geocoded_address=geocoded,
                                phone_address=data.address, lat=data.latitude, lon=data.longitude),
        location_kind="office" if match else "offsite", site_id=match.site_id if match else None,
        flags=punch_flags(settings=settings, is_mock=data.is_mock, accuracy_m=data.accuracy_m,
                          clock_skew=timing.clock_skew, impossible_travel=impossible),
        verification_required=verification_required, idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
    )
