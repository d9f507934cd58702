"""Who an announcement is for, on the small org tree (ministry → department → division)."""
from datetime import timedelta

from engine.announcements.audience import audience_ids
from engine.announcements.publication import announce
from engine.announcements.service import AnnouncementDraft, Target, publish_announcement
from engine.db import utcnow
from engine.directory.units import units_above, units_within
from engine.models import Notification


def test_units_above_and_within_follow_the_tree_and_survive_a_loop(db_session, units):
    assert units_above(session=db_session, unit_id=units["DIV"].id) == [units["DEP"].id, units["MIN"].id]
    assert units_above(session=db_session, unit_id=None) == []
    assert units_within(session=db_session, unit_ids={units["DEP"].id}) == {units["DEP"].id, units["DIV"].id}
    units["MIN"].parent_id = units["DIV"].id  # bad data: a loop
    db_session.flush()
    assert set(units_above(session=db_session, unit_id=units["DIV"].id)) == {units["DEP"].id, units["MIN"].id}
    assert units_within(session=db_session, unit_ids={units["DIV"].id}) == {u.id for u in units.values()}


def test_the_audience_is_the_active_members_of_the_units_and_of_those_below_when_asked(db_session, units, add_employee):
    minister = add_employee("1", unit=units["MIN"])
    clerk = add_employee("2", unit=units["DIV"])
    add_employee("3", unit=units["DIV"], active=False)
    nowhere = add_employee("4")
    author = add_employee("5", unit=units["DEP"])
    everyone = publish_announcement(session=db_session, author=author, draft=AnnouncementDraft(title="ทุกคน"))
    assert audience_ids(session=db_session, announcement=everyone) == [minister.id, clerk.id, nowhere.id, author.id]
    below = publish_announcement(session=db_session, author=author, draft=AnnouncementDraft(
        title="กรมและกอง", targets=(Target("DEP"),)))
    assert audience_ids(session=db_session, announcement=below) == [clerk.id, author.id]
    only = publish_announcement(session=db_session, author=author, draft=AnnouncementDraft(
        title="กรมเท่านั้น", targets=(Target("DEP", include_sub_units=False),)))
    assert audience_ids(session=db_session, announcement=only) == [author.id]


def test_announcing_again_notifies_nobody_twice(db_session, units, add_employee):
    author = add_employee("5", unit=units["DEP"])
    add_employee("2", unit=units["DIV"])
    made = publish_announcement(session=db_session, author=author,
                                draft=AnnouncementDraft(title="ครั้งเดียว", targets=(Target("DEP"),)))
    assert announce(session=db_session, announcement=made) == 0
    assert db_session.query(Notification).count() == 2
    later = publish_announcement(session=db_session, author=author, draft=AnnouncementDraft(
        title="ภายหลัง", publish_at=utcnow() + timedelta(hours=1)))
    assert later.announced_at is None and db_session.query(Notification).count() == 2
