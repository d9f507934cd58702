"""axe-core in the page under test: the serious and critical WCAG violations it finds.

axe.min.js is vendored for the tests only (tests/support/vendor/axe-core, see web/vendor.lock.json)
and never served by the app. It is evaluated through DevTools, so a page's Content-Security-Policy
(no inline scripts) does not stop it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
# WCAG 2.0–2.2 A and AA, the level the issues ask for, plus axe's best practices.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page, *, impacts: tuple[str, ...] = SERIOUS, tags: list[str] | None = None) -> list[dict]:
    """Run axe on the whole document; the violations of the given impacts, each with its nodes."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;void 0")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags or WCAG_AA,
    )
    return [violation for violation in result["violations"] if violation["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One line per violation and offending element, for an assertion message."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(f"{violation['impact']} {violation['id']}: {violation['help']} at "
                         f"{' '.join(node['target'])}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, "axe-core found serious or critical violations:\n" + describe(violations)
