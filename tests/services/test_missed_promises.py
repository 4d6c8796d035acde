"""A promise whose moment passed unkept is marked missed, once, and the customer hears it honestly,
with an apology, in their own language: in a mail and on the status page (charter right 3)."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMail, utcnow
from portal.services import complaints as service
from portal.services.complaints import mark_missed_promises
from tests.conftest import soup, text_of
from tests.mail import spelled_out

FILED_AT = datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc)  # Monday 2 March 2026, 09:30 in Amsterdam


def apologies() -> list[OutboxMail]:
    db.session.commit()  # end this test's transaction: see what other sessions saved
    return db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "missed").order_by(OutboxMail.id)).all()


def status_page(client, token, language):
    response = client.get(f"/s/{token}", headers={"Accept-Language": language})
    assert response.status_code == 200
    return text_of(soup(response))


def test_a_promise_past_its_moment_is_marked_missed_once_with_an_apology_in_dutch(app, client, create_complaint):
    complaint, token = create_complaint(language="nl", email="fatima@example.com", now=FILED_AT)
    first, second, third = complaint.promises
    just_after = first.due_at + timedelta(minutes=1)
    assert second.due_at > just_after, "only the first promise is due"

    assert mark_missed_promises(just_after) == 1
    db.session.commit()

    assert [p.state for p in complaint.promises] == ["missed", "open", "open"]
    [mail] = apologies()
    assert mail.recipient == "fatima@example.com" and mail.language == "nl"
    assert mail.subject == f"Wij hielden ons niet aan onze belofte ({complaint.reference})"
    for body in (mail.body_text, mail.body_html):
        assert "Beste Fatima el Amrani," in body
        assert f"Wij beloofden u dit uiterlijk {spelled_out(first.due_at, 'nl')}" in body
        assert first.label_nl in body, "says which promise"
        assert "Wij hebben deze belofte niet gehouden. Het spijt ons." in body
        assert complaint.reference in body
        assert "sorry" not in body.lower() and "promise" not in body.lower(), "no English in a Dutch mail"

    # Running it again (cron every few minutes) does not say sorry twice for the same promise.
    assert mark_missed_promises(just_after + timedelta(hours=2)) == 0
    db.session.commit()
    assert len(apologies()) == 1

    text = status_page(client, token, "nl")
    assert "Niet gehaald" in text
    assert f"Wij beloofden dit uiterlijk {spelled_out(first.due_at, 'nl')}" in text
    assert "Wij hebben deze belofte niet gehouden. Het spijt ons." in text
    assert f"Uiterlijk {spelled_out(second.due_at, 'nl')}" in text, "the next promise is still ahead"
    assert text.count("Niet gehaald") == 1
    assert "Wij hielden ons niet aan een belofte" in text, "the history says it too"


def test_the_tick_command_marks_a_passed_promise_and_apologises_in_english(app, client, runner, create_complaint):
    complaint, token = create_complaint(language="en", name="Grace Okafor", email="grace@example.com")
    first = complaint.promises[0]
    first.due_at = utcnow() - timedelta(hours=1)  # its moment has passed; the others are days away
    db.session.commit()

    result = runner.invoke(args=["portal", "tick"])
    assert result.exit_code == 0, result.output
    assert "1 promise(s) marked missed" in result.output
    again = runner.invoke(args=["portal", "tick"])
    assert "0 promise(s) marked missed" in again.output

    [mail] = apologies()
    assert mail.recipient == "grace@example.com" and mail.language == "en"
    assert mail.subject == f"We did not keep our promise ({complaint.reference})"
    for body in (mail.body_text, mail.body_html):
        assert "Dear Grace Okafor," in body
        assert f"We promised you this by {spelled_out(first.due_at, 'en')}" in body
        assert first.label_en in body
        assert "We did not keep this promise. We are sorry." in body
        assert "Beste" not in body and "spijt" not in body

    text = status_page(client, token, "en")
    assert "Not kept" in text
    assert f"We promised this by {spelled_out(first.due_at, 'en')}" in text
    assert "We did not keep this promise. We are sorry." in text


def test_each_customer_gets_the_apology_for_their_own_complaint_in_their_own_language(app, create_complaint):
    dutch, _ = create_complaint(language="nl", name="Fatima el Amrani", email="fatima@example.com", now=FILED_AT)
    english, _ = create_complaint(language="en", name="Grace Okafor", email="grace@example.com", now=FILED_AT)
    moment = max(dutch.promises[0].due_at, english.promises[0].due_at) + timedelta(minutes=1)

    assert mark_missed_promises(moment) == 2
    db.session.commit()

    mails = {mail.recipient: mail for mail in apologies()}
    assert set(mails) == {"fatima@example.com", "grace@example.com"}
    assert dutch.reference in mails["fatima@example.com"].subject
    assert "Beste Fatima el Amrani," in mails["fatima@example.com"].body_text
    assert english.reference in mails["grace@example.com"].subject
    assert "Dear Grace Okafor," in mails["grace@example.com"].body_text
    assert english.reference not in mails["fatima@example.com"].body_text


def test_a_promise_kept_in_time_is_never_marked_missed(app, client, create_complaint):
    complaint, token = create_complaint(language="nl", now=FILED_AT)
    first = complaint.promises[0]
    first.state, first.kept_at = "kept", first.due_at - timedelta(hours=3)
    db.session.commit()

    assert mark_missed_promises(first.due_at + timedelta(hours=1)) == 0
    db.session.commit()

    assert complaint.promises[0].state == "kept"
    assert apologies() == []
    text = status_page(client, token, "nl")
    assert "Niet gehaald" not in text and "Het spijt ons" not in text
    assert f"Gedaan op {spelled_out(first.kept_at, 'nl')}" in text


def test_no_apology_for_a_complaint_the_customer_withdrew(app, create_complaint):
    complaint, _ = create_complaint(now=FILED_AT)
    service.withdraw(complaint, now=FILED_AT + timedelta(hours=1))
    db.session.commit()

    assert mark_missed_promises(complaint.promises[-1].due_at + timedelta(days=1)) == 0
    db.session.commit()
    assert apologies() == []
