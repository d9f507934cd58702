"""Demo site data shipped with the package."""
from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def load_demo_site_geojson() -> dict[str, Any]:
    """Return the MOC-OPS demo site (Ministry of Commerce, Nonthaburi) as a GeoJSON Feature dict."""
    text = files("geo").joinpath("data/moc_ops.geojson").read_text(encoding="utf-8")
    return json.loads(text)
