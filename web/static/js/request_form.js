// The request forms: planned hours as the times are typed, and a date picker that writes the text field
// as d/m/year (Buddhist era on Thai pages). Without this module the forms work as typed text.

const form = document.querySelector('.request-form');

function plannedHours() {
  const start = form.querySelector('#start');
  const end = form.querySelector('#end');
  const output = form.querySelector('#planned-hours');
  if (!start || !end || !output) return;
  const minutes = (text) => {
    const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  };
  const show = () => {
    const from = minutes(start.value);
    const to = minutes(end.value);
    output.textContent = from !== null && to !== null && to > from ? String(Math.round((to - from) / 0.6) / 100) : '-';
  };
  start.addEventListener('input', show);
  end.addEventListener('input', show);
  show();
}

function isoOf(text, offset) {
  const match = /^(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})$/.exec(text.trim());
  if (!match) return '';
  let year = Number(match[3]);
  if (year > 2400) year -= 543;
  const pad = (n) => String(n).padStart(2, '0');
  return `${year}-${pad(match[2])}-${pad(match[1])}`;
}

function datePickers() {
  for (const button of form.querySelectorAll('[data-pick]')) {
    const text = form.querySelector(`#${button.dataset.pick}`);
    const picker = form.querySelector(`[data-picker-for="${button.dataset.pick}"]`);
    if (!text || !picker || typeof picker.showPicker !== 'function') continue;
    const offset = Number(text.dataset.eraOffset || 0);
    picker.hidden = false;
    button.hidden = false;
    button.addEventListener('click', () => {
      picker.value = isoOf(text.value, offset);
      picker.showPicker();
    });
    picker.addEventListener('change', () => {
      if (!picker.value) return;
      const [year, month, day] = picker.value.split('-').map(Number);
      text.value = `${day}/${month}/${year + offset}`;
      text.dispatchEvent(new Event('input', { bubbles: true }));
      text.focus();
    });
  }
}

if (form) {
  plannedHours();
  datePickers();
}
