"""Settings for the app under test: the scratch database, the in-process broker, local sign-in on."""
from __future__ import annotations

from engine.config import Settings


def make_settings(database_url: str, **overrides) -> Settings:
    """The settings of an app under test on `database_url`; `overrides` by field name."""
    # Selfies optional, so the many tests of what happens to a punch need not run the face model for each;
    # tests/api/test_punch_selfie_policy.py serves the default ("required").
    values = dict(database_url=database_url, secret_key="test-secret-key-0123456789abcdef",
                  broker_url="memory://", demo_password="demo", local_login="true",
                  public_url="http://127.0.0.1", phone_punch_selfie="optional")
    values.update(overrides)
    return Settings.from_env(environ={}, **values)
