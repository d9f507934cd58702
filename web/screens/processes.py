"""Processes (`กระบวนการ`), for analysts: the published processes and decision tables with their versions,
who published each and when, how many requests run on each; download a version's files; upload files
made elsewhere (Camunda Modeler, a text editor) to validate or publish them.

Everything here is the analyst's: anyone else gets the one 404 page. The checks are the engine's
(`engine.workflow.versions.validate`, the same as `opsta bpmn validate`), over the published files.
"""
from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import NotFound

from engine.errors import InvalidInput
from engine.workflow.catalogue import catalogue
from engine.workflow.versions import (SourcesInvalid, current_sources, ensure_published, publish_uploaded,
                                     validate, version_of)
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in

ANALYST = "analyst"
MAX_FILES = 50
MAX_FILE_BYTES = 2 * 1024 * 1024


def require_analyst(viewer: Viewer) -> None:
    """The processes screens are the analyst's; anyone else sees the 404 page."""
    if not viewer.has_role(ANALYST):
        raise NotFound()


def published_base(viewer: Viewer) -> None:
    """The shipped processes count as published from the first look on, even on a fresh database (commits)."""
    if viewer.settings.workflow_auto_publish:
        ensure_published(session=viewer.db, bpmn_dir=viewer.settings.bpmn_dir)


def uploaded_files() -> dict[str, bytes]:
    """The .bpmn/.dmn files of a multipart field `files`, by their base name."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        raise InvalidInput("Choose one or more .bpmn or .dmn files.", code="no_files")
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Upload at most {MAX_FILES} files at once.", code="too_many_files")
    found = {}
    for f in files:
        raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise InvalidInput(f"{f.filename} is larger than {MAX_FILE_BYTES // 1024} KB.", code="file_too_large")
        found[f.filename.replace("\\", "/").rsplit("/", 1)[-1]] = raw
    return found


@bp.route("/processes")
@signed_in
def processes(viewer: Viewer):
    require_analyst(viewer)
    published_base(viewer)
    return render_screen("processes/list.html", entries=catalogue(session=viewer.db))


@bp.route("/processes/<process_id>/versions/<int:number>/files/<filename>")
@signed_in
def process_file_download(viewer: Viewer, process_id: str, number: int, filename: str):
    require_analyst(viewer)
    version = version_of(session=viewer.db, process_id=process_id, number=number)
    text = version.sources.get(filename)
    if text is None:
        raise NotFound()
    return Response(text.encode(), mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/processes/upload", methods=["POST"])
@signed_in
def process_upload(viewer: Viewer):
    """Validate (or validate and publish) uploaded files over the published ones; nothing is stored on a problem."""
    require_analyst(viewer)
    published_base(viewer)
    files = uploaded_files()
    action = request.form.get("action", "validate")
    problems, published = [], []
    try:
        if action == "publish":
            published = publish_uploaded(session=viewer.db, files=files, published_by=viewer.employee.code)
        else:
            problems = validate(sources={**current_sources(session=viewer.db), **files})
    except SourcesInvalid as exc:
        problems = exc.problems
    return render_screen("processes/list.html", status=422 if problems else 200,
                         entries=catalogue(session=viewer.db), upload={
                             "files": sorted(files), "action": action, "problems": problems,
                             "published": published})
