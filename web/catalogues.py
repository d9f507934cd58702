"""The web app's message catalogues (Flask-Babel): extract, update, compile, check. No Node.js, no network.

    python -m web.catalogues           # extract every message, add new ones to th and en, compile the .mo files
    python -m web.catalogues --check   # what the tests check: nothing missing, untranslated or stale

Message ids are English, written in the code as `_("…")` (templates, views) or `_l("…")` (module-level
data such as the menu and the legend). `translations/th/LC_MESSAGES/messages.po` holds the Thai, in the
training material's words; `en/…/messages.po` lists every id too (an empty translation shows the id).
The compiled `.mo` files are committed beside them, so installing needs no build step; `--check` (run by
tests/web/test_catalogues.py) fails when a `.mo` does not match its `.po`. The same steps with pybabel:
`pybabel extract -F web/babel.cfg -k _l -o messages.pot .`, `pybabel update -i messages.pot -d
web/translations`, `pybabel compile -d web/translations`.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
TRANSLATIONS = WEB / "translations"
LANGUAGES = ("th", "en")
# Languages whose every message must be translated (English ids need no English translation).
MUST_TRANSLATE = ("th",)
# `N_`, `Column` (its heading) and `ReportTable` (its title): report message ids (engine/reports/messages.py).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None, "Column": (2,), "ReportTable": (2,)}


def po_path(language: str, translations: Path = TRANSLATIONS) -> Path:
    return translations / language / "LC_MESSAGES" / "messages.po"


def mo_path(language: str, translations: Path = TRANSLATIONS) -> Path:
    return po_path(language, translations).with_suffix(".mo")


def extracted() -> Catalog:
    """Every message id in web/ (Python and templates), as babel.cfg maps them."""
    with open(WEB / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="OPS-TA", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalogue(language: str, translations: Path = TRANSLATIONS) -> Catalog:
    with open(po_path(language, translations), "rb") as po:
        return read_po(po, locale=language)


def _write_po(language: str, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=110, no_location=True, sort_output=True, ignore_obsolete=True)
    po_path(language).parent.mkdir(parents=True, exist_ok=True)
    po_path(language).write_bytes(buffer.getvalue())


def _compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update() -> None:
    """Add new message ids to every catalogue (keeping the translations), drop unused ones, compile."""
    template = extracted()
    for language in LANGUAGES:
        catalog = read_catalogue(language) if po_path(language).exists() else Catalog(locale=language)
        template.creation_date = catalog.creation_date  # no new header date when nothing else changed
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.project, catalog.version, catalog.fuzzy = "OPS-TA", "", False
        catalog.last_translator = catalog.language_team = "OPS-TA <https://example.invalid/ops-ta>"
        _write_po(language, catalog)
        mo_path(language).write_bytes(_compiled(read_catalogue(language)))


def _messages(catalog: Catalog) -> dict[str, str]:
    return {message.id: message.string for message in catalog if message.id and isinstance(message.id, str)}


def problems(translations: Path = TRANSLATIONS) -> list[str]:
    """What is wrong with the catalogues under `translations`, one line each (empty when all is well)."""
    wanted = {message.id for message in extracted() if message.id}
    found = []
    for language in LANGUAGES:
        po, mo = po_path(language, translations), mo_path(language, translations)
        if not po.exists() or not mo.exists():
            found.append(f"{language}: {po} or its .mo is missing")
            continue
        catalog = _messages(read_catalogue(language, translations))
        found += [f"{language}: missing {message!r}" for message in sorted(wanted - set(catalog))]
        found += [f"{language}: unused {message!r}" for message in sorted(set(catalog) - wanted)]
        if language in MUST_TRANSLATE:
            found += [f"{language}: not translated {message!r}" for message in sorted(wanted & set(catalog))
                      if not catalog[message]]
        with open(mo, "rb") as compiled_file:
            compiled = _messages(read_mo(compiled_file))
        expected = {message: text for message, text in catalog.items() if text}
        if compiled != expected:
            found.append(f"{language}: {mo.name} is stale: run `python -m web.catalogues`")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report what is missing, untranslated or stale")
    args = parser.parse_args(argv)
    if not args.check:
        update()
    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
