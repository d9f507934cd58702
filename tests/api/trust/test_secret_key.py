"""The secret is a secret (issue 11): no start with a guessable key, and keys rotate without signing anyone out."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from api.app import create_app
from engine.config import PROJECT_ROOT
from tests.support.http_browser import browser, csrf_token_of
from tests.support.live_server import serving
from tests.support.settings import make_settings

# Any server database (not the embedded SQLite): the app refuses before it ever connects.
SERVER_DATABASE = "postgresql+psycopg://opsta@127.0.0.1:1/never_reached"
OLD_KEY = "old-key-" + "a1b2c3d4" * 5
NEW_KEY = "new-key-" + "e5f6a7b8" * 5


def env_example_secret() -> str:
    line = next(line for line in (PROJECT_ROOT / ".env.example").read_text().splitlines()
                if line.startswith("OPSTA_SECRET_KEY="))
    return line.split("=", 1)[1]


@pytest.mark.parametrize("key, why", [
    ("", "is empty"),
    ("   ", "is empty"),
    ("short-but-random-9f8e7d", "is shorter than 32 bytes"),
    ("dev-insecure-change-me", "is a published placeholder"),
    ("change-me-to-a-long-random-string", "is a published placeholder"),
    ("please-change-me-please-change-me-please", "is a published placeholder"),
])
def test_app_refuses_to_start_with_an_empty_short_or_published_secret(key, why):
    with pytest.raises(RuntimeError, match=f"OPSTA_SECRET_KEY {why}") as refused:
        create_app(make_settings(SERVER_DATABASE, secret_key=key))
    assert key.strip() == "" or key not in str(refused.value)  # the message never repeats the secret


def test_app_refuses_to_start_with_a_published_previous_key():
    with pytest.raises(RuntimeError, match="OPSTA_PREVIOUS_SECRET_KEYS is a published placeholder"):
        create_app(make_settings(SERVER_DATABASE, secret_key=NEW_KEY, previous_secret_keys="dev-insecure-change-me"))


def test_gunicorn_entry_point_refuses_the_env_example_secret(tmp_path):
    env = {**os.environ, "OPSTA_DATABASE_URL": SERVER_DATABASE, "OPSTA_SECRET_KEY": env_example_secret(),
           "OPSTA_DATA_DIR": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run([sys.executable, "-c", "import api.wsgi"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "OPSTA_SECRET_KEY is a published placeholder" in result.stderr


def test_embedded_mode_still_starts_with_its_generated_secret(tmp_path):
    database = Path(tmp_path) / "opsta.db"
    assert create_app(make_settings(f"sqlite:///{database}", secret_key="dev-insecure-change-me")) is not None


def test_rotated_key_keeps_old_tokens_and_cookies_valid_until_it_is_retired(database_url, demo_org):
    with serving(make_settings(database_url, secret_key=OLD_KEY)) as before:
        token = requests.post(f"{before.url}/api/auth/token", json={"username": "employee1", "password": "demo"},
                              timeout=30).json()["access_token"]
        web = browser()
        sign_in_page = web.get(f"{before.url}/", timeout=30)  # its signed state cookie carries the form's CSRF
        csrf = csrf_token_of(sign_in_page.text)

    def still_valid(server) -> tuple[bool, bool]:
        api = requests.get(f"{server.url}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        form = browser()
        form.cookies.update(web.cookies)
        page = form.post(f"{server.url}/authen/local", timeout=30,
                         data={"username": "employee2", "password": "demo", "csrf_token": csrf})
        return api.status_code == 200, page.status_code == 200 and "signed-in" in page.text

    with serving(make_settings(database_url, secret_key=NEW_KEY, previous_secret_keys=OLD_KEY)) as rotated:
        assert still_valid(rotated) == (True, True)
        fresh = requests.post(f"{rotated.url}/api/auth/token", json={"username": "employee1", "password": "demo"},
                              timeout=30).json()["access_token"]
    with serving(make_settings(database_url, secret_key=NEW_KEY)) as retired:
        assert still_valid(retired) == (False, False)
        # What the rotated app signed is signed with the new key, so it outlives the old key's retirement.
        assert requests.get(f"{retired.url}/api/me", headers={"Authorization": f"Bearer {fresh}"},
                            timeout=30).status_code == 200
