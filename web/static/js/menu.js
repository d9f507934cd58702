// The menu button (กดเพื่อแสดงเมนู). Without script it is a link to the menu page (/menu); with it, it
// opens the same menu in place as a modal dialog: Escape or a tap outside closes it, focus returns.
const button = document.getElementById('menu-button');
const drawer = document.getElementById('app-menu');

if (button && drawer && typeof drawer.showModal === 'function') {
  button.setAttribute('role', 'button');
  button.setAttribute('aria-haspopup', 'dialog');

  const close = () => {
    if (drawer.open) drawer.close();
  };
  drawer.addEventListener('close', () => {
    button.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('menu-open');
    button.focus();
  });
  button.addEventListener('click', (event) => {
    event.preventDefault();
    drawer.showModal();
    button.setAttribute('aria-expanded', 'true');
    document.body.classList.add('menu-open');
  });
  // A link with role=button answers Space as a button does.
  button.addEventListener('keydown', (event) => {
    if (event.key === ' ') {
      event.preventDefault();
      button.click();
    }
  });
  // A tap on the backdrop lands on the dialog itself, outside its content.
  drawer.addEventListener('click', (event) => {
    if (event.target === drawer) close();
  });
}
