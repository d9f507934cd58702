"""Reverse geocoding (coordinates to a street address) for punches made away from any site."""
from __future__ import annotations

import functools
import logging
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from geopy.geocoders import Nominatim

logger = logging.getLogger(__name__)

# 4 decimal places of a degree is about 11 m north-south: close enough to share an address.
_CACHE_DECIMALS = 4


@runtime_checkable
class ReverseGeocoder(Protocol):
    """Anything that turns a (lat, lon) into an address, or None when it cannot."""

    def reverse(self, lat: float, lon: float) -> str | None:
        """Return the address at (lat, lon), or None; must never raise."""
        ...


class NullGeocoder:
    """The geocoder used when no geocoding server is configured: it never knows an address."""

    def reverse(self, lat: float, lon: float) -> str | None:
        """Return None."""
        return None


class NominatimGeocoder:
    """Reverse geocoding against a self-hosted Nominatim server, with an LRU cache.

    Lookups are cached by coordinates rounded to ~10 m, including "no address here" answers;
    failures (timeouts, HTTP errors, bad replies) are logged, not cached, and return None so a
    punch is never held up by the geocoder.
    """

    def __init__(
        self,
        url: str,
        timeout_s: float,
        language: str = "th",
        *,
        user_agent: str = "OPS-TA",
        cache_size: int = 10_000,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"geocoder URL must look like http(s)://host[:port][/path], got {url!r}")
        self.url = url
        self.language = language
        self._nominatim = Nominatim(
            user_agent=user_agent,
            domain=parts.netloc + parts.path.rstrip("/"),
            scheme=parts.scheme,
            timeout=timeout_s,
        )
        self._lookup = functools.lru_cache(maxsize=cache_size)(self._fetch)

    def reverse(self, lat: float, lon: float) -> str | None:
        """Return the address Nominatim gives for (lat, lon), or None on no answer or failure."""
        key = (round(lat, _CACHE_DECIMALS), round(lon, _CACHE_DECIMALS))
        try:
            return self._lookup(*key)
        except Exception:  # noqa: BLE001 - any failure here must not reach the punch
            logger.warning("reverse geocoding failed for %s via %s", key, self.url, exc_info=True)
            return None

    def _fetch(self, lat: float, lon: float) -> str | None:
        # Raises on failure, so lru_cache keeps only real answers.
        location = self._nominatim.reverse(
            (lat, lon), exactly_one=True, language=self.language, addressdetails=False, zoom=18
        )
        if location is None or not location.address:
            return None
        return str(location.address)


def make_geocoder(*, url: str | None, timeout_s: float, language: str = "th") -> ReverseGeocoder:
    """Return a NominatimGeocoder for `url`, or a NullGeocoder when no URL is configured."""
    if not url:
        return NullGeocoder()
    return NominatimGeocoder(url, timeout_s, language)
