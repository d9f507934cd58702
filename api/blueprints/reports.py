"""Reports over requests, for hr, admin and supervisors (their subordinates only)."""

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.request_schemas import ReportOut, ReportQuery
from api.context import db, opsta
from engine.requests.reports import requests_report

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Reports")


@blp.route("/requests")
@blp.arguments(ReportQuery, location="query")
@blp.response(200, ReportOut)
@login_required()
def requests(query):
    """Requests of every kind whose day(s) fall in [from, to]; overtime with actual vs planned hours."""
    items = requests_report(session=db(), viewer=current_employee(), timezone=opsta().settings.timezone,
                            type=query["type"], status=query["status"], start=query["from_"], end=query["to"])
    return {"items": items, "count": len(items)}
