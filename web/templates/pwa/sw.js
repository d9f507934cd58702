{# The service worker at /sw.js: what its pieces share, then the pieces (web/screens/pwa.py lists them). -#}
/* OPS-TA service worker: built by web/screens/pwa.py; the pieces live in web/static/sw/. */
self.OPSTA_SW = {{ shared | tojson }};
importScripts({% for part in parts %}{{ part | tojson }}{% if not loop.last %}, {% endif %}{% endfor %});
