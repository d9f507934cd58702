"""The analyst's publish cycle: list processes and versions, validate and publish uploads, diff versions."""
import marshmallow as ma
from flask import request

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.context import db, opsta
from engine.errors import InvalidInput
from engine.workflow.script_pool import script_limits
from engine.workflow.versions import (SourcesInvalid, current_sources, diff, ensure_published, list_versions,
                                     publish_uploaded, validate)

blp = Blueprint("processes", __name__, url_prefix="/api/processes",
                description="BPMN/DMN processes and their versions, role analyst")

ANALYST = ("analyst",)
UPLOAD_DOC = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
}}}}}
MAX_FILES = 50


class VersionOut(ma.Schema):
    version = ma.fields.Integer()
    name = ma.fields.String()
    spec_hash = ma.fields.String()
    published_by = ma.fields.String()
    published_at = ma.fields.DateTime()
    is_current = ma.fields.Boolean()
    files = ma.fields.Function(lambda v: sorted(v.sources))


class ProcessOut(ma.Schema):
    process_id = ma.fields.String()
    current_version = ma.fields.Integer(allow_none=True)
    versions = ma.fields.List(ma.fields.Nested(VersionOut))


class ProblemOut(ma.Schema):
    file = ma.fields.String(allow_none=True)
    line = ma.fields.Integer(allow_none=True)
    element_id = ma.fields.String(allow_none=True)
    message = ma.fields.String()
    text = ma.fields.String(metadata={"description": "file:line: element-id: message"})


class ValidateOut(ma.Schema):
    valid = ma.fields.Boolean()
    problems = ma.fields.List(ma.fields.Nested(ProblemOut))


class PublishedOut(ma.Schema):
    process_id = ma.fields.String()
    version = ma.fields.Integer()
    spec_hash = ma.fields.String()
    changed = ma.fields.Boolean()


class PublishOut(ma.Schema):
    published = ma.fields.List(ma.fields.Nested(PublishedOut))


class ElementOut(ma.Schema):
    id = ma.fields.String()
    type = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    file = ma.fields.String()


class DiffOut(ma.Schema):
    added = ma.fields.List(ma.fields.Nested(ElementOut))
    removed = ma.fields.List(ma.fields.Nested(ElementOut))
    changed = ma.fields.List(ma.fields.Nested(ElementOut))


def _uploaded() -> dict[str, bytes]:
    files = [f for f in request.files.getlist("files") or list(request.files.values()) if f and f.filename]
    if not files:
        raise InvalidInput("Upload one or more .bpmn/.dmn files as multipart field 'files'.", code="no_files")
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Upload at most {MAX_FILES} files at once.", code="too_many_files")
    return {f.filename.replace("\\", "/").rsplit("/", 1)[-1]: f.read() for f in files}


def _published_base():
    """The shipped processes count as published from the first request on, even on a fresh database (commits)."""
    settings = opsta().settings
    if settings.workflow_auto_publish:
        ensure_published(session=db(), bpmn_dir=settings.bpmn_dir)


@blp.route("")
@blp.response(200, ProcessOut(many=True))
@login_required(roles=ANALYST)
def list_processes():
    """Every process with its published versions, newest first."""
    _published_base()
    return [{"process_id": pid, "versions": versions,
             "current_version": next((v.version for v in versions if v.is_current), None)}
            for pid, versions in list_versions(session=db()).items()]


@blp.route("/validate", methods=["POST"])
@blp.doc(**UPLOAD_DOC)
@blp.response(200, ValidateOut)
@login_required(roles=ANALYST)
def validate_upload():
    """Check uploaded files (over the published ones) without publishing; 422 lists each problem."""
    _published_base()
    problems = validate(sources={**current_sources(session=db()), **_uploaded()},
                        limits=script_limits(opsta().settings))
    if problems:
        raise SourcesInvalid(problems)
    return {"valid": True, "problems": []}


@blp.route("/publish", methods=["POST"])
@blp.doc(**UPLOAD_DOC)
@blp.response(201, PublishOut)
@login_required(roles=ANALYST)
def publish_upload():
    """Validate, then store a new version of each changed process; new requests use it, running ones do not."""
    _published_base()
    results = publish_uploaded(session=db(), files=_uploaded(), published_by=current_employee().code,
                               limits=script_limits(opsta().settings))
    return {"published": [{"process_id": r.process_id, "version": r.version.version,
                           "spec_hash": r.version.spec_hash, "changed": r.changed} for r in results]}


@blp.route("/<string:process_id>/versions/<int:a>/diff/<int:b>")
@blp.response(200, DiffOut)
@login_required(roles=ANALYST)
def version_diff(process_id, a, b):
    """Elements added, removed or changed from version a to version b."""
    return diff(session=db(), process_id=process_id, a=a, b=b)
