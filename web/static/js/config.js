// What the server passes to our modules: the JSON block #opsta-config of every page (base.html).
// A data block is not executed, so the Content-Security-Policy (no inline script) allows it.
let cached;

export function config() {
  if (cached === undefined) {
    const element = document.getElementById('opsta-config');
    cached = element ? JSON.parse(element.textContent) : {};
  }
  return cached;
}

// The CSRF token of this session, for fetch() calls that change something (header X-CSRF-Token).
export function csrfToken() {
  return config().csrfToken || '';
}
