"""Which punches count as attendance: the one rule the calendar, the day rules and every summary use.

A punch's *standing*:

- ``counts``      – it needs no face check (a terminal punch, a phone punch without a selfie, a punch
  from an approved request), or its selfie was verified, or hr accepted it after its check failed;
- ``provisional`` – its selfie is still being checked (`pending`): it counts for now, and the day it
  lands on says that its status may still change;
- ``excluded``    – its selfie was rejected, or its check gave up (`error`), and hr has not accepted
  it: it is shown, flagged, and left out of the day; the day lists it with the reason.

Reports that judge attendance (monthly summaries, overtime actually worked) call `standing_of` /
`counts_toward_attendance` rather than reading verdicts themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Standing(StrEnum):
    COUNTS = "counts"
    PROVISIONAL = "provisional"
    EXCLUDED = "excluded"


@dataclass(frozen=True)
class PunchStanding:
    standing: Standing
    # Why, when it is not a plain count: selfie_pending, selfie_rejected, verification_error, accepted_by_hr.
    reason: str | None = None


COUNTS = PunchStanding(Standing.COUNTS)
_BY_VERDICT = {
    "verified": COUNTS,
    "pending": PunchStanding(Standing.PROVISIONAL, "selfie_pending"),
    "rejected": PunchStanding(Standing.EXCLUDED, "selfie_rejected"),
    "error": PunchStanding(Standing.EXCLUDED, "verification_error"),
}
# Verdicts hr may overrule with an acceptance.
OVERRULABLE = frozenset({"rejected", "error"})


def punch_standing(*, verification_required: bool, verification_status: str | None,
                   accepted: bool) -> PunchStanding:
    """The standing of a punch from whether it needs a face check, the check's status and hr's acceptance.

    A verdict row not written yet (None) is `pending`: the punch and its verdict are stored together,
    so a reader can only miss it while that transaction is still being committed.
    """
    if not verification_required:
        return COUNTS
    status = verification_status or "pending"
    if accepted and status in OVERRULABLE:
        return PunchStanding(Standing.COUNTS, "accepted_by_hr")
    return _BY_VERDICT.get(status, _BY_VERDICT["pending"])


def standing_of(punch) -> PunchStanding:
    """The standing of a stored punch; readers of many punches eager-load `face_verification` and `acceptance`."""
    if not punch.verification_required:
        return COUNTS
    verdict = punch.face_verification
    return punch_standing(verification_required=True, verification_status=verdict.status if verdict else None,
                          accepted=punch.acceptance is not None)


def counts_toward_attendance(standing: Standing | PunchStanding) -> bool:
    """True for punches that count (provisional ones included); False for excluded ones."""
    if isinstance(standing, PunchStanding):
        standing = standing.standing
    return standing is not Standing.EXCLUDED
