"""OpenID Connect back-channel logout: the provider ends our sessions of a person or of one provider session.

The provider is the HTTP client (no browser, no cookie): the logout token it posts is signed by it
and checked here. Plain JSON answers, outside /api and the OpenAPI document, at the URI the README
tells operators to register.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, make_response, request

from api.auth.backchannel_logout import InvalidLogoutToken, logout_subject
from api.auth.csrf import csrf_exempt
from api.context import db, opsta
from engine.accounts.web_sessions import end_provider_sessions

log = logging.getLogger(__name__)

bp = Blueprint("backchannel", __name__)


@bp.route("/authen/backchannel-logout", methods=["POST"])
@csrf_exempt
def backchannel_logout():
    """The provider ends our sessions of a person (`sub`) or of one provider session (`sid`)."""
    verifier = opsta().logout_token_verifier
    if verifier is None:
        return _answer({"error": "invalid_request", "error_description": "OIDC is off."}, 400)
    try:
        sub, sid = logout_subject(verifier=verifier, client_id=opsta().settings.oidc_client_id,
                                  token=request.form.get("logout_token", ""))
    except InvalidLogoutToken as exc:
        log.warning("refused a back-channel logout token: %s", exc)
        return _answer({"error": "invalid_request", "error_description": str(exc)}, 400)
    ended = end_provider_sessions(session=db(), provider_sub=sub, provider_sid=sid)
    log.info("back-channel logout (sub %r, sid %r) ended %d sessions", sub, sid, ended)
    return _answer(None, 200)


def _answer(body, status: int):
    response = make_response(jsonify(body) if body else "", status)
    response.headers["Cache-Control"] = "no-store"
    return response
