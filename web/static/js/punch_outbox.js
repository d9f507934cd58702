// The outbox of punches: every punch is kept in IndexedDB (vendored idb) before it is sent, and leaves
// only once the server has it. So a punch made without a connection, or whose send broke off, is sent
// again later with the same Idempotency-Key and the same fields and photo: the server answers a retry
// with the first punch, never a second one. Sending is in the order the punches were made, one at a
// time across tabs and the service worker (Web Locks), and stops at the first one that cannot go yet.
// A punch the server refuses (4xx) stays, with the server's reason, until the employee removes it.
//
// Sent by: the page that made it (at once); every signed-in page on opening and on the `online`
// event; the service worker's Background Sync (static/sw/punch_outbox.js) where the browser has it.
import { openDB } from '../vendor/idb/idb.js';
import { config, csrfToken } from './config.js';

export const DB_NAME = 'opsta-outbox';
export const STORE = 'punches';
export const SYNC_TAG = 'opsta-punch-outbox';
const LOCK = 'opsta-punch-outbox';
// A send that started this long ago and never finished (the tab closed) may be tried again.
const SENDING_LEASE_MS = 60_000;

let dbPromise;
function database() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, 1, {
      upgrade(db) {
        const store = db.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex('createdAt', 'createdAt');
      },
    });
  }
  return dbPromise;
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function withLock(work) {
  return navigator.locks ? navigator.locks.request(LOCK, work) : work();
}

export async function allPunches() {
  const db = await database();
  return db.getAllFromIndex(STORE, 'createdAt');
}

async function put(entry) {
  const db = await database();
  await db.put(STORE, entry);
}

export async function removePunch(key) {
  const db = await database();
  await db.delete(STORE, key);
  changed();
}

// Other tabs (a calendar left open) and the service worker hear of changes on this channel.
const channel = 'BroadcastChannel' in self ? new BroadcastChannel('opsta-outbox') : null;

function changed() {
  document.dispatchEvent(new CustomEvent('opsta:outbox-changed'));
  if (channel) channel.postMessage({ type: 'opsta-outbox-changed' });
}

// `fields` are strings as the form sends them; the whole entry is fixed here, so every retry is the same.
export async function keep({ fields, selfie }) {
  const entry = {
    key: newKey(), employee: config().employee, csrfToken: csrfToken(), createdAt: Date.now(),
    url: fields.url, fields: fields.values, selfie: selfie || null, state: 'waiting', attempts: 0, problem: null,
  };
  await put(entry);
  changed();
  return entry;
}

// JSON wants numbers and booleans where the multipart form has text.
const NUMBERS = ['latitude', 'longitude', 'accuracy_m'];

export function jsonFields(fields) {
  const typed = { ...fields };
  NUMBERS.forEach((name) => { if (name in typed) typed[name] = Number(typed[name]); });
  if ('offline' in typed) typed.offline = typed.offline === 'true';
  return typed;
}

function body(entry) {
  if (!entry.selfie) return { body: JSON.stringify(jsonFields(entry.fields)), type: 'application/json' };
  const form = new FormData();
  for (const [name, value] of Object.entries(entry.fields)) form.append(name, value);
  form.append('selfie', entry.selfie, 'selfie.jpg');
  return { body: form, type: null };
}

// One attempt: 'sent' (with the punch), 'refused' (with the problem) or 'later' (no connection, the
// server busy or down, or signed out: the punch waits).
export async function sendEntry(entry, token) {
  const { body: payload, type } = body(entry);
  const headers = { 'Idempotency-Key': entry.key, 'X-CSRF-Token': token, Accept: 'application/json' };
  if (type) headers['Content-Type'] = type;
  let reply;
  try {
    reply = await fetch(entry.url, { method: 'POST', body: payload, headers, credentials: 'same-origin' });
  } catch (error) {
    return { outcome: 'later' };
  }
  if (reply.ok) return { outcome: 'sent', punch: await reply.json() };
  let problem = {};
  try { problem = await reply.json(); } catch (error) { /* not JSON: keep the status */ }
  // 401 signed out, 403 an old CSRF token (another sign-in since), 408/429/5xx busy or down: later.
  if ([401, 403, 408, 429].includes(reply.status) || reply.status >= 500) return { outcome: 'later', problem };
  return { outcome: 'refused', problem: { status: reply.status, code: problem.code || `http_${reply.status}`,
    detail: problem.detail || '' } };
}

