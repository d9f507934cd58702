"""The modeler: open a process in bpmn-js (its decision tables in dmn-js), lint as the analyst edits,
then on the server validate the draft, try it on a request's data, publish it; and compare two versions.

The draft travels as the files the editor holds (multipart field `files`), laid over the published
files as an upload is. The answers are HTML fragments whose items name their element
(`data-element-id`), so web/static/js/modeler.js marks them on the diagram and selects them. A draft
with problems is an ordinary answer (200), not a failure: it is what validating is for.
"""
from __future__ import annotations

from datetime import date, time

from flask import request, url_for
from werkzeug.exceptions import NotFound

from api.security_headers import allow_style_attributes
from engine.directory.service import get_employee_by_code
from engine.errors import InvalidInput
from engine.requests.forms import PROCESS_OF_TYPE
from engine.workflow.catalogue import decision_tables, process_file
from engine.workflow.comparison import compare_versions
from engine.workflow.host import clock_now
from engine.workflow.trial import first_trial_requester, try_draft
from engine.workflow.validation import KNOWN_LANES
from engine.workflow.versions import (SourcesInvalid, current_sources, current_version, list_versions,
                                     publish_uploaded, validate, version_of)
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in
from web.screens.processes import published_base, require_analyst, uploaded_files

TYPE_OF_PROCESS = {process: kind for kind, process in PROCESS_OF_TYPE.items()}


def _version(viewer: Viewer, process_id: str, number: int | None):
    if number is None:
        found = current_version(session=viewer.db, process_id=process_id)
        if found is None:
            raise NotFound()
        return found
    return version_of(session=viewer.db, process_id=process_id, number=number)


def _draft(viewer: Viewer) -> dict[str, bytes]:
    """The editor's files laid over the published ones (published first on a fresh database)."""
    published_base(viewer)
    return {**current_sources(session=viewer.db), **uploaded_files()}


@bp.route("/processes/<process_id>")
@signed_in
def process_modeler(viewer: Viewer, process_id: str):
    require_analyst(viewer)
    published_base(viewer)
    version = _version(viewer, process_id, request.args.get("version", type=int))
    sources = version.sources
    allow_style_attributes()
    versions = list_versions(session=viewer.db).get(process_id, [])
    config = {
        "processId": process_id, "version": version.version, "bpmnFile": process_file(sources),
        "sources": sources, "open": request.args.get("open") or process_file(sources),
        "knownLanes": list(KNOWN_LANES),
        "urls": {"validate": url_for("web.draft_validate", process_id=process_id),
                 "try": url_for("web.draft_try", process_id=process_id),
                 "publish": url_for("web.draft_publish", process_id=process_id)},
    }
    return render_screen("processes/modeler.html", version=version, versions=versions, config=config,
                         tables=decision_tables(sources), request_type=TYPE_OF_PROCESS.get(process_id),
                         requester_code=first_trial_requester(session=viewer.db) or viewer.employee.code, today=date.today())


@bp.route("/processes/<process_id>/draft/validate", methods=["POST"])
@signed_in
def draft_validate(viewer: Viewer, process_id: str):
    require_analyst(viewer)
    return render_screen("processes/_problems.html", problems=validate(sources=_draft(viewer)), checked=True)


def _trial_fields(request_type: str) -> dict:
    form = request.form
    try:
        if request_type == "overtime":
            return {"date": date.fromisoformat(form["date"]), "start": time.fromisoformat(form["start"]),
                    "end": time.fromisoformat(form["end"])}
        if request_type == "offsite":
            return {"start_date": date.fromisoformat(form["start_date"]),
                    "end_date": date.fromisoformat(form["end_date"]), "place": form.get("place", "")}
        return {"date": date.fromisoformat(form["date"]), "time": time.fromisoformat(form["time"]),
                "direction": form.get("direction", "in"), "reason_code": form.get("reason_code", "other")}
    except (KeyError, ValueError) as exc:
        raise InvalidInput("Fill in the request's dates and times.", code="validation_failed") from exc


@bp.route("/processes/<process_id>/draft/try", methods=["POST"])
@signed_in
def draft_try(viewer: Viewer, process_id: str):
    require_analyst(viewer)
    request_type = TYPE_OF_PROCESS.get(process_id)
    if request_type is None:
        raise NotFound()
    requester = get_employee_by_code(session=viewer.db, code=request.form.get("requester", "").strip())
    if requester is None:
        raise InvalidInput("No employee has this code.", code="trial_requester_unknown")
    fields = _trial_fields(request_type)
    clock = clock_now(timezone=viewer.settings.timezone)
    try:
        trial = try_draft(session=viewer.db, sources=_draft(viewer), process_id=process_id, requester=requester,
                          request_type=request_type, fields=fields, clock=clock)
    except SourcesInvalid as exc:
        return render_screen("processes/_problems.html", problems=exc.problems, checked=True)
    return render_screen("processes/_trial.html", trial=trial, requester=requester)


@bp.route("/processes/<process_id>/draft/publish", methods=["POST"])
@signed_in
def draft_publish(viewer: Viewer, process_id: str):
    require_analyst(viewer)
    published_base(viewer)
    try:
        results = publish_uploaded(session=viewer.db, files=uploaded_files(), published_by=viewer.employee.code)
    except SourcesInvalid as exc:
        return render_screen("processes/_problems.html", problems=exc.problems, checked=True)
    return render_screen("processes/_published.html", results=results, process_id=process_id)


@bp.route("/processes/<process_id>/compare")
@signed_in
def process_compare(viewer: Viewer, process_id: str):
    require_analyst(viewer)
    versions = list_versions(session=viewer.db).get(process_id)
    if not versions:
        raise NotFound()
    b = request.args.get("b", default=versions[0].version, type=int)
    a = request.args.get("a", default=max(b - 1, 1), type=int)
    found = compare_versions(session=viewer.db, process_id=process_id, a=a, b=b)
    allow_style_attributes()
    config = {"xml": found.second.sources.get(found.bpmn_file),
              "markers": {"opsta-added": found.added, "opsta-changed": found.changed}}
    return render_screen("processes/compare.html", process_id=process_id, versions=versions, a=found.first,
                         b=found.second, elements=found.elements, rows=found.rows, config=config,
                         bpmn_file=found.bpmn_file)
