"""The human-readable place shown for a punch."""
from __future__ import annotations


def place_label(
    *,
    site_name: str | None,
    geocoded_address: str | None,
    phone_address: str | None,
    lat: float | None,
    lon: float | None,
) -> str:
    """Return the punch's place: the site name when at a site, else the reverse-geocoded address,
    else the address the phone reported, else "lat, lon" to 5 decimals (about 1 m); "" if nothing.
    """
    for candidate in (site_name, geocoded_address, phone_address):
        if candidate and candidate.strip():
            return candidate.strip()
    if lat is None or lon is None:
        return ""
    # Adding 0.0 turns a rounded -0.0 into 0.0, so a label never reads "-0.00000".
    return f"{round(lat, 5) + 0.0:.5f}, {round(lon, 5) + 0.0:.5f}"
