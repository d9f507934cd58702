"""The `web` blueprint: every screen registers its routes on it, so endpoints are named `web.<view>`.

Only the blueprint lives here; `web/mount.py` imports the screens (which import this) and registers it.
"""
from __future__ import annotations

from flask import Blueprint

# Static files are served by web/assets.py (versioned URLs, gzip, long cache), not Flask's default view.
bp = Blueprint("web", __name__, template_folder="templates", static_folder=None)
