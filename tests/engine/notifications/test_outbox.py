"""Outbox rows left undelivered (a process died after writing them) become notifications exactly once."""
from sqlalchemy import select

from engine.models import Notification, OutboxMessage
from engine.notifications.outbox import deliver_pending


def test_a_leftover_outbox_row_is_delivered_once_with_its_content(db_session, add_employee):
    recipient = add_employee("10151")
    db_session.add(OutboxMessage(recipient_id=recipient.id, kind="task_assigned", title_th="มีคำขอรออนุมัติ",
                                 title_en="A request waits for you", body_th="คำขอ #3", body_en="Request #3",
                                 data={"request_id": 3}))
    db_session.flush()

    assert deliver_pending(session=db_session) == 1
    assert deliver_pending(session=db_session) == 0

    [notification] = db_session.scalars(select(Notification)).all()
    assert (notification.recipient_id, notification.kind, notification.title_th, notification.title_en,
            notification.body_th, notification.body_en, notification.data) == (
        recipient.id, "task_assigned", "มีคำขอรออนุมัติ", "A request waits for you", "คำขอ #3", "Request #3",
        {"request_id": 3})
    assert notification.read_at is None
    assert db_session.scalar(select(OutboxMessage.delivered_at)) is not None
