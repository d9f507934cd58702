// The punch detail's map (Leaflet, vendored, loaded before this module): the punch position as a dot,
// its GPS accuracy as a ring, and the sites' outlines (the punch's own site stronger). Tiles only when
// the server names a tile server (OPSTA_MAP_TILE_URL); without them the shapes draw on a plain ground,
// so nothing ever leaves the origin by default.
const holder = document.getElementById('punch-map');
const source = document.getElementById('punch-map-data');
const L = window.L;

if (holder && source && L) {
  const data = JSON.parse(source.textContent);
  holder.setAttribute('role', 'region');
  holder.setAttribute('aria-label', holder.dataset.label || '');
  const map = L.map(holder, { attributionControl: Boolean(data.tiles), zoomControl: false, zoomSnap: 0.25 });
  L.control.zoom({ zoomInTitle: holder.dataset.zoomIn, zoomOutTitle: holder.dataset.zoomOut }).addTo(map);
  if (data.tiles) {
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 }).addTo(map);
    map.attributionControl.setPrefix(false);
  }
  const [lat, lng] = data.point;
  const outlines = data.sites.map((site) => {
    const outline = L.geoJSON(site.geometry, {
      style: { color: site.own ? '#0b4f8a' : '#56627a', weight: site.own ? 3 : 2, fillOpacity: 0.12 },
    });
    outline.bindTooltip(site.name);
    return outline;
  });
  // Frame the point and its ring, and any site close to it (a far-away site would shrink the point to
  // nothing). The view is set before any shape is added: Leaflet projects shapes onto a map with a view.
  const near = L.latLng(lat, lng).toBounds(Math.max(2 * (data.accuracy_m || 0), 300));
  let frame = near;
  for (const outline of outlines) {
    const bounds = outline.getBounds();
    if (bounds.isValid() && near.pad(4).intersects(bounds)) frame = frame.extend(bounds);
  }
  map.fitBounds(frame, { padding: [16, 16], maxZoom: 18 });
  const shapes = [...outlines];
  if (data.accuracy_m) {
    shapes.push(L.circle([lat, lng], { radius: data.accuracy_m, color: '#c25e00', weight: 2, fillOpacity: 0.15 }));
  }
  shapes.push(L.circleMarker([lat, lng], { radius: 6, color: '#ffffff', weight: 2, fillColor: '#a3141b',
    fillOpacity: 1 }));
  for (const shape of shapes) shape.addTo(map);
  holder.dataset.drawn = String(shapes.length);
}
