// The punch screen (templates/punch/page.html): the live position and whether it is at a site, the
// selfie, and IN/OUT. A punch is handed to the outbox (punch_outbox.js), which sends it now or when the
// connection returns; once the server has it, the verdict fragment (htmx) shows the face check.
import { startCamera } from './camera.js';
import { askForBackgroundSync, keep, sync } from './punch_outbox.js';

const form = document.getElementById('punch-form');
const words = document.getElementById('punch-texts').dataset;
const lowAccuracyM = Number(form.dataset.lowAccuracyM);
const selfieRequired = form.dataset.selfieRequired === 'true';
const positionStatus = document.getElementById('position-status');
const accuracyLine = document.getElementById('position-accuracy');
const placeLine = document.getElementById('position-place');
const positionProblem = document.getElementById('position-problem');
const punchProblem = document.getElementById('punch-problem');
const buttons = [...document.querySelectorAll('.punch-button')];
const result = document.getElementById('punch-result');
const outcome = document.getElementById('punch-outcome');
const verdict = document.getElementById('punch-verdict');

let position = null;
let selfie = null;
let sending = false;
let waitingKey = null; // the punch this screen kept for later, to show its verdict once it is sent

function say(element, text) {
  element.textContent = text || '';
  element.hidden = !text;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_whole, name) => values[name]);
}

function enableButtons() {
  // Sent later (the connection came back while this screen was open): its verdict as for any punch.
document.addEventListener('opsta:punch-sent', ({ detail }) => {
  if (detail.key !== waitingKey) return;
  waitingKey = null;
  say(outcome, words.sent);
  showVerdict(detail.punch);
});

buttons.forEach((button) => { button.disabled = !position || sending; });
}

// --- the position --------------------------------------------------------------------------------

let placeAsked = null;
let placeTimer = null;

function askPlace(coords) {
  const key = `${coords.latitude.toFixed(5)},${coords.longitude.toFixed(5)},${Math.round(coords.accuracy)}`;
  if (key === placeAsked) return;
  clearTimeout(placeTimer);
  placeTimer = setTimeout(async () => {
    placeAsked = key;
    if (!navigator.onLine) { say(placeLine, words.placeUnknown); return; }
    if (placeLine.hidden) say(placeLine, words.checkingPlace);
    const query = new URLSearchParams({ latitude: coords.latitude, longitude: coords.longitude,
      accuracy_m: coords.accuracy });
    try {
      const reply = await fetch(`${form.dataset.placeUrl}?${query}`, { headers: { Accept: 'application/json' } });
      const place = await reply.json();
      say(placeLine, place.text);
      placeLine.dataset.office = place.office ? 'true' : 'false';
    } catch (error) {
      placeAsked = null;
      say(placeLine, words.placeUnknown);
    }
  }, 300);
}

function located({ coords }) {
  position = coords;
  say(positionProblem, '');
  say(positionStatus, words.located);
  const metres = Math.round(coords.accuracy);
  say(accuracyLine, fill(words.accuracy, { m: metres }));
  if (coords.accuracy > lowAccuracyM) say(positionProblem, fill(words.lowAccuracy, { m: metres }));
  askPlace(coords);
  enableButtons();
}

function notLocated(error) {
  const text = { 1: words.denied, 2: words.unavailable, 3: words.timeout }[error.code] || words.unavailable;
  if (error.code === 1) position = null;
  say(positionStatus, '');
  say(positionProblem, text);
  enableButtons();
}

if ('geolocation' in navigator) {
  navigator.geolocation.watchPosition(located, notLocated,
    { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
} else {
  say(positionStatus, '');
  say(positionProblem, words.noGeolocation);
}

// --- the selfie ----------------------------------------------------------------------------------

const camera = startCamera(form.querySelector('[data-camera]'), { onPhoto: (blob) => { selfie = blob; say(punchProblem, ''); } });

// --- sending -------------------------------------------------------------------------------------

function punchFields(direction) {
  const values = {
    direction, latitude: String(position.latitude), longitude: String(position.longitude),
    accuracy_m: String(Math.round(position.accuracy * 10) / 10), note: form.elements.note.value.trim(),
    client_time: new Date().toISOString(),
  };
  // Made without a connection: the server counts it at client_time. Otherwise the server decides by
  // how late it arrives (a send that broke off and went later is offline then too).
  if (!navigator.onLine) values.offline = 'true';
  return { url: form.dataset.punchUrl, values };
}

function showVerdict(punch) {
  // The fragment polls itself (hx-trigger load delay) until the face check has a verdict.
  window.htmx.ajax('GET', form.dataset.verdictUrl.replace('{id}', punch.id), { target: verdict, swap: 'innerHTML' });
}

function likelyNext(direction) {
  // The one just sent goes second: after an IN, OUT is the likely next punch.
  const sent = buttons.find((button) => button.dataset.direction === direction);
  const other = buttons.find((button) => button.dataset.direction !== direction);
  sent.classList.add('secondary');
  other.classList.remove('secondary');
  sent.parentElement.append(sent);
}

async function punch(direction) {
  if (!position) { say(punchProblem, words.needPosition); return; }
  if (selfieRequired && !selfie) { say(punchProblem, words.needSelfie); return; }
  say(punchProblem, '');
  sending = true;
  enableButtons();
  result.hidden = false;
  verdict.replaceChildren();
  say(outcome, words.sending);
  let entry;
  try {
    entry = await keep({ fields: punchFields(direction), selfie });
  } catch (error) {
    say(outcome, words.failed);
    sending = false;
    enableButtons();
    return;
  }
  const sent = navigator.onLine ? (await sync()).get(entry.key) : null;
  if (sent && sent.outcome === 'sent') {
    say(outcome, words.sent);
    showVerdict(sent.punch);
    likelyNext(direction);
  } else if (sent && sent.outcome === 'refused') {
    const reasons = JSON.parse(document.getElementById('punch-outbox').dataset.texts).reasons;
    say(outcome, `${words.refused} ${reasons[sent.problem.code] || sent.problem.detail || sent.problem.code}`);
  } else {
    say(outcome, words.queued);
    waitingKey = entry.key;
    askForBackgroundSync();
    likelyNext(direction);
  }
  form.elements.note.value = '';
  if (!(sent && sent.outcome === 'refused')) camera.reset();
  sending = false;
  enableButtons();
}

// Sent later (the connection came back while this screen was open): its verdict as for any punch.
document.addEventListener('opsta:punch-sent', ({ detail }) => {
  if (detail.key !== waitingKey) return;
  waitingKey = null;
  say(outcome, words.sent);
  showVerdict(detail.punch);
});

buttons.forEach((button) => button.addEventListener('click', () => punch(button.dataset.direction)));
enableButtons();
