"""`opsta push generate-keys` prints a VAPID pair the app starts with; a broken pair stops it with a reason."""
from dataclasses import replace

import pytest
from click.testing import CliRunner

from api.app import create_app
from cli import main
from engine.push.vapid import vapid_problems
from tests.support.settings import make_settings


def generated_keys() -> dict[str, str]:
    result = CliRunner().invoke(main, ["push", "generate-keys"], env={})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def test_generated_keys_are_a_pair_the_app_serves(database_url):
    keys = generated_keys()
    assert set(keys) == {"OPSTA_PUSH_VAPID_PUBLIC_KEY", "OPSTA_PUSH_VAPID_PRIVATE_KEY", "OPSTA_PUSH_VAPID_SUBJECT"}
    assert keys != generated_keys()  # a new pair each time
    settings = make_settings(database_url, push_vapid_public_key=keys["OPSTA_PUSH_VAPID_PUBLIC_KEY"],
                             push_vapid_private_key=keys["OPSTA_PUSH_VAPID_PRIVATE_KEY"],
                             push_vapid_subject=keys["OPSTA_PUSH_VAPID_SUBJECT"])
    assert vapid_problems(settings) == [] and settings.push_enabled
    app = create_app(settings)
    try:
        reply = app.test_client().get("/api/push/public-key")
    finally:
        app.extensions["opsta"].engine.dispose()
    assert reply.get_json() == {"enabled": True, "public_key": keys["OPSTA_PUSH_VAPID_PUBLIC_KEY"]}


@pytest.mark.parametrize("change, words", [
    ({"push_vapid_private_key": ""}, "Set both"),
    ({"push_vapid_private_key": "not-a-key"}, "not a base64url P-256 private key"),
    ({"push_vapid_public_key": "B" + "A" * 86}, "does not belong"),
    ({"push_vapid_subject": "it@example.go.th"}, "mailto:"),
])
def test_a_broken_vapid_setting_stops_the_app_with_a_reason(database_url, change, words):
    keys = generated_keys()
    settings = make_settings(database_url, push_vapid_public_key=keys["OPSTA_PUSH_VAPID_PUBLIC_KEY"],
                             push_vapid_private_key=keys["OPSTA_PUSH_VAPID_PRIVATE_KEY"],
                             push_vapid_subject="mailto:it@example.go.th")
    with pytest.raises(RuntimeError, match=words):
        create_app(replace(settings, **change))
