// The "Add to Home Screen" hint: Safari on iOS has no install prompt of its own, so the page says how.
// Shown only in Safari on an iPhone or iPad, when the app is not already opened from the Home Screen,
// until the person closes it (remembered on this browser).
const DISMISSED = 'opsta.installHint.dismissed';

export function isIosSafari(userAgent = navigator.userAgent, touchPoints = navigator.maxTouchPoints) {
  const ios = /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && touchPoints > 1);
  const otherBrowser = /CriOS|FxiOS|EdgiOS|OPiOS|GSA\//.test(userAgent);
  return ios && /Safari\//.test(userAgent) && !otherBrowser;
}

export function isStandalone() {
  return navigator.standalone === true || window.matchMedia('(display-mode: standalone)').matches;
}

function dismissed() {
  try {
    return localStorage.getItem(DISMISSED) === '1';
  } catch {
    return false; // storage blocked: show the hint, it can still be closed for this page
  }
}

const hint = document.getElementById('install-hint');
if (hint && isIosSafari() && !isStandalone() && !dismissed()) {
  hint.hidden = false;
  hint.querySelector('[data-dismiss-install-hint]').addEventListener('click', () => {
    hint.hidden = true;
    try {
      localStorage.setItem(DISMISSED, '1');
    } catch {
      // nothing to remember it in
    }
  });
}