// Send what waits, oldest first, for the signed-in employee; results by key.
export function sync() {
  const employee = config().employee;
  if (!employee) return Promise.resolve(new Map());
  return withLock(async () => {
    const results = new Map();
    for (const entry of await allPunches()) {
      if (entry.employee !== employee || entry.state === 'refused') continue;
      if (entry.state === 'sending' && Date.now() - (entry.sendingSince || 0) < SENDING_LEASE_MS) break;
      entry.state = 'sending';
      entry.sendingSince = Date.now();
      entry.attempts += 1;
      await put(entry);
      changed();
      const result = await sendEntry(entry, csrfToken());
      results.set(entry.key, result);
      if (result.outcome === 'sent') {
        const db = await database();
        await db.delete(STORE, entry.key);
        const detail = { key: entry.key, punch: result.punch };
        document.dispatchEvent(new CustomEvent('opsta:punch-sent', { detail }));
        if (channel) channel.postMessage({ type: 'opsta-punch-sent', ...detail });
      } else {
        entry.state = result.outcome === 'refused' ? 'refused' : 'waiting';
        entry.problem = result.problem || null;
        await put(entry);
      }
      changed();
      if (result.outcome === 'later') break; // keep the order: nothing overtakes a punch that waits
    }
    return results;
  });
}

// Ask the service worker to send when the connection returns (Background Sync, where there is one).
export async function askForBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
  } catch (error) {
    // No Background Sync (Safari, Firefox): the `online` event and the next opening send it.
  }
}

// --- the list of waiting punches on every signed-in page -------------------------------------------

function clockTime(iso) {
  const when = new Date(iso);
  return `${String(when.getHours()).padStart(2, '0')}:${String(when.getMinutes()).padStart(2, '0')}`;
}

function shortDate(iso) {
  const when = new Date(iso);
  const year = when.getFullYear() + (config().lang === 'th' ? 543 : 0);
  return `${when.getDate()}/${when.getMonth() + 1}/${year}`;
}

function chip(text, kind) {
  const element = document.createElement('span');
  element.className = `chip${kind ? ` chip-${kind}` : ''}`;
  element.textContent = text;
  return element;
}

export async function render() {
  const section = document.getElementById('punch-outbox');
  if (!section) return;
  // On the calendar the waiting punches come first, above the month (outside the part htmx swaps).
  const calendar = document.getElementById('calendar');
  if (calendar && section.nextElementSibling !== calendar) calendar.before(section);
  const texts = JSON.parse(section.dataset.texts);
  const employee = config().employee;
  const mine = (await allPunches()).filter((entry) => entry.employee === employee);
  const list = section.querySelector('.outbox-list');
  list.replaceChildren(...mine.map((entry) => {
    const item = document.createElement('li');
    item.className = `outbox-item outbox-${entry.state}`;
    item.dataset.key = entry.key;
    const line = document.createElement('span');
    line.className = 'outbox-punch';
    line.textContent = `${shortDate(entry.fields.client_time)} ${clockTime(entry.fields.client_time)} `
      + `${texts[entry.fields.direction] || entry.fields.direction}`;
    item.append(line, ' ');
    if (entry.fields.offline === 'true') item.append(chip(texts.offline), ' ');
    item.append(chip(texts[entry.state] || entry.state, entry.state === 'refused' ? 'rejected' : 'pending'));
    if (entry.state === 'refused') {
      const reason = document.createElement('p');
      reason.className = 'outbox-reason';
      const problem = entry.problem || {};
      reason.textContent = texts.reasons[problem.code] || problem.detail || problem.code || '';
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button secondary';
      remove.textContent = texts.remove;
      remove.addEventListener('click', () => removePunch(entry.key));
      item.append(reason, remove);
    }
    return item;
  }));
  section.hidden = mine.length === 0;
}

function start() {
  if (!config().employee || !('indexedDB' in window)) return;
  document.addEventListener('opsta:outbox-changed', () => { render(); });
  if (channel) {
    channel.addEventListener('message', ({ data }) => {
      // Sent by another tab or the service worker: the screen that made it shows its verdict.
      if (data && data.type === 'opsta-punch-sent') {
        document.dispatchEvent(new CustomEvent('opsta:punch-sent', { detail: { key: data.key, punch: data.punch } }));
      }
      render();
    });
  }
  window.addEventListener('online', () => { sync(); });
  render().then(() => (navigator.onLine ? sync() : null));
}

start();
