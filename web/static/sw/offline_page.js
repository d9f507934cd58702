/* Service worker piece: pages from the network, the offline page when there is none; our static files
   from the shell cache first (their URLs are versioned, so a cached one is never stale). Only GETs of
   our own origin are answered here; everything else goes to the network untouched. */
(() => {
  const { cache, offlinePage } = self.OPSTA_SW;

  function fromShell(request, options) {
    return caches.open(cache).then((store) => store.match(request, options));
  }

  self.addEventListener('fetch', (event) => {
    const { request } = event;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) return;
    if (request.mode === 'navigate') {
      event.respondWith(fetch(request).catch(() => fromShell(offlinePage).then((page) => page || Response.error())));
      return;
    }
    if (url.pathname.startsWith('/static/')) {
      event.respondWith(fromShell(request).then((hit) => hit || fetch(request).catch(
        // An unversioned URL (an ES module's relative import) while offline: any cached version of it.
        () => fromShell(request, { ignoreSearch: true }).then((any) => any || Response.error()),
      )));
    }
  });
})();
