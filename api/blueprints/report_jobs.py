"""Report files built in the background (issue 15): ask for one (202 with the job's address), follow its
progress, download it when it is done. Only the employee who asked sees the job."""
import marshmallow as ma
from flask import send_file, url_for

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Day, Flag, Text, date_range_in_order
from api.context import db, opsta
from engine.directory.profile import local_today
from engine.reports.filters import parse_filters
from engine.reports.formats import FORMATS
from engine.reports.jobs import report_file, report_job, send_report_job, start_report_job

blp = Blueprint("report_jobs", __name__, url_prefix="/api/report-jobs",
                description="Report files built in the background, with their progress")


class ReportJobIn(ma.Schema):
    report = Text(required=True, validate=ma.validate.Length(min=1, max=40),
                  metadata={"description": "a report's name, as in GET /api/reports/{name}"})
    format = Text(required=True, validate=ma.validate.OneOf(FORMATS))
    language = Text(load_default="th", validate=ma.validate.OneOf(("th", "en")))
    month = Text(load_default=None, metadata={"description": "YYYY-MM (CE); or give from and to"})
    from_ = Day(load_default=None, data_key="from")
    to = Day(load_default=None)
    unit = Text(load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "a unit's code"})
    include_subunits = Flag(load_default=False)
    employee = Text(load_default=None, validate=ma.validate.Length(max=32), metadata={"description": "a code"})
    status = Text(load_default=None, validate=ma.validate.Length(max=16))

    @ma.validates_schema
    def _range(self, data, **_):
        date_range_in_order(data)


class ReportJobOut(ma.Schema):
    id = ma.fields.Integer()
    report = ma.fields.String()
    format = ma.fields.String()
    state = ma.fields.String(metadata={"description": "queued, running, done, failed or expired"})
    progress = ma.fields.Integer(metadata={"description": "percent"})
    rows = ma.fields.Integer(allow_none=True)
    error_code = ma.fields.String()
    error = ma.fields.String()
    file_name = ma.fields.String()
    size = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)
    expires_at = ma.fields.DateTime(allow_none=True)
    url = ma.fields.Function(lambda job: url_for("report_jobs.job", job_id=job.id))
    download_url = ma.fields.Function(
        lambda job: url_for("report_jobs.download", job_id=job.id) if job.state == "done" else None)


@blp.route("", methods=["POST"])
@blp.arguments(ReportJobIn)
@blp.response(202, ReportJobOut)
@login_required()
def ask(body):
    """Build a report file in the background; follow `url` until `state` is done, then get `download_url`."""
    settings = opsta().settings
    filters = parse_filters(today=local_today(settings), month=body["month"], start=body["from_"], end=body["to"],
                            unit_code=body["unit"], include_subunits=body["include_subunits"],
                            employee_code=body["employee"], status=body["status"])
    job = start_report_job(session=db(), requester=current_employee(), report=body["report"], fmt=body["format"],
                           language=body["language"], filters=filters)
    send_report_job(session=db(), queue=opsta().report_queue, job=job)
    return job, 202, {"Location": url_for("report_jobs.job", job_id=job.id)}


@blp.route("/<int:job_id>")
@blp.response(200, ReportJobOut)
@login_required()
def job(job_id):
    """A job's state and progress."""
    return report_job(session=db(), requester=current_employee(), job_id=job_id)


@blp.route("/<int:job_id>/file")
@blp.response(200, content_type="application/octet-stream")
@login_required()
def download(job_id):
    """The finished file (409 while it is built, 410 once it expired)."""
    job, path = report_file(session=db(), requester=current_employee(), job_id=job_id, settings=opsta().settings)
    return send_file(path, mimetype=job.content_type, as_attachment=True, download_name=job.file_name,
                     max_age=0)
