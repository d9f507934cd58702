"""The README and .env.example document every setting the code reads."""
from dataclasses import fields
from pathlib import Path

import pytest

from engine.config import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("document", ["README.md", ".env.example"])
def test_every_setting_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    missing = [f"OPSTA_{f.name.upper()}" for f in fields(Settings) if f"OPSTA_{f.name.upper()}" not in text]
    assert not missing, f"{document} does not mention {missing}"


def test_readme_opens_with_the_two_setup_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.split("#")[0].strip() for line in lines[:8] if line.startswith("make ")]
    assert commands == ["make run", "make test"]
