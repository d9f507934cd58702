"""The caller's in-app notifications and their unread count (the menu badge)."""
import marshmallow as ma

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Flag, Int
from api.context import db
from engine.notifications.links import notification_url
from engine.notifications.service import mark_read, notifications_for, unread_count

blp = Blueprint("notifications", __name__, url_prefix="/api/me/notifications", description="In-app notifications")


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    title_th = ma.fields.String()
    title_en = ma.fields.String()
    body_th = ma.fields.String()
    body_en = ma.fields.String()
    data = ma.fields.Dict()
    url = ma.fields.Function(notification_url, metadata={"description": "the web app path it opens"})
    created_at = ma.fields.DateTime()
    read = ma.fields.Function(lambda n: n.read_at is not None)


class NotificationList(ma.Schema):
    unread_count = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    next_before_id = ma.fields.Integer(allow_none=True,
                                       metadata={"description": "`before_id` of the next, older page; null at the end"})


class UnreadCount(ma.Schema):
    unread_count = ma.fields.Integer()


class ListQuery(ma.Schema):
    unread_only = Flag(load_default=False)
    limit = Int(load_default=50, validate=ma.validate.Range(min=1, max=200))
    before_id = Int(load_default=None, validate=ma.validate.Range(min=1))


@blp.route("")
@blp.arguments(ListQuery, location="query")
@blp.response(200, NotificationList)
@login_required()
def list_mine(query):
    """Newest first, `limit` at a time (the next page with `before_id`), with the unread count."""
    page = notifications_for(session=db(), employee=current_employee(), unread_only=query["unread_only"],
                             limit=query["limit"], before_id=query["before_id"])
    return {"items": page.items, "unread_count": page.unread_count, "next_before_id": page.next_before_id}


@blp.route("/unread-count")
@blp.response(200, UnreadCount)
@login_required()
def count_unread():
    """Only the unread count, for the menu badge."""
    return {"unread_count": unread_count(session=db(), employee_id=current_employee().id)}


@blp.route("/<int:notification_id>/read", methods=["POST"])
@blp.response(204)
@login_required()
def read_one(notification_id):
    """Mark one notification as read."""
    mark_read(session=db(), employee=current_employee(), notification_id=notification_id)


@blp.route("/read", methods=["POST"])
@blp.response(204)
@login_required()
def read_all():
    """Mark every notification as read."""
    mark_read(session=db(), employee=current_employee())
