"""The fonts every PDF report is set in: Sarabun (OFL) from the `fontpkg-sarabun` package, embedded."""
from __future__ import annotations

from pathlib import Path

import fontpkg_sarabun

FONT_FILES = Path(fontpkg_sarabun.ROOT) / "files"
REGULAR = FONT_FILES / "Sarabun-Regular.ttf"
BOLD = FONT_FILES / "Sarabun-Bold.ttf"
