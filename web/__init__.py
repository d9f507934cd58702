"""The phone web app (issue 13): pages rendered on the server from engine/ services, in Thai and English.

- `blueprint.py`: the one `web` blueprint every screen's routes belong to (endpoints `web.<name>`);
- `mount.py`: `register_web(app)`, called by the app factory: the blueprint, Babel, static files, errors;
- `pages.py`: the signed-in page helper (`signed_in`, `Viewer`, `render_screen`);
- `menu.py`: the menu as data (one line per entry); `problems.py`: domain errors as page messages;
- `i18n.py`: the language setting, Buddhist-era date filters; `assets.py`: versioned, compressed static files;
- `screens/`: one module per screen, its templates under `templates/<screen>/`;
- `static/`: our CSS, ES modules (`js/`), the service worker's pieces (`sw/`), icons, and vendored code
  (`vendor/`, refreshed from vendor.lock.json by `python -m web.vendor_refresh`);
- `translations/`: the th and en catalogues (see README, "Web app").
"""
