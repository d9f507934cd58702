"""Wrong passwords slow the guesser down, never lock the owner out.

Clients come from different loopback addresses (127.0.0.2, 127.0.0.3, …): the server sees each as
its own client address, as it would see phones on the internet.
"""
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import func, select

from cli import main
from engine.models import LoginAttempt
from tests.support.http_browser import browser
from tests.support.live_server import serving
from tests.support.settings import make_settings

THROTTLE = dict(login_free_failures=3, login_address_free_failures=6, login_base_delay_seconds=1.0,
                login_max_delay_seconds=4.0)


@pytest.fixture
def throttled_app(database_url, demo_org):
    with ExitStack() as servers:
        def start(**overrides):
            return servers.enter_context(serving(make_settings(database_url, **{**THROTTLE, **overrides})))

        yield start


def guess(server, username, password, *, client=None, address=None):
    client = client or browser(source_address=address)
    return client.post(f"{server.url}/api/auth/token", json={"username": username, "password": password},
                       timeout=30)


def checked_attempts(session_factory, username) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.username == username))


def test_a_burst_from_one_address_is_slowed_and_the_right_password_works_after_the_delay(throttled_app,
                                                                                        session_factory):
    server = throttled_app()
    codes = [guess(server, "employee2", "wrong", address="127.0.0.2").status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    slowed = guess(server, "employee2", "demo", address="127.0.0.2")
    assert slowed.status_code == 429 and slowed.json()["code"] == "rate_limited"
    wait = int(slowed.headers["Retry-After"])
    assert 1 <= wait <= 4
    time.sleep(slowed.json()["retry_after_seconds"] + 0.05)
    assert guess(server, "employee2", "demo", address="127.0.0.2").status_code == 200
    # The next failures start from nothing again: a success clears the account's count.
    assert guess(server, "employee2", "wrong", address="127.0.0.2").status_code == 401
    assert checked_attempts(session_factory, "employee2") == 5  # 429s are not checked, so not logged


def test_the_delay_grows_with_each_failure_up_to_the_maximum(throttled_app):
    server = throttled_app()
    waits = []
    for _ in range(5):
        while True:
            reply = guess(server, "employee3", "wrong", address="127.0.0.2")
            if reply.status_code == 401:
                break
            waits.append(reply.json()["retry_after_seconds"])
            time.sleep(reply.json()["retry_after_seconds"] + 0.05)
    first_waits = [w for w in waits if w > 0.5]
    assert first_waits and max(waits) <= THROTTLE["login_max_delay_seconds"]
    refused = guess(server, "employee3", "wrong", address="127.0.0.2")
    assert refused.status_code == 429 and refused.json()["retry_after_seconds"] > 2  # after 5 failures: 4 s


def test_a_burst_from_many_addresses_slows_strangers_but_not_the_owners_browser(throttled_app):
    server = throttled_app(login_base_delay_seconds=2.0)
    owner = browser(source_address="127.0.0.9")
    assert guess(server, "employee1", "demo", client=owner).status_code == 200  # the owner's device, known
    for n in range(3):  # one guess from each of many addresses: the per-address rule never fires
        assert guess(server, "employee1", f"wrong{n}", address=f"127.0.0.{20 + n}").status_code == 401
    assert guess(server, "employee1", "wrong", address="127.0.0.30").status_code == 429
    assert guess(server, "employee1", "demo", address="127.0.0.31").status_code == 429
    # The owner's own browser (trusted-device cookie) gets in at once, even from a fresh address.
    owner_elsewhere = browser(source_address="127.0.0.32")
    owner_elsewhere.cookies.update(owner.cookies)
    assert guess(server, "employee1", "demo", client=owner_elsewhere).status_code == 200
    # A stranger with the right password gets in once the delay has passed.
    time.sleep(2.1)
    assert guess(server, "employee1", "demo", address="127.0.0.33").status_code == 200


def test_made_up_names_from_one_address_slow_that_address_only(throttled_app):
    server = throttled_app()
    owner = browser(source_address="127.0.0.4")
    assert guess(server, "employee3", "demo", client=owner).status_code == 200
    for n in range(6):
        assert guess(server, f"nobody{n}", "x", address="127.0.0.4").status_code == 401
    assert guess(server, "nobody-else", "x", address="127.0.0.4").status_code == 429
    assert guess(server, "employee2", "demo", address="127.0.0.4").status_code == 429  # a stranger there waits
    assert guess(server, "employee3", "demo", client=owner).status_code == 200  # the known device does not
    assert guess(server, "employee2", "demo", address="127.0.0.5").status_code == 200  # other addresses neither


def test_parallel_guesses_are_counted_before_they_are_checked(throttled_app, session_factory):
    # Long delays: no wait may run out during the burst, so exactly the free failures get checked.
    server = throttled_app(login_base_delay_seconds=60.0, login_max_delay_seconds=120.0)
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda n: guess(server, "employee4", f"guess{n}", address="127.0.0.6").status_code,
                              range(40)))
    assert codes.count(401) == THROTTLE["login_free_failures"]
    assert codes.count(429) == 40 - THROTTLE["login_free_failures"]
    assert checked_attempts(session_factory, "employee4") == THROTTLE["login_free_failures"]


