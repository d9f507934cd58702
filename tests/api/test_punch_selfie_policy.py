"""OPSTA_PHONE_PUNCH_SELFIE: `required` (the default, and the demo's) refuses a phone punch without a selfie."""
from dataclasses import replace

import pytest

from engine.config import Settings

OFFICE = {"direction": "in", "latitude": 13.8620, "longitude": 100.5125, "accuracy_m": 10}


@pytest.fixture
def selfie_policy(live_app):
    """Serve with another selfie policy for one test."""
    context = live_app.app.extensions["opsta"]
    kept = context.settings

    def use(policy: str) -> None:
        context.settings = replace(kept, phone_punch_selfie=policy)

    yield use
    context.settings = kept


def test_the_default_policy_is_required():
    assert Settings.from_env(environ={}).phone_punch_selfie == "required"
    assert Settings.from_env(environ={"OPSTA_PHONE_PUNCH_SELFIE": "optional"}).selfie_required is False
    with pytest.raises(ValueError):
        Settings.from_env(environ={"OPSTA_PHONE_PUNCH_SELFIE": "sometimes"})


def test_a_json_punch_without_a_selfie_is_refused_while_selfies_are_required(api, moc_site, selfie_policy):
    employee = api.login("employee1")
    selfie_policy("required")
    reply = employee.post("/api/punches", json=OFFICE)
    assert reply.status_code == 422 and reply.json()["code"] == "selfie_required"
    assert reply.json()["errors"] == {"selfie": ["A selfie is required with every phone punch."]}
    assert employee.get("/api/me/punches").json()["total"] == 0
    selfie_policy("optional")
    accepted = employee.post("/api/punches", json=OFFICE)
    assert accepted.status_code == 201 and accepted.json()["verification"]["status"] == "not_required"
