"""Announcements (ประกาศ): employees read the current ones for them; hr and admin publish and manage them."""
import marshmallow as ma

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Flag, Int, Moment, Text
from api.context import db
from engine.announcements.queries import STATES, announcements_for, managed_announcement, managed_announcements, \
    visible_announcement
from engine.announcements.service import (MAX_TARGETS, AnnouncementDraft, Target, edit_announcement,
                                          mark_announcement_read, publish_announcement, withdraw_announcement)
from engine.models.announcements import BODY_MAX_CHARS, LINK_MAX_CHARS, TITLE_MAX_CHARS

blp = Blueprint("announcements", __name__, url_prefix="/api/announcements",
                description="Announcements: read by everyone they are for; published by hr and admin")

PUBLISHERS = ("hr", "admin")
TIME_HELP = "ISO 8601 with its UTC offset"


class TargetIn(ma.Schema):
    unit_code = Text(required=True, validate=ma.validate.Length(min=1, max=32))
    include_sub_units = Flag(load_default=True)


class AnnouncementUpdate(ma.Schema):
    title = Text(validate=ma.validate.Length(min=1, max=TITLE_MAX_CHARS))
    body = Text(validate=ma.validate.Length(max=BODY_MAX_CHARS), metadata={"description": "plain text; line breaks kept"})
    link = Text(allow_none=True, validate=ma.validate.Length(max=LINK_MAX_CHARS),
                metadata={"description": "an absolute http(s) URL"})
    units = ma.fields.List(ma.fields.Nested(TargetIn), validate=ma.validate.Length(max=MAX_TARGETS),
                           metadata={"description": "the units it is for; empty = everyone"})
    publish_at = Moment(allow_none=True, metadata={"description": f"{TIME_HELP}; null = now"})
    expires_at = Moment(allow_none=True, metadata={"description": f"{TIME_HELP}; null = never"})
    pinned = Flag()


class AnnouncementIn(AnnouncementUpdate):
    title = Text(required=True, validate=ma.validate.Length(min=1, max=TITLE_MAX_CHARS))


class AnnouncementSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    body = ma.fields.String()
    link = ma.fields.String(allow_none=True)
    pinned = ma.fields.Boolean()
    publish_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()
    read = ma.fields.Boolean()


class AnnouncementFeed(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AnnouncementSchema))
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()
    unread_count = ma.fields.Integer()


class TargetOut(ma.Schema):
    unit_code = ma.fields.Function(lambda t: t.unit.code)
    name_th = ma.fields.Function(lambda t: t.unit.name_th)
    name_en = ma.fields.Function(lambda t: t.unit.name_en)
    include_sub_units = ma.fields.Boolean()


class ManagedAnnouncementSchema(AnnouncementSchema):
    class Meta:
        exclude = ("read",)

    state = ma.fields.String(metadata={"description": ", ".join(STATES)})
    units = ma.fields.List(ma.fields.Nested(TargetOut), attribute="targets")
    for_everyone = ma.fields.Function(lambda a: not a.targets)
    author = ma.fields.Function(lambda a: {"code": a.author.code, "name_th": a.author.name_th})
    created_at = ma.fields.DateTime()
    announced_at = ma.fields.DateTime(allow_none=True, metadata={"description": "when its audience was notified"})
    withdrawn_at = ma.fields.DateTime(allow_none=True)
    notified_count = ma.fields.Integer()
    read_count = ma.fields.Integer()


class ManagedList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ManagedAnnouncementSchema))
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()


class PageQuery(ma.Schema):
    page = Int(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    page_size = Int(load_default=20, validate=ma.validate.Range(min=1, max=100))


class FeedQuery(PageQuery):
    unread_only = Flag(load_default=False)


class ManagedQuery(PageQuery):
    state = Text(load_default=None, validate=ma.validate.OneOf(STATES))


def _targets(units: list[dict]) -> tuple[Target, ...]:
    return tuple(Target(unit_code=u["unit_code"], include_sub_units=u["include_sub_units"]) for u in units)


@blp.route("")
@blp.arguments(FeedQuery, location="query")
@blp.response(200, AnnouncementFeed)
@login_required()
def my_announcements(query):
    """The current announcements for me (my unit, a unit above it, or everyone): pinned first, then newest."""
    page = announcements_for(session=db(), employee=current_employee(), page=query["page"],
                             page_size=query["page_size"], unread_only=query["unread_only"])
    return {"items": page.items, "page": query["page"], "page_size": query["page_size"], "total": page.total,
            "unread_count": page.unread_count}


@blp.route("", methods=["POST"])
@blp.arguments(AnnouncementIn)
@blp.response(201, ManagedAnnouncementSchema)
@login_required(roles=PUBLISHERS)
def publish(body):
    """Publish an announcement now, or at `publish_at`; its audience gets one notification each at that time."""
    draft = AnnouncementDraft(title=body["title"], body=body.get("body", ""), link=body.get("link"),
                              targets=_targets(body.get("units", [])), publish_at=body.get("publish_at"),
                              expires_at=body.get("expires_at"), pinned=body.get("pinned", False))
    announcement = publish_announcement(session=db(), author=current_employee(), draft=draft)
    return managed_announcement(session=db(), announcement_id=announcement.id)


@blp.route("/managed")
@blp.arguments(ManagedQuery, location="query")
@blp.response(200, ManagedList)
@login_required(roles=PUBLISHERS)
def list_managed(query):
    """Every announcement (scheduled, current, expired, withdrawn), or those in `state`."""
    items, total = managed_announcements(session=db(), state=query["state"], page=query["page"],
                                         page_size=query["page_size"])
    return {"items": items, "page": query["page"], "page_size": query["page_size"], "total": total}


@blp.route("/managed/<int:announcement_id>")
@blp.response(200, ManagedAnnouncementSchema)
@login_required(roles=PUBLISHERS)
def get_managed(announcement_id):
    """Any announcement with its state, units and how many were notified and have read it."""
    return managed_announcement(session=db(), announcement_id=announcement_id)


@blp.route("/<int:announcement_id>")
@blp.response(200, AnnouncementSchema)
@login_required()
def get_mine(announcement_id):
    """One current announcement for me; any other is 404, as for an unknown id."""
    return visible_announcement(session=db(), employee=current_employee(), announcement_id=announcement_id)


@blp.route("/<int:announcement_id>", methods=["PUT"])
@blp.arguments(AnnouncementUpdate)
@blp.response(200, ManagedAnnouncementSchema)
@login_required(roles=PUBLISHERS)
def edit(body, announcement_id):
    """Change what is given. New units of a current announcement notify their members."""
    changes = {key: body[key] for key in ("title", "body", "link", "pinned", "publish_at", "expires_at") if key in body}
    if "units" in body:
        changes["targets"] = _targets(body["units"])
    edit_announcement(session=db(), announcement_id=announcement_id, changes=changes)
    return managed_announcement(session=db(), announcement_id=announcement_id)


@blp.route("/<int:announcement_id>/withdraw", methods=["POST"])
@blp.response(200, ManagedAnnouncementSchema)
@login_required(roles=PUBLISHERS)
def withdraw(announcement_id):
    """Take it down for everyone; its unread notifications go with it."""
    withdraw_announcement(session=db(), announcement_id=announcement_id, by=current_employee())
    return managed_announcement(session=db(), announcement_id=announcement_id)


@blp.route("/<int:announcement_id>/read", methods=["POST"])
@blp.response(204)
@login_required()
def read(announcement_id):
    """Mark it read (its notification too)."""
    mark_announcement_read(session=db(), employee=current_employee(), announcement_id=announcement_id)
