"""The per-process index cache rebuilds only when the sites' version token changes."""
import threading
import time

from shapely.geometry import box

from geo import SiteIndexCache, SiteShape


class SiteTable:
    """Stands in for the sites table: a version token and the rows, with call counts."""

    def __init__(self):
        self.sites = [SiteShape(1, "MOC-OPS", box(100.5115, 13.8610, 100.5135, 13.8630), 30)]
        self.version = (1, "2026-11-25T08:00:00Z")
        self.version_reads = 0
        self.loads = 0

    def current_version(self):
        self.version_reads += 1
        return self.version

    def load_sites(self):
        self.loads += 1
        return list(self.sites)

    def add(self, site, updated_at):
        self.sites.append(site)
        self.version = (len(self.sites), updated_at)


def test_index_is_reused_while_the_token_is_unchanged():
    table = SiteTable()
    cache = SiteIndexCache(current_version=table.current_version, load_sites=table.load_sites)
    first = cache.index()
    assert cache.index() is first and cache.index() is first
    assert table.loads == 1 and cache.builds == 1
    assert first.tag(100.5125, 13.862, 5).site_id == 1


def test_token_change_rebuilds_with_the_new_sites():
    table = SiteTable()
    cache = SiteIndexCache(current_version=table.current_version, load_sites=table.load_sites)
    old = cache.index()
    assert old.tag(100.6005, 13.9005, 5) is None
    table.add(SiteShape(2, "Annex", box(100.600, 13.900, 100.601, 13.901), None), "2026-11-25T09:00:00Z")
    new = cache.index()
    assert new is not old and table.loads == 2
    assert new.tag(100.6005, 13.9005, 5).site_id == 2
    assert cache.index() is new and table.loads == 2


def test_default_tolerance_is_passed_to_the_index():
    table = SiteTable()
    cache = SiteIndexCache(current_version=table.current_version, load_sites=table.load_sites, default_tolerance_m=12)
    assert cache.index().default_tolerance_m == 12


def test_recheck_interval_skips_version_reads():
    table = SiteTable()
    now = [100.0]
    cache = SiteIndexCache(
        current_version=table.current_version, load_sites=table.load_sites, recheck_after_s=5, clock=lambda: now[0]
    )
    first = cache.index()
    reads = table.version_reads
    table.add(SiteShape(2, "Annex", box(100.600, 13.900, 100.601, 13.901), None), "later")
    now[0] += 4
    assert cache.index() is first and table.version_reads == reads
    now[0] += 2
    assert cache.index() is not first and table.loads == 2


def test_invalidate_forces_a_rebuild():
    table = SiteTable()
    cache = SiteIndexCache(current_version=table.current_version, load_sites=table.load_sites)
    first = cache.index()
    cache.invalidate()
    assert cache.index() is not first and table.loads == 2


def test_concurrent_callers_share_one_rebuild():
    table = SiteTable()
    slow_loads = []

    def load_slowly():
        slow_loads.append(threading.get_ident())
        time.sleep(0.2)  # long enough that every thread arrives while the build runs
        return table.load_sites()

    cache = SiteIndexCache(current_version=table.current_version, load_sites=load_slowly)
    start = threading.Barrier(8)
    seen = []

    def worker():
        start.wait()
        seen.append(cache.index())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(slow_loads) == 1 and cache.builds == 1
    assert len(seen) == 8 and all(index is seen[0] for index in seen)
