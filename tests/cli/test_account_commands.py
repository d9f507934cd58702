"""`opsta account set-password`: a break-glass account that signs in over the API."""
from click.testing import CliRunner

from cli import main


def _run(database_url, *args):
    return CliRunner().invoke(main, list(args), env={"OPSTA_DATABASE_URL": database_url})


def test_the_new_account_signs_in_as_its_employee(api, demo_org, database_url):
    code = demo_org["employee2"].code
    result = _run(database_url, "account", "set-password", "Rescue", "--employee-code", code, "--password", "s3cret!")
    assert result.exit_code == 0, result.output
    assert f"local account Rescue now signs in as {code}" in result.output

    reply = api.post("/api/auth/token", json={"username": "rescue", "password": "s3cret!"})
    assert reply.status_code == 200, reply.text
    me = api.get("/api/me", headers={"Authorization": f"Bearer {reply.json()['access_token']}"})
    assert me.json()["code"] == code


def test_an_unknown_employee_code_is_refused(api, demo_org, database_url):
    result = _run(database_url, "account", "set-password", "ghost", "--employee-code", "999", "--password", "x")
    assert result.exit_code != 0
    assert "no employee with code 999" in result.output
    assert api.post("/api/auth/token", json={"username": "ghost", "password": "x"}).status_code == 401
