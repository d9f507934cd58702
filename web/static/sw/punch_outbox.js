/* Service worker piece: Background Sync of the punch outbox. When the connection returns the browser
   fires `sync` (tag opsta-punch-outbox, registered by the page that kept a punch) even with no tab
   open, and the punches waiting in IndexedDB are sent the way js/punch_outbox.js sends them: oldest
   first, the same Idempotency-Key, fields and photo, under the same Web Lock, stopping at the first
   that cannot go yet. A service worker cannot import ES modules, so this reads the store with plain
   IndexedDB (same database, store and entry shape). It sends with the CSRF token the entry was kept
   with: after a new sign-in that token is refused (403) and the punch waits for a page, which sends it
   with the page's token. Open pages are told to redraw their list (BroadcastChannel opsta-outbox). */
(() => {
  const DB_NAME = 'opsta-outbox';
  const STORE = 'punches';
  const SYNC_TAG = 'opsta-punch-outbox';
  const LOCK = 'opsta-punch-outbox';
  const SENDING_LEASE_MS = 60000;

  function request(idbRequest) {
    return new Promise((resolve, reject) => {
      idbRequest.onsuccess = () => resolve(idbRequest.result);
      idbRequest.onerror = () => reject(idbRequest.error);
    });
  }

  function open() {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => {
      const store = opening.result.createObjectStore(STORE, { keyPath: 'key' });
      store.createIndex('createdAt', 'createdAt');
    };
    return request(opening);
  }

  function store(db, mode) {
    return db.transaction(STORE, mode).objectStore(STORE);
  }

  const channel = 'BroadcastChannel' in self ? new BroadcastChannel('opsta-outbox') : null;

  function tellPages(message) {
    if (channel) channel.postMessage(message || { type: 'opsta-outbox-changed' });
  }

  async function send(entry) {
    let payload;
    const headers = { 'Idempotency-Key': entry.key, 'X-CSRF-Token': entry.csrfToken, Accept: 'application/json' };
    if (entry.selfie) {
      payload = new FormData();
      Object.entries(entry.fields).forEach(([name, value]) => payload.append(name, value));
      payload.append('selfie', entry.selfie, 'selfie.jpg');
    } else {
      // JSON wants numbers and booleans where the multipart form has text (as js/punch_outbox.js does).
      const typed = { ...entry.fields };
      ['latitude', 'longitude', 'accuracy_m'].forEach((name) => { if (name in typed) typed[name] = Number(typed[name]); });
      if ('offline' in typed) typed.offline = typed.offline === 'true';
      payload = JSON.stringify(typed);
      headers['Content-Type'] = 'application/json';
    }
    let reply;
    try {
      reply = await fetch(entry.url, { method: 'POST', body: payload, headers, credentials: 'same-origin' });
    } catch (error) {
      return { outcome: 'later' };
    }
    if (reply.ok) return { outcome: 'sent', punch: await reply.json().catch(() => null) };
    let problem = {};
    try { problem = await reply.json(); } catch (error) { /* not JSON */ }
    if ([401, 403, 408, 429].includes(reply.status) || reply.status >= 500) return { outcome: 'later' };
    return { outcome: 'refused', problem: { status: reply.status, code: problem.code || `http_${reply.status}`,
      detail: problem.detail || '' } };
  }

  async function sendWaiting() {
    const db = await open();
    const entries = await request(store(db, 'readonly').index('createdAt').getAll());
    let failed = false;
    // Order is kept per employee: one whose punch must wait (an old sign-in's token, say) holds back
    // only their own later punches, not those of whoever uses the phone now.
    const held = new Set();
    for (const entry of entries) {
      if (entry.state === 'refused' || held.has(entry.employee)) continue;
      if (entry.state === 'sending' && Date.now() - (entry.sendingSince || 0) < SENDING_LEASE_MS) {
        held.add(entry.employee);
        continue;
      }
      entry.state = 'sending';
      entry.sendingSince = Date.now();
      entry.attempts += 1;
      await request(store(db, 'readwrite').put(entry));
      const result = await send(entry);
      if (result.outcome === 'sent') {
        await request(store(db, 'readwrite').delete(entry.key));
        if (result.punch) tellPages({ type: 'opsta-punch-sent', key: entry.key, punch: result.punch });
      } else {
        entry.state = result.outcome === 'refused' ? 'refused' : 'waiting';
        entry.problem = result.problem || null;
        await request(store(db, 'readwrite').put(entry));
      }
      if (result.outcome === 'later') { failed = true; held.add(entry.employee); }
    }
    db.close();
    tellPages();
    // A rejected promise asks the browser to fire `sync` again later (with its own back-off).
    if (failed) throw new Error('OPS-TA: punches still waiting to be sent');
  }

  self.addEventListener('sync', (event) => {
    if (event.tag !== SYNC_TAG) return;
    const run = () => sendWaiting();
    event.waitUntil(self.navigator.locks ? self.navigator.locks.request(LOCK, run) : run());
  });
})();
