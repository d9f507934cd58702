"""Settings (`ตั้งค่า`): the page language, Web Push on this device (settings/_push.html and
js/push_opt_in.js; shown only when the server has VAPID keys) and the app's version.

The language is this browser's setting (web/i18n.py), so the sign-in page can change it too:
`POST /language` takes `language` (th or en) and goes back to `next`.
"""
from __future__ import annotations

from flask import redirect, request

from api.auth.redirects import local_path
from api.context import opsta
from engine.errors import InvalidInput
from web.blueprint import bp
from web.i18n import LANGUAGES, remember_language
from web.pages import Viewer, render_screen, signed_in


@bp.route("/settings")
@signed_in
def settings(viewer: Viewer):
    return render_screen("settings/page.html", saved=request.args.get("saved") == "1")


@bp.route("/language", methods=["POST"])
def choose_language():
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {sorted(LANGUAGES)}", code="language_invalid")
    response = redirect(local_path(request.form.get("next")), 303)
    remember_language(response, language, secure=opsta().settings.secure_cookies)
    return response
