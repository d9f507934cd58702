"""The caller's in-app notifications and their unread count (the menu badge)."""
import marshmallow as ma

from api.auth.principal import current_employee, login_required
from api.blueprints.base import Blueprint
from api.blueprints.fields import Flag, Int
from api.context import db
from engine.notifications.service import mark_read, notifications_for

blp = Blueprint("notifications", __name__, url_prefix="/api/me/notifications", description="In-app notifications")


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    title_th = ma.fields.String()
    title_en = ma.fields.String()
    body_th = ma.fields.String()
    body_en = ma.fields.String()
    data = ma.fields.Dict()
    created_at = ma.fields.DateTime()
    read = ma.fields.Function(lambda n: n.read_at is not None)


class NotificationList(ma.Schema):
    unread_count = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))


class ListQuery(ma.Schema):
    unread_only = Flag(load_default=False)
    limit = Int(load_default=50, validate=ma.validate.Range(min=1, max=200))


@blp.route("")
@blp.arguments(ListQuery, location="query")
@blp.response(200, NotificationList)
@login_required()
def list_mine(query):
    """Newest first, with the unread count."""
    items, unread = notifications_for(session=db(), employee=current_employee(), unread_only=query["unread_only"],
                                      limit=query["limit"])
    return {"items": items, "unread_count": unread}


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
