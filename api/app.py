"""The Flask app factory."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from flask_smorest import Api

from api.blueprints import register_blueprints
from api.blueprints.iclock import bp as iclock_endpoints
from api.context import OpstaContext, close_db
from api.errors import register_error_handlers
from api.web import register_web
from engine.attendance.recording import Geofence
from engine.config import Settings
from engine.db import make_engine, make_session_factory
from engine.sites.service import site_index_cache
from geo import make_geocoder


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` path ids that fit a 64-bit database integer; a longer number is a plain 404."""

    def __init__(self, url_map, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, **kwargs)


class OpstaApi(Api):
    """flask-smorest's Api with our problem+json handlers instead of its own error payload."""

    def _register_error_handlers(self):
        register_error_handlers(self._app)


def _build_oidc_verifier(settings: Settings):
    if not settings.oidc_enabled:
        return None
    from api.auth.oidc_tokens import OidcTokenVerifier

    return OidcTokenVerifier(settings.oidc_discovery_url, settings.expected_audience,
                             cache_seconds=settings.oidc_jwks_cache_seconds,
                             timeout=settings.oidc_http_timeout_seconds,
                             required_token_type=settings.oidc_access_token_type or None,
                             refuse_id_tokens=not settings.oidc_audience)


def _start_services(context: OpstaContext, settings: Settings) -> None:
    """The per-process helpers routes reach through `opsta().services`."""
    from engine.verification.config import prepare_face_runtime
    from engine.verification.queue import face_queue

    context.services["geofence"] = Geofence(
        sites=site_index_cache(context.session_factory, default_tolerance_m=settings.site_default_tolerance_m,
                               recheck_after_s=settings.site_index_recheck_seconds),
        geocoder=make_geocoder(url=settings.geocoder_url or None, timeout_s=settings.geocoder_timeout_seconds),
    )
    # Offline face-model weights for this process, and the `face` queue (an in-process worker with memory://).
    prepare_face_runtime(settings)
    context.services["face_queue"] = face_queue(settings=settings, session_factory=context.session_factory)
    if not settings.embedded_broker:
        import redis

        broker = redis.Redis.from_url(settings.broker_url, socket_timeout=2, socket_connect_timeout=2)
        context.services["broker_ping"] = broker.ping


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app for `settings` (read from the environment when omitted)."""
    settings = settings or Settings.from_env()
    problems = settings.startup_problems()
    if problems:
        raise RuntimeError(" ".join(problems))
    app = Flask(__name__, static_folder=None)  # static files belong to the web blueprint
    app.url_map.converters["int"] = DatabaseIntConverter
    app.config.update(
        SECRET_KEY=settings.secret_key,
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
    engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
    context = OpstaContext(settings=settings, engine=engine, session_factory=make_session_factory(engine),
                           oidc_verifier=_build_oidc_verifier(settings))
    app.extensions["opsta"] = context
    app.teardown_appcontext(close_db)
    _start_services(context, settings)

    api = OpstaApi(app, spec_kwargs={
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"bearerAuth": []}],
    })
    register_blueprints(api)
    app.register_blueprint(iclock_endpoints)  # plain text for terminals, not in the OpenAPI docs
    register_web(app)
    register_error_handlers(app)
    return app