def test_the_break_glass_admin_stays_usable(oidc_provider, database_url, demo_org, throttled_app):
    server = throttled_app(oidc_discovery_url=oidc_provider.discovery_url, oidc_client_id=oidc_provider.client_id,
                           oidc_client_secret=oidc_provider.client_secret, oidc_audience=oidc_provider.audience,
                           local_login="true", login_base_delay_seconds=30.0, login_max_delay_seconds=60.0)
    admins_browser = browser(source_address="127.0.0.8")
    assert guess(server, "admin", "demo", client=admins_browser).status_code == 200
    for n in range(10):
        guess(server, "admin", f"attack{n}", address=f"127.0.0.{40 + n}")
    assert guess(server, "admin", "demo", address="127.0.0.60").status_code == 429
    assert guess(server, "admin", "demo", client=admins_browser).status_code == 200
    # From a new machine: resetting the password on the server clears the account's delay too.
    result = CliRunner().invoke(main, ["account", "set-password", "admin", "--employee-code", "10203",
                                       "--password", "break-glass"],
                                env={"OPSTA_DATABASE_URL": database_url, "OPSTA_SECRET_KEY": "k" * 32})
    assert result.exit_code == 0, result.output
    assert guess(server, "admin", "break-glass", address="127.0.0.61").status_code == 200


def test_a_trusted_proxy_setting_takes_the_client_address_from_x_forwarded_for(throttled_app):
    server = throttled_app(trusted_proxy_count=1)
    for n in range(6):
        requests.post(f"{server.url}/api/auth/token", json={"username": f"ghost{n}", "password": "x"},
                      headers={"X-Forwarded-For": "203.0.113.7"}, timeout=30)
    slowed = requests.post(f"{server.url}/api/auth/token", json={"username": "ghost", "password": "x"},
                           headers={"X-Forwarded-For": "203.0.113.7"}, timeout=30)
    assert slowed.status_code == 429
    other = requests.post(f"{server.url}/api/auth/token", json={"username": "employee1", "password": "demo"},
                          headers={"X-Forwarded-For": "198.51.100.4"}, timeout=30)
    assert other.status_code == 200


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(throttled_app):
    server = throttled_app()
    for n in range(6):
        guess(server, f"ghost{n}", "x", address="127.0.0.7")
    spoofed = browser(source_address="127.0.0.7")
    spoofed.headers["X-Forwarded-For"] = "198.51.100.99"
    assert guess(server, "ghost", "x", client=spoofed).status_code == 429


def test_many_people_signing_in_at_once_from_one_address_all_get_in(throttled_app):
    # An office behind one address at 08:30: successes never count against the address, even in parallel.
    server = throttled_app()
    people = ["employee1", "employee2", "employee3", "employee4", "supervisor", "director", "hr", "analyst"] * 3
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda name: guess(server, name, "demo", address="127.0.0.11").status_code, people))
    assert codes == [200] * len(people)
