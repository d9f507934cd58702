"""Liveness and readiness probes."""
from sqlalchemy import text

from api.blueprints.base import Blueprint
from api.context import db, opsta

blp = Blueprint("health", __name__, description="Liveness and readiness probes")


@blp.route("/healthz")
@blp.doc(security=[])
def healthz():
    """The process is alive."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.doc(security=[])
def readyz():
    """The database and the task broker are reachable."""
    checks = {"database": "ok", "broker": "ok"}
    try:
        db().execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready", never a 500
        checks["database"] = f"error: {type(exc).__name__}"
    broker_check = opsta().broker_ping
    if broker_check is not None:
        try:
            broker_check()
        except Exception as exc:
            checks["broker"] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return {"status": "ready" if ready else "not_ready", "checks": checks}, (200 if ready else 503)
