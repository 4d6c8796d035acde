"""Privacy: closed complaints lose their personal data after the retention period; the numbers stay."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, Event, OutboxMail, StatusLink
from portal.services import complaints as service
from portal.services import lifecycle, mandate, privacy, work
from portal.services.organisation import get_calendar, get_organisation
from portal.services.secrets import new_draft_key
from tests.fixtures.people import person

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
PERSONAL = ("Fatima", "fatima@example.com", "0612345678", "rain", "last Tuesday", "Rotterdam", "Kerkstraat 12")


@pytest.fixture
def handled(create_complaint):
    """File a complaint long ago, with everything a person could write on it, then end it."""
    def make(months_ago: int, end: str = "resolve"):
        filed_at = privacy.months_before(NOW, months_ago) - timedelta(days=10)
        complaint, token = create_complaint(now=filed_at, phone="0612345678", wish_other="a call from Rotterdam")
        agent = person("agent")
        work.claim(complaint, agent, now=filed_at)
        work.reply(complaint, agent, "Dear Fatima, I am sorry about the rain.", now=filed_at)
        work.add_note(complaint, agent, "She lives at Kerkstraat 12.", now=filed_at)
        work.classify(complaint, agent, handled_as="fix", root_cause="system", chance_to_improve=True,
                      improvement_note="Fatima says the driver never rings.")
        service.add_customer_message(complaint, "I live at Kerkstraat 12 in Rotterdam.")
        offer = mandate.make_offer(complaint, agent, remedy="refund", amount_cents=2550,
                              text="Fatima, we pay back the book.", request_key=new_draft_key(), seen_counter=0,
                              calendar=get_calendar(), now=filed_at) if end == "resolve" else None
        ended_at = privacy.months_before(NOW, months_ago)
        if end == "resolve":
            mandate.accept(complaint, offer, now=ended_at)
            lifecycle.mark_carried_out(complaint, offer, agent, "NL12-PAY-4411", now=ended_at)
        elif end == "withdraw":
            service.withdraw(complaint, now=ended_at)
        db.session.commit()
        return complaint, token

    return make


def personal_words_left(complaint: Complaint) -> list[str]:
    texts = [complaint.name, complaint.email, complaint.phone, complaint.story, complaint.happened_when,
             complaint.wish_other, complaint.improvement_note]
    texts += [m.body for m in complaint.messages] + [n.body for n in complaint.notes]
    texts += [g.text for g in complaint.offers] + [str(e.data) for e in complaint.events]
    texts += [p.move_reason for p in complaint.promises]
    for mail in db.session.scalars(select(OutboxMail).where(OutboxMail.complaint_id == complaint.id)):
        texts += [mail.recipient, mail.body_text, mail.body_html]
    return [word for word in PERSONAL for text in texts if text and word in text]


def test_purge_anonymises_only_complaints_closed_longer_than_the_retention(handled, create_complaint):
    old, old_token = handled(25)
    recent, recent_token = handled(23, end="withdraw")
    still_open, _ = handled(30, end=None)
    assert personal_words_left(old)  # the factory really wrote personal words everywhere

    assert privacy.purge_closed(NOW, 24) == 1
    db.session.commit()

    assert personal_words_left(old) == []
    assert old.anonymised_at == NOW
    assert personal_words_left(recent) and recent.anonymised_at is None
    assert personal_words_left(still_open) and still_open.anonymised_at is None
    assert db.session.scalar(select(func.count(StatusLink.id)).where(StatusLink.complaint_id == old.id)) == 0
    assert db.session.scalar(select(func.count(StatusLink.id)).where(StatusLink.complaint_id == recent.id)) > 0


def test_purge_keeps_the_numbers_reports_need(handled):
    complaint, _ = handled(25)
    before = dict(reference=complaint.reference, kind=complaint.kind, category=complaint.category_id,
                  status=complaint.status, created=complaint.created_at, resolved=complaint.resolved_at,
                  promises=[(p.key, p.due_at, p.state, p.kept_at, p.missed_at) for p in complaint.promises],
                  offers=[(g.remedy, g.amount_cents, g.currency, g.state) for g in complaint.offers],
                  classification=(complaint.handled_as, complaint.root_cause, complaint.chance_to_improve),
                  events=[e.kind for e in complaint.events], messages=len(complaint.messages))

    privacy.purge_closed(NOW, 24)
    db.session.commit()
    db.session.expire_all()
    complaint = db.session.get(Complaint, complaint.id)

    after = dict(reference=complaint.reference, kind=complaint.kind, category=complaint.category_id,
                 status=complaint.status, created=complaint.created_at, resolved=complaint.resolved_at,
                 promises=[(p.key, p.due_at, p.state, p.kept_at, p.missed_at) for p in complaint.promises],
                 offers=[(g.remedy, g.amount_cents, g.currency, g.state) for g in complaint.offers],
                 classification=(complaint.handled_as, complaint.root_cause, complaint.chance_to_improve),
                 events=[e.kind for e in complaint.events][:-1], messages=len(complaint.messages))
    assert after == before
    assert before["offers"] == [("refund", 2550, "EUR", "carried_out")]
    assert complaint.events[-1].kind == "anonymised" and complaint.events[-1].actor == "system"


def test_the_latest_closing_moment_counts(handled):
    complaint, _ = handled(30)  # resolved 30 months ago, but closed only 2 months ago
    complaint.status, complaint.closed_at = "closed", privacy.months_before(NOW, 2)
    db.session.commit()
    assert privacy.purge_closed(NOW, 24) == 0
    assert complaint.anonymised_at is None


def test_purge_is_done_once(handled):
    complaint, _ = handled(25)
    assert privacy.purge_closed(NOW, 24) == 1
    assert privacy.purge_closed(NOW + timedelta(days=1), 24) == 0
    db.session.commit()
    assert db.session.scalar(select(func.count(Event.id)).where(
        Event.complaint_id == complaint.id, Event.kind == "anonymised")) == 1


def test_the_status_link_of_an_anonymised_complaint_opens_nothing(client, handled):
    complaint, token = handled(25)
    # Long past its life the link opens nothing anyway (complaints.link_works_until); the purge also
    # removes it, so no later rule change can bring it back.
    assert service.complaint_for_token(token, now=complaint.resolved_at) is not None
    privacy.purge_closed(NOW, 24)
    db.session.commit()
    response = client.get(f"/s/{token}")
    assert response.status_code == 404
    assert "Fatima" not in response.get_data(as_text=True)


def test_the_cli_prints_how_many_and_a_dry_run_changes_nothing(runner, handled):
    complaint, _ = handled(get_organisation().retention_months + 1, end="withdraw")

    result = runner.invoke(args=["portal", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 complaint(s)" in result.output and "nothing changed" in result.output
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).anonymised_at is None
    assert personal_words_left(db.session.get(Complaint, complaint.id))

    result = runner.invoke(args=["portal", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 complaint(s)" in result.output and "anonymised" in result.output
    db.session.expire_all()
    assert personal_words_left(db.session.get(Complaint, complaint.id)) == []
    assert "0 complaint(s)" in runner.invoke(args=["portal", "purge"]).output


def test_asking_for_erasure_keeps_the_complaint_working(create_complaint):
    complaint, _ = create_complaint()
    assert privacy.request_erasure(complaint, NOW) is True
    assert privacy.request_erasure(complaint, NOW + timedelta(hours=1)) is False  # asked once is enough
    db.session.commit()
    assert complaint.erasure_requested_at == NOW and complaint.is_open
    assert [e.kind for e in complaint.events if e.customer_visible][-1] == "erasure_requested"
    service.add_customer_message(complaint, "One more thing.")  # still works
    assert privacy.erasure_requests() == [complaint]


def test_confirming_an_erasure_of_an_open_complaint_withdraws_it_first(create_complaint):
    complaint, token = create_complaint()
    admin = person("admin")
    privacy.request_erasure(complaint, NOW)
    privacy.confirm_erasure(complaint, admin, NOW)
    db.session.commit()
    assert complaint.status == "withdrawn" and complaint.withdrawn_at == NOW
    assert [p.state for p in complaint.promises if p.state == "open"] == []
    assert complaint.next_due_at is None  # it leaves the queue
    assert personal_words_left(complaint) == []
    confirmed = next(e for e in complaint.events if e.kind == "erasure_confirmed")
    assert confirmed.user_id == admin.id and confirmed.created_at == NOW
    assert privacy.erasure_requests() == []
    with pytest.raises(privacy.PrivacyError):
        privacy.confirm_erasure(complaint, admin, NOW)


def test_months_before_stays_in_the_shorter_month():
    assert privacy.months_before(datetime(2026, 3, 31, tzinfo=timezone.utc), 1) == datetime(2026, 2, 28,
                                                                                            tzinfo=timezone.utc)
    assert privacy.months_before(datetime(2026, 1, 15, tzinfo=timezone.utc), 24) == datetime(2024, 1, 15,
                                                                                             tzinfo=timezone.utc)
