// Web Push opt-in on the settings page: subscribe this browser with the server's VAPID key and hand the
// subscription to the API (POST /api/me/push-subscriptions), or unsubscribe and tell the API. The
// service worker's push piece (sw/push.js) shows what arrives. A user gesture asks for permission (iOS
// allows nothing else), and nothing is asked before the person ticks the box.
import { csrfToken } from './config.js';

const section = document.getElementById('push-settings');
const source = document.getElementById('push-config');

function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function post(url, body) {
  const reply = await fetch(url, {
    method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
  });
  if (!reply.ok && reply.status !== 404) throw new Error(`push subscription: HTTP ${reply.status}`);
}

async function start() {
  const settings = JSON.parse(source.textContent);
  const toggle = document.getElementById('push-toggle');
  const status = document.getElementById('push-status');
  const say = (word) => { status.textContent = settings.words[word]; };
  section.hidden = false;
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    say('unsupported');
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  let current = await registration.pushManager.getSubscription();
  toggle.checked = Boolean(current) && Notification.permission === 'granted';
  if (toggle.checked) {
    // The same browser may now belong to someone else, or read another language: the API moves it.
    post(settings.subscribe, { ...current.toJSON(), language: settings.lang })
      .catch((error) => console.warn('OPS-TA: could not refresh the push subscription', error));
  }
  toggle.disabled = false;
  say(Notification.permission === 'denied' ? 'denied' : (toggle.checked ? 'on' : 'off'));
  section.dataset.ready = 'true';

  toggle.addEventListener('change', async () => {
    const wanted = toggle.checked;
    toggle.disabled = true;
    say('working');
    try {
      if (wanted) {
        const permission = await Notification.requestPermission();
        if (permission !== 'granted') {
          toggle.checked = false;
          say('denied');
          return;
        }
        current = await registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(settings.publicKey) });
        await post(settings.subscribe, { ...current.toJSON(), language: settings.lang });
        say('on');
      } else {
        if (current) {
          const { endpoint } = current;
          await current.unsubscribe();
          await post(settings.unsubscribe, { endpoint });
          current = null;
        }
        say('off');
      }
    } catch (error) {
      console.warn('OPS-TA: web push opt-in failed', error);
      toggle.checked = !wanted;
      say('failed');
    } finally {
      toggle.disabled = false;
    }
  });
}

if (section && source) start();
