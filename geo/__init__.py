"""Geofences for office sites, reverse geocoding and place labels (Shapely + geopy adapter).

Coordinates follow GeoJSON: longitude first, WGS84 degrees; every distance is in metres.
"""
from geo.cache import SiteIndexCache
from geo.demo import load_demo_site_geojson
from geo.geocoder import NominatimGeocoder, NullGeocoder, ReverseGeocoder, make_geocoder
from geo.geometry import (
    THAILAND_BOUNDS,
    GeometryError,
    SiteGeometry,
    geometry_to_geojson,
    parse_site_geometry,
)
from geo.index import DEFAULT_TOLERANCE_M, NO_SITE, SiteIndex
from geo.labels import place_label
from geo.projection import LocalProjection
from geo.sites import SiteMatch, SiteShape

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "NO_SITE",
    "THAILAND_BOUNDS",
    "GeometryError",
    "LocalProjection",
    "NominatimGeocoder",
    "NullGeocoder",
    "ReverseGeocoder",
    "SiteGeometry",
    "SiteIndex",
    "SiteIndexCache",
    "SiteMatch",
    "SiteShape",
    "geometry_to_geojson",
    "load_demo_site_geojson",
    "make_geocoder",
    "parse_site_geometry",
    "place_label",
]
