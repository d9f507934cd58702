"""Office sites: create, change and retire geofences, and the spatial index built from them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import Site
from geo import GeometryError, SiteIndexCache, SiteShape, geometry_to_geojson, parse_site_geometry


def _checked_geometry(geojson: Any) -> dict:
    """The normalised GeoJSON geometry, or a 422 that says exactly what is wrong with it."""
    try:
        return geometry_to_geojson(parse_site_geometry(geojson))
    except GeometryError as exc:
        raise InvalidInput(exc.message, code=exc.code, path=exc.path,
                           location=list(exc.location) if exc.location else None) from exc


def list_sites(*, session: Session, include_inactive: bool = False) -> list[Site]:
    """Sites ordered by name."""
    query = select(Site).order_by(Site.name)
    if not include_inactive:
        query = query.where(Site.active.is_(True))
    return list(session.scalars(query))


def get_site_or_404(*, session: Session, site_id: int) -> Site:
    """The site with `site_id`, or raise not found."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound("No site has this id.", code="site_not_found")
    return site


def create_site(*, session: Session, name: str, geometry: Any, tolerance_m: float | None = None,
                description: str = "") -> Site:
    """Add a site after validating its outline; commits."""
    site = Site(name=name.strip(), geometry=_checked_geometry(geometry), tolerance_m=tolerance_m,
                description=description)
    session.add(site)
    _commit_unique_name(session, name)
    return site


def update_site(*, session: Session, site: Site, name: str | None = None, geometry: Any = None,
                tolerance_m: float | None = None, description: str | None = None,
                active: bool | None = None, clear_tolerance: bool = False) -> Site:
    """Change a site; only the given fields change; commits."""
    if name is not None:
        site.name = name.strip()
    if geometry is not None:
        site.geometry = _checked_geometry(geometry)
    if tolerance_m is not None or clear_tolerance:
        site.tolerance_m = tolerance_m
    if description is not None:
        site.description = description
    if active is not None:
        site.active = active
    _commit_unique_name(session, site.name)
    return site


def retire_site(*, session: Session, site: Site) -> None:
    """Stop tagging punches to this site (commits). Old punches keep pointing at it, so it is never deleted."""
    site.active = False
    session.commit()


def _commit_unique_name(session: Session, name: str) -> None:
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"A site named '{name}' already exists.", code="site_name_taken") from exc


def site_index_cache(session_factory: sessionmaker[Session], *, default_tolerance_m: float,
                     recheck_after_s: float = 0.0) -> SiteIndexCache:
    """A per-process geofence index that rebuilds itself whenever a site changes."""

    def version():
        with session_factory() as session:
            return tuple(session.execute(select(func.count(Site.id), func.max(Site.updated_at))).one())

    def load():
        with session_factory() as session:
            return [SiteShape.from_geojson(site_id=s.id, name=s.name, geojson=s.geometry, tolerance_m=s.tolerance_m)
                    for s in list_sites(session=session)]

    return SiteIndexCache(current_version=version, load_sites=load, default_tolerance_m=default_tolerance_m,
                          recheck_after_s=recheck_after_s)
