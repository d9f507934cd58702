/* Service worker piece: Web Push. A push carries one notification as JSON (engine/push/payload.py:
   {v, id, kind, title, body, url, lang, created_at}); it is shown at once (userVisibleOnly), tagged by
   its id so a repeat replaces it. A tap focuses an open page of the app on its link, or opens one. */
(() => {
  const ICON = '/static/icons/icon-192.png';

  self.addEventListener('push', (event) => {
    let message = {};
    try {
      message = event.data ? event.data.json() : {};
    } catch (error) {
      message = { title: event.data ? event.data.text() : '' };
    }
    const title = message.title || 'OPS-TA';
    event.waitUntil(self.registration.showNotification(title, {
      body: message.body || '', lang: message.lang || 'th', icon: ICON, badge: ICON,
      tag: message.id ? `opsta-${message.id}` : undefined,
      data: { url: message.url || '/notifications', id: message.id },
    }));
  });

  self.addEventListener('notificationclick', (event) => {
    event.notification.close();
    // Only our own paths: a push's link never takes the app to another site.
    const wanted = new URL((event.notification.data && event.notification.data.url) || '/notifications',
      self.location.origin);
    const target = wanted.origin === self.location.origin ? wanted.href : `${self.location.origin}/notifications`;
    event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) return self.clients.openWindow(target);
      // navigate() works on pages this worker controls; any other is replaced by a new window.
      return open.navigate(target).then((client) => (client || open).focus())
        .catch(() => self.clients.openWindow(target));
    }));
  });
})();
