"""Announcements (`ประกาศ`): everyone reads the current ones for them; hr and admin publish them.

The list is pinned first, then newest, unread ones marked; opening one shows it whole and marks it
read (and its notification with it). hr and admin also get `/announcements/new`: a form with the
title, the body, an optional link, the units it is for (none ticked: everyone), the publish and expiry
times (in the organisation's time zone; no publish time: now) and whether it is pinned, and beneath it
every announcement with its state and how many have read it.
"""
from __future__ import annotations

from datetime import datetime

from flask import abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from engine.announcements.queries import announcements_for, managed_announcements, visible_announcement
from engine.announcements.service import AnnouncementDraft, Target, mark_announcement_read, publish_announcement
from engine.directory.service import list_units
from engine.errors import InvalidInput
from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in
from web.problems import problem_of

PUBLISHERS = ("hr", "admin")
PAGE_SIZE = 50
STATE_WORDS = {"scheduled": _l("Scheduled"), "current": _l("Current"), "expired": _l("Expired"),
               "withdrawn": _l("Withdrawn")}


def _publisher(viewer: Viewer) -> None:
    """Anyone else gets the one 404 page: the publishing page does not exist for them."""
    if not viewer.has_role(*PUBLISHERS):
        abort(404)


@bp.route("/announcements")
@signed_in
def announcements(viewer: Viewer):
    page = announcements_for(session=viewer.db, employee=viewer.employee, page_size=PAGE_SIZE)
    return render_screen("announcements/list.html", page=page, publisher=viewer.has_role(*PUBLISHERS))


@bp.route("/announcements/<int:announcement_id>")
@signed_in
def announcement(viewer: Viewer, announcement_id: int):
    shown = visible_announcement(session=viewer.db, employee=viewer.employee, announcement_id=announcement_id)
    if not shown.read:
        mark_announcement_read(session=viewer.db, employee=viewer.employee, announcement_id=announcement_id)
    return render_screen("announcements/detail.html", item=shown)


def _local_time(viewer: Viewer, field: str) -> datetime | None:
    """A `datetime-local` field read in the organisation's time zone; empty is None."""
    text = request.form.get(field, "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=viewer.tz)
    except ValueError:
        raise InvalidInput(f"{field} must be a date and time", code="validation_failed",
                           errors={field: ["Must be a date and time."]}) from None


def _draft(viewer: Viewer) -> AnnouncementDraft:
    form = request.form
    with_sub_units = form.get("include_sub_units") == "on"
    return AnnouncementDraft(
        title=form.get("title", ""), body=form.get("body", ""), link=form.get("link") or None,
        targets=tuple(Target(unit_code=code, include_sub_units=with_sub_units) for code in form.getlist("unit")),
        publish_at=_local_time(viewer, "publish_at"), expires_at=_local_time(viewer, "expires_at"),
        pinned=form.get("pinned") == "on")


def _publish_page(viewer: Viewer, *, problem=None, values=None, status: int = 200):
    managed, total = managed_announcements(session=viewer.db, page_size=PAGE_SIZE)
    return render_screen("announcements/new.html", status=status, units=list_units(session=viewer.db),
                         managed=managed, total=total, state_words=STATE_WORDS, problem=problem,
                         values=values or {"include_sub_units": "on"},
                         published=request.args.get("published") == "1",
                         chosen_units=set(values.getlist("unit")) if values else set())


@bp.route("/announcements/new")
@signed_in
def new_announcement(viewer: Viewer):
    _publisher(viewer)
    return _publish_page(viewer)


@bp.route("/announcements", methods=["POST"])
@signed_in
def post_announcement(viewer: Viewer):
    _publisher(viewer)
    try:
        publish_announcement(session=viewer.db, author=viewer.employee, draft=_draft(viewer))
    except InvalidInput as error:  # the form again, as it was typed, with what to fix
        return _publish_page(viewer, problem=problem_of(error), values=request.form, status=error.status)
    return redirect(url_for("web.new_announcement", published=1), 303)
