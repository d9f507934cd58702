"""`opsta run --demo` keeps its database in OPSTA_DATA_DIR and prints the address it really serves."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_server_runs_from_its_data_dir_and_says_where(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPSTA_")}
    env.update(OPSTA_DATA_DIR=str(tmp_path / "data"), OPSTA_DEMO_PASSWORD="demo")
    process = subprocess.Popen([str(Path(sys.executable).parent / "opsta"), "run", "--demo", "--port", "0"],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, lines, url = time.monotonic() + 120, [], None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.match(r"OPS-TA on (http://127\.0\.0\.1:(\d+)) ", line)
            url = found.group(1) if found else None
        assert url is not None, "".join(lines)
        assert found.group(2) != "0"
        assert f"--url {url} " in "".join(lines)  # the simulator hint names the same address
        assert requests.get(f"{url}/healthz", timeout=10).json() == {"status": "ok"}
        token = requests.post(f"{url}/api/auth/token", json={"username": "employee1", "password": "demo"}, timeout=10)
        assert token.status_code == 200
        assert (tmp_path / "data" / "opsta.db").exists() and not (ROOT / "data").exists()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_make_run_takes_a_port():
    dry = subprocess.run(["make", "-n", "run", "PORT=8100"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "opsta run --demo --host 127.0.0.1 --port 8100" in dry.stdout
