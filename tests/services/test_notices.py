"""Staff are told what needs them (issue "Nothing falls through", item 4): from the complaint's events
and from promises about to be missed, in one digest mail an hour at most, in their own language, with
nothing of the customer beyond the reference and the first words of the story."""
from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import Category, OutboxMail, StaffNotice, User, utcnow
from portal.services import complaints as service
from portal.services import mandate, notices, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import person

FRIDAY_4PM = datetime(2026, 12, 4, 15, 0, tzinfo=timezone.utc)  # Friday 4 December 2026, 16:00 in Amsterdam


def delivery() -> Category:
    return db.session.scalar(select(Category).where(Category.slug == "delivery"))


def notices_of(user: User) -> list[str]:
    return list(db.session.scalars(select(StaffNotice.kind).where(StaffNotice.user_id == user.id)
                                   .order_by(StaffNotice.id)))


def digests() -> list[OutboxMail]:
    return db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "staff_digest")
                              .order_by(OutboxMail.id)).all()


def tick(now=None):
    made = notices.collect(now) + notices.promises_due_soon(now)
    sent = notices.send_digests(now)
    db.session.commit()
    return made, sent


def test_a_new_complaint_reaches_who_follows_its_category_in_their_language(create_complaint, create_user):
    follower, other, quiet = create_user(), create_user(), create_user()
    notices.update_settings(follower, language="en", kinds_on=set(notices.KINDS), category_ids={delivery().id})
    notices.update_settings(quiet, language="nl", kinds_on=set(notices.KINDS) - {"new_complaint"},
                            category_ids={delivery().id})
    db.session.commit()
    tick()  # what happened before (the demo) is read once and not told again
    db.session.query(OutboxMail).delete()
    db.session.commit()

    complaint, token = create_complaint(name="Fatima el Amrani", email="fatima@example.com", phone="0612345678",
                                        story="Het pakket met mijn nieuwe winterjas kwam kapot en nat aan, "
                                              "de doos was open en de jas vies.")
    made, sent = tick()
    assert notices_of(follower) == ["new_complaint"] and notices_of(other) == [] and notices_of(quiet) == []
    [mail] = digests()
    assert mail.recipient == follower.email and mail.language == "en"
    assert mail.subject == "Gehoord: 1 thing needs you"
    assert complaint.reference in mail.body_text and "Het pakket met mijn nieuwe winterjas" in mail.body_text
    for secret in (token, "/s/", "fatima@example.com", "0612345678", "Fatima", "de jas vies"):
        assert secret not in mail.body_text and secret not in mail.body_html, secret
    assert f"/agent/complaints/{complaint.reference}" in mail.body_text
    assert (made, sent) == (1, 1)
    assert tick() == (0, 0), "each event is told once"


def test_a_customer_message_flags_the_complaint_for_its_owner_until_they_reply(app, create_complaint, auth, client):
    complaint, _ = create_complaint()
    owner = person("agent")
    work.claim(complaint, owner)
    db.session.commit()
    tick()
    service.add_customer_message(complaint, "Ik heb nog een foto van de doos.")
    db.session.commit()
    tick()
    assert "customer_message" in notices_of(owner)
    auth.login("agent")
    header = soup(client.get("/agent/", headers=EN)).select_one(".header__count")
    assert header.get_text() == str(notices.needing_me(owner)) and notices.needing_me(owner) >= 1
    attention = text_of(soup(client.get("/agent/?view=attention", headers=EN)))
    assert complaint.reference in attention
    work.reply(complaint, owner, "Dank u, ik heb de foto gezien. U hoort morgen van mij.")
    db.session.commit()
    attention = text_of(soup(client.get("/agent/?view=attention", headers=EN)))
    assert complaint.reference not in attention


def test_an_escalation_and_a_cosign_reach_the_supervisors(create_complaint):
    complaint, _ = create_complaint()
    agent, supervisor, admin = person("agent"), person("supervisor"), person("admin")
    work.claim(complaint, agent)
    db.session.commit()
    tick()
    service.ask_for_manager(complaint, "Ik wil een leidinggevende spreken.", get_calendar())
    mandate.make_offer(complaint, agent, remedy="refund", amount_cents=90_000, text="Wij betalen u terug.",
                       request_key=new_draft_key(), seen_counter=complaint.offer_counter, calendar=get_calendar())
    db.session.commit()
    tick()
    for boss in (supervisor, admin):
        assert {"escalation", "cosign"} <= set(notices_of(boss))
    assert "cosign" not in notices_of(agent), "nobody is told of what they did themselves"


