/* Service worker piece: the app shell. Precache it at install; at activate drop the shells of older
   versions (other caches, such as an outbox's, are left alone) and take over open pages. */
(() => {
  const { cache, cachePrefix, shell } = self.OPSTA_SW;

  self.addEventListener('install', (event) => {
    event.waitUntil(caches.open(cache).then((store) => store.addAll(shell)).then(() => self.skipWaiting()));
  });

  self.addEventListener('activate', (event) => {
    event.waitUntil(
      caches.keys()
        .then((names) => Promise.all(names
          .filter((name) => name.startsWith(cachePrefix) && name !== cache)
          .map((name) => caches.delete(name))))
        .then(() => self.clients.claim()),
    );
  });
})();
