"""The Flask app factory."""
from __future__ import annotations

import threading

from flask import Flask, send_from_directory
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from api.auth.browser import protect_browsers
from api.auth.oidc_tokens import OidcTokenVerifier
from api.blueprints import register_blueprints
from api.blueprints.backchannel_logout import bp as backchannel_logout_endpoint
from api.blueprints.iclock import bp as iclock_endpoints
from api.body_limit import register_body_limit
from api.bounded_input import register_input_guard
from api.context import OpstaContext, close_db
from api.errors import handle_http_exception, register_error_handlers
from engine.attendance.recording import Geofence
from engine.config import Settings
from engine.db import make_engine, make_session_factory
from engine.face_checks.config import prepare_face_runtime
from engine.face_checks.queue import face_queue
from engine.push.queue import push_queue, send_after_commit
from engine.reports.queue import report_queue
from engine.push.vapid import vapid_problems
from engine.sites.service import site_index_cache
from engine.terminals.networks import terminal_proxy_problems
from engine.workflow.script_pool import script_limits, script_pool
from geo import make_geocoder
from web.mount import register_web


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` path ids that fit a database integer (32 bits, every id column); a larger number is a plain 404."""

    def __init__(self, url_map, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, **kwargs)


class OpstaApi(Api):
    """flask-smorest's Api answering HTTP errors (404, 405, malformed JSON, validation) as problem+json.

    flask-smorest registers this method for `HTTPException` when the Api is made; `register_error_handlers`
    adds the rest (domain errors, anything unexpected).
    """

    def handle_http_exception(self, error):
        return handle_http_exception(error)


def _oidc_verifier(settings: Settings) -> OidcTokenVerifier | None:
    if not settings.oidc_enabled:
        return None
    return OidcTokenVerifier(settings.oidc_discovery_url, settings.expected_audience,
                             cache_seconds=settings.oidc_jwks_cache_seconds,
                             timeout=settings.oidc_http_timeout_seconds,
                             required_token_type=settings.oidc_access_token_type or None,
                             refuse_id_tokens=not settings.oidc_audience)


def _logout_token_verifier(settings: Settings, oidc_verifier: OidcTokenVerifier | None) -> OidcTokenVerifier | None:
    """Back-channel logout tokens: the API verifier's issuer and discovery document, our client id as audience."""
    if oidc_verifier is None:
        return None
    return OidcTokenVerifier(settings.oidc_discovery_url, settings.oidc_client_id,
                             cache_seconds=settings.oidc_jwks_cache_seconds,
                             timeout=settings.oidc_http_timeout_seconds, discovery=oidc_verifier.discovery)


def _context(settings: Settings) -> OpstaContext:
    """The database and the per-process services of this app."""
    engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
    session_factory = make_session_factory(engine)
    geofence = Geofence(
        sites=site_index_cache(session_factory, default_tolerance_m=settings.site_default_tolerance_m,
                               recheck_after_s=settings.site_index_recheck_seconds),
        geocoder=make_geocoder(url=settings.geocoder_url or None, timeout_s=settings.geocoder_timeout_seconds),
    )
    # Offline face-model weights for this process, and the `face` queue (an in-process worker with memory://).
    prepare_face_runtime(settings)
    broker_ping = None
    if not settings.embedded_broker:
        import redis

        broker_ping = redis.Redis.from_url(settings.broker_url, socket_timeout=2, socket_connect_timeout=2).ping
    oidc_verifier = _oidc_verifier(settings)
    # Every notification this process commits hands its pushes to the `push` queue.
    pushes = push_queue(settings=settings, session_factory=session_factory)
    send_after_commit(session_factory=session_factory, queue=pushes)
    return OpstaContext(settings=settings, engine=engine, session_factory=session_factory, geofence=geofence,
                        face_queue=face_queue(settings=settings, session_factory=session_factory),
                        push_queue=pushes,
                        oidc_verifier=oidc_verifier,
                        logout_token_verifier=_logout_token_verifier(settings, oidc_verifier),
                        broker_ping=broker_ping,
                        report_queue=report_queue(settings=settings, session_factory=session_factory))


def _swagger_static(filename):
    import swagger_ui_bundle

    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app for `settings` (read from the environment when omitted)."""
    settings = settings or Settings.from_env()
    problems = settings.startup_problems() + vapid_problems(settings) + terminal_proxy_problems(settings)
    if problems:
        raise RuntimeError(" ".join(problems))
    app = Flask(__name__, static_folder=None)  # static files belong to the web blueprint
    app.url_map.converters["int"] = DatabaseIntConverter
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SECRET_KEY_FALLBACKS=list(settings.verifying_secret_keys[1:]),  # rotation: old cookies still verify
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        API_TITLE="OPS-TA",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/static/",
    )
    app.json.ensure_ascii = False  # Thai names stay readable in replies
    if settings.trusted_proxy_count:
        # Client addresses (sign-in throttling, logs) come from X-Forwarded-For only behind proxies we run.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxy_count,
                                x_proto=settings.trusted_proxy_count)
    app.extensions["opsta"] = _context(settings)
    app.teardown_appcontext(close_db)
    register_body_limit(app, max_bytes=settings.api_max_body_bytes)  # before anything reads a body
    register_input_guard(app)

    api = OpstaApi(app, spec_kwargs={
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"bearerAuth": []}],
    })
    register_blueprints(api)
    app.register_blueprint(iclock_endpoints)  # plain text for terminals, not in the OpenAPI docs
    app.register_blueprint(backchannel_logout_endpoint)  # the provider's calls, not in the OpenAPI docs
    app.add_url_rule("/api/docs/static/<path:filename>", "swagger_static", _swagger_static)
    protect_browsers(app)
    register_web(app)
    register_error_handlers(app)
    # Each gunicorn process starts its warm script workers now, not on its first request.
    threading.Thread(target=script_pool(script_limits(settings)).warm, name="opsta-script-workers",
                     daemon=True).start()
    return app
