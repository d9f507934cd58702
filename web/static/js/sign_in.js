// The sign-in page: once the SSO button is pressed, ask the person to stay while the round trip runs.
const sso = document.querySelector('[data-leaving-note]');
if (sso) {
  sso.addEventListener('click', () => {
    const note = document.getElementById(sso.dataset.leavingNote);
    if (note) note.hidden = false;
  });
}