def test_at_most_one_digest_an_hour(create_complaint, create_user):
    follower = create_user()
    notices.update_settings(follower, language="nl", kinds_on=set(notices.KINDS), category_ids={delivery().id})
    db.session.commit()
    tick()
    start = utcnow()
    with time_machine.travel(start, tick=False):
        create_complaint()
        tick(start)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        create_complaint()
        assert tick(start + timedelta(minutes=30))[1] == 0, "the second waits for the hour"
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert tick(start + timedelta(minutes=61))[1] == 1
    mails = [m for m in digests() if m.recipient == follower.email]
    assert len(mails) == 2 and "Gehoord: 1 ding wacht op u" == mails[1].subject
    assert db.session.scalar(select(StaffNotice).where(StaffNotice.mailed_at.is_(None))) is None, "none lost"


def test_a_promise_due_after_the_weekend_is_told_on_friday_to_the_owner_or_the_supervisors(create_complaint):
    owned, _ = create_complaint(now=FRIDAY_4PM - timedelta(days=3))
    unowned, _ = create_complaint(now=FRIDAY_4PM - timedelta(days=3))
    agent = person("agent")
    work.claim(owned, agent, now=FRIDAY_4PM - timedelta(days=3))
    monday_11am = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)   # 3 working hours after Friday 16:00
    tuesday = datetime(2026, 12, 8, 10, 0, tzinfo=timezone.utc)       # beyond the 4 working hours
    for complaint in (owned, unowned):
        for promise in complaint.promises:
            if promise.state == "open":
                promise.due_at = tuesday
        next(p for p in complaint.promises if p.state == "open").due_at = monday_11am
    db.session.commit()
    notices.collect(FRIDAY_4PM)
    db.session.commit()
    assert notices.promises_due_soon(FRIDAY_4PM) >= 3  # the owner; the supervisor and the admin
    db.session.commit()
    assert notices_of(agent).count("promise_due") == 1
    assert "promise_due" in notices_of(person("supervisor"))
    assert notices.promises_due_soon(FRIDAY_4PM + timedelta(minutes=5)) == 0, "once per promise"


def test_the_settings_page_turns_kinds_off_and_follows_categories(client, auth):
    auth.login("agent")
    page = client.get("/agent/notifications", headers=EN)
    assert page.status_code == 200 and "Categories I follow" in text_of(soup(page))
    saved = client.post("/agent/notifications", data={"kinds": ["customer_message"], "categories": [
        str(delivery().id), "99999", "x"], "language": "en"})
    assert saved.status_code == 302
    me = person("agent")
    db.session.refresh(me)
    assert me.language == "en" and "new_complaint" in me.notices_off and "customer_message" not in me.notices_off
    assert notices.followed_categories(me) == {delivery().id}
    bad = client.post("/agent/notifications", data={"language": "fr"}, headers=EN)
    assert bad.status_code == 400


def test_the_owner_takes_it_off_their_list_and_a_new_message_puts_it_back(client, auth, create_complaint):
    complaint, _ = create_complaint()
    owner = person("agent")
    work.claim(complaint, owner)
    service.add_customer_message(complaint, "Nog een vraag: komt de monteur ook op zaterdag?")
    db.session.commit()
    auth.login("supervisor")
    assert client.post(f"/agent/complaints/{complaint.reference}/seen").status_code == 302
    db.session.expire_all()
    assert complaint.attention_at is not None, "only the owner can"
    auth.logout()
    auth.login("agent")
    page = client.get(f"/agent/complaints/{complaint.reference}", headers=EN)
    assert "This needs your attention since" in text_of(soup(page))
    client.post(f"/agent/complaints/{complaint.reference}/seen")
    db.session.expire_all()
    assert complaint.attention_at is None
    assert "read it: nothing to answer" in text_of(soup(client.get(f"/agent/complaints/{complaint.reference}",
                                                                   headers=EN)))
    service.add_customer_message(complaint, "En nog iets.")
    db.session.commit()
    assert complaint.attention_at is not None
