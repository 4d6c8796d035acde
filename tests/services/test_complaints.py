"""The customer's verbs in portal/services/complaints.py, without pages: file, withdraw, ask for a
manager, mail the link again; and the longest handling time that no promise may pass."""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.services import filing
from portal.extensions import db
from portal.models import Complaint, Event, OutboxMail, StatusLink
from portal.services import complaints as service
from portal.services import timelines
from portal.services.calendar import BusinessCalendar
from portal.services.organisation import get_calendar
from portal.services.outbox import write_waiting
from tests.fixtures.complaints import answers

AMS = ZoneInfo("Europe/Amsterdam")


def ams(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def file(calendar=None, now=None, kind="complaint", **overrides) -> filing.Filed:
    draft = filing.start_draft(kind)
    filing.save_answers(draft, answers(**overrides))
    filed = filing.file_draft(draft, calendar=calendar or get_calendar(), now=now)
    db.session.commit()
    return filed


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def closed_on_working_days(first: date, last: date) -> BusinessCalendar:
    """The default calendar, closed on every day from `first` to `last`."""
    days = {first + timedelta(days=n): None for n in range((last - first).days + 1)}
    return BusinessCalendar(closing_days=days)


# --- filing ---------------------------------------------------------------------------------------

def test_references_are_short_and_never_use_letters_that_look_alike(app):
    references = {file(story=f"Story number {n} about a late parcel", email=
                       f"customer{n}@example.com").complaint.reference
                  for n in range(25)}
    assert len(references) == 25, "every complaint its own reference"
    for reference in references:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
        assert not set(reference) & set("0O1IL"), reference


def test_the_status_token_is_stored_only_as_its_hash(app):
    filed = file()
    assert len(filed.token) >= 22, "at least 128 random bits"
    link = db.session.scalar(select(StatusLink))
    assert link.token_hash == hashlib.sha256(filed.token.encode()).hexdigest()
    row = db.session.execute(select(Complaint.__table__)).one()
    assert filed.token not in " ".join(str(value) for value in row)
    assert service.complaint_for_token(filed.token) is filed.complaint
    assert service.complaint_for_token(filed.token[:-1] + ("A" if filed.token[-1] != "A" else "B")) is None


def test_filing_keeps_the_words_verbatim_and_queues_one_mail_in_the_customer_language(app):
    story = "  De doos was nat.\nHet boek is kapot!  "
    filed = file(story=story, language="en")
    complaint = filed.complaint
    assert complaint.story == story, "the customer's words, as they wrote them"
    assert complaint.status == "received" and filed.created
    assert [event.kind for event in complaint.events] == ["filed"]
    mail = db.session.scalar(select(OutboxMail))
    assert (mail.kind, mail.language, mail.recipient) == ("filed", "en", complaint.email)
    assert mail.body_text is None, "the mail worker writes it, not the filing"
    db.session.commit()

    assert write_waiting() == (1, 0)
    db.session.refresh(mail)
    assert mail.subject == f"We have received your complaint ({complaint.reference})"
    token = re.search(r"/s/([\w-]+)", mail.body_text).group(1)
    assert f"/s/{token}" in mail.body_html
    assert service.complaint_for_token(token) == complaint, "the mailed link opens this complaint"
    assert service.complaint_for_token(filed.token) == complaint, "and so does the confirmation page's"
    assert write_waiting() == (0, 0), "written once"


def test_filing_the_same_draft_twice_gives_the_first_complaint(app):
    draft = filing.start_draft("complaint")
    filing.save_answers(draft, answers())
    first = filing.file_draft(draft, calendar=get_calendar())
    second = filing.file_draft(draft, calendar=get_calendar())
    assert second.complaint is first.complaint and not second.created
    assert count(Complaint) == 1 and count(OutboxMail) == 1


def test_promises_are_a_snapshot_a_later_timeline_does_not_change_them(app):
    filed_at = ams(2026, 3, 2, 10, 0)
    complaint = file(now=filed_at).complaint
    before = [(p.key, p.due_at, p.label_nl, p.label_en) for p in complaint.promises]
    timelines.create_timeline("complaint", None, [dict(
        key="contact", offset_amount=3, offset_unit="working_days",
        label_nl="Iemand belt u", label_en="A person calls you", explanation_nl=None, explanation_en=None)])
    db.session.commit()
    db.session.expire_all()
    complaint = db.session.get(Complaint, complaint.id)
    assert [(p.key, p.due_at, p.label_nl, p.label_en) for p in complaint.promises] == before
    newer = file(now=filed_at, story="A second story about a parcel").complaint
    assert [(p.key, p.label_en) for p in newer.promises] == [("contact", "A person calls you")]


def test_an_amount_or_own_words_are_kept_only_with_the_wish_they_belong_to(app):
    left_over = file(wish="fix", wish_other="Bel me op", wish_amount_cents=4000).complaint
    assert (left_over.wish, left_over.wish_other, left_over.wish_amount_cents) == ("fix", None, None)
    other = file(wish="other", wish_other="Bel me op", wish_amount_cents=4000, story="Another story here").complaint
    assert (other.wish_other, other.wish_amount_cents) == ("Bel me op", None)
    money = file(wish="compensation", wish_other="Bel me op", wish_amount_cents=4000, story="A third story").complaint
    assert (money.wish_other, money.wish_amount_cents) == (None, 4000)


# --- the longest handling time ------------------------------------------------------------------

def test_many_closing_days_never_push_a_promise_past_the_longest_handling_time(app):
    filed_at = ams(2026, 3, 2, 10, 0)  # a Monday; then closed for five weeks
    calendar = closed_on_working_days(date(2026, 3, 3), date(2026, 4, 7))
    limit = calendar.add_weeks_then_working_day(filed_at, 6)
    assert limit == ams(2026, 4, 13, 17, 0)
    uncapped = timelines.plan(timelines.current_timeline("complaint", None).steps, filed_at, calendar)
    assert uncapped[-1].due_at > limit, "without the cap the last step would fall after 6 weeks"
    complaint = file(calendar=calendar, now=filed_at).complaint
    due = {p.key: p.due_at for p in complaint.promises}
    assert all(moment <= limit for moment in due.values())
    assert due["resolved"] == limit, "capped at the limit, not dropped"
    assert due["contact"] == uncapped[0].due_at, "a promise inside the limit keeps its own date"


def test_the_limit_follows_the_organisations_setting(app):
    from portal.services.organisation import get_organisation

    get_organisation().max_handling_weeks = 1
    filed_at = ams(2026, 3, 2, 10, 0)  # the last step is due on 16 March without a limit
    complaint = file(now=filed_at).complaint
    limit = get_calendar().add_weeks_then_working_day(filed_at, 1)
    assert max(p.due_at for p in complaint.promises) == limit == ams(2026, 3, 9, 17, 0)


def test_asking_for_a_manager_late_gets_a_date_within_the_longest_handling_time(app):
    filed_at = ams(2026, 3, 2, 10, 0)
    calendar = closed_on_working_days(date(2026, 4, 13), date(2026, 4, 24))
    complaint = file(calendar=calendar, now=filed_at).complaint
    limit = calendar.add_weeks_then_working_day(filed_at, 6)
    asked_at = ams(2026, 4, 10, 10, 0)
    assert calendar.add(asked_at, 2, "working_days") > limit
    service.ask_for_manager(complaint, "", calendar, now=asked_at)
    assert complaint.promises[-1].key == "manager"
    assert complaint.promises[-1].due_at == limit == ams(2026, 4, 28, 17, 0)  # 27 April is King's Day


def test_fresh_promises_after_reopening_count_a_new_handling_time(app):
    filed_at = ams(2026, 3, 2, 10, 0)
    complaint = file(now=filed_at).complaint
    reopened_at = ams(2026, 5, 4, 10, 0)  # nine weeks later
    promise = timelines.add_promise(complaint, timelines.REOPEN_STEPS[1], reopened_at, get_calendar())
    assert promise.due_at == get_calendar().add(reopened_at, 5, "working_days")


# --- on the status page ---------------------------------------------------------------------------

def test_withdrawing_ends_the_promises_and_confirms_by_mail(app):
    complaint = file().complaint
    service.withdraw(complaint)
    db.session.commit()
    assert complaint.status == "withdrawn" and complaint.withdrawn_at is not None
    assert {p.state for p in complaint.promises} == {"ended"}
    assert complaint.events[-1].kind == "withdrawn"
    assert db.session.scalars(select(OutboxMail.kind)).all() == ["filed", "withdrawn"]
    with pytest.raises(service.NotAllowed):
        service.withdraw(complaint)
    with pytest.raises(service.NotAllowed):
        service.add_customer_message(complaint, "One more thing")
    assert db.session.scalars(select(OutboxMail.kind)).all() == ["filed", "withdrawn"], "no second mail"


def test_asking_for_a_manager_adds_one_dated_promise_and_flags_the_owner(app):
    filed_at = ams(2026, 3, 2, 10, 0)
    complaint = file(now=filed_at).complaint
    asked_at = ams(2026, 3, 4, 11, 0)
    service.ask_for_manager(complaint, "Nobody called me back.", get_calendar(), now=asked_at)
    manager = complaint.promises[-1]
    assert (manager.key, manager.state) == ("manager", "open")
    assert manager.due_at == get_calendar().add(asked_at, 2, "working_days") == ams(2026, 3, 6, 17, 0)
    assert complaint.escalated_at == asked_at and complaint.attention_at == asked_at
    assert complaint.escalation_reason == "Nobody called me back."
    assert complaint.events[-1].kind == "manager_asked"
    with pytest.raises(service.NotAllowed):
        service.ask_for_manager(complaint, "again", get_calendar(), now=asked_at)
    assert [p.key for p in complaint.promises].count("manager") == 1


def test_a_withdrawn_complaint_cannot_go_to_a_manager(app):
    complaint = file().complaint
    service.withdraw(complaint)
    with pytest.raises(service.NotAllowed):
        service.ask_for_manager(complaint, "", get_calendar())


# --- find my complaint ----------------------------------------------------------------------------

def test_the_link_is_mailed_again_only_when_reference_and_address_belong_together(app):
    filed = file(email="Fatima@Example.com")
    complaint = filed.complaint
    links, mails, events = count(StatusLink), count(OutboxMail), count(Event)

    for reference, email in [(complaint.reference, "someone@example.com"), ("AAAA-AAAA", "fatima@example.com"),
                             ("", ""), (complaint.reference, "")]:
        assert service.resend_status_link(reference, email) is False
    assert (count(StatusLink), count(OutboxMail), count(Event)) == (links, mails, events), "nothing written"

    typed = complaint.reference.lower().replace("-", " ")
    assert service.resend_status_link(typed, "  fatima@example.COM ") is True
    assert count(StatusLink) == links + 1
    mail = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    assert mail.kind == "link" and mail.recipient == "Fatima@Example.com"
    token = re.search(r"/s/([\w-]+)", mail.body_text).group(1)
    assert token != filed.token and service.complaint_for_token(token) is complaint
    assert service.complaint_for_token(filed.token) is complaint, "the old link keeps working"
    assert complaint.events[-1].kind == "link_sent_again"
