"""The filing command (portal/services/filing.py): every filing rule, for every door."""
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, Event, OutboxMail
from portal.services import filing
from portal.services.filing import InvalidAnswers, TooManyOpen, file_complaint, validate_answers
from portal.states import Channel, ContactBy, Kind, Wish
from tests.fixtures.complaints import answers
from tests.fixtures.people import person


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_answers_are_checked_and_every_problem_is_named(app):
    with pytest.raises(InvalidAnswers) as raised:
        validate_answers({"story": "short", "wish": "money", "email": "not an address", "language": "de",
                          "contact_by": "phone", "category": "no-such-category"}, Kind.COMPLAINT)
    fields = [field for field, _message in raised.value.problems]
    assert fields == ["story", "category", "wish", "name", "email", "contact_by", "language"]
    assert str(raised.value.problems[0][1]) == "Vertel iets meer: minstens 10 tekens"


def test_clean_answers_become_plain_values(app):
    checked = validate_answers(answers(category="other", wish="other", wish_other="  Call me back.  ",
                                       name="  Fatima \u200b el Amrani ", phone="06 12345678"), Kind.COMPLAINT)
    assert checked.category is None and checked.wish is Wish.OTHER and checked.wish_amount_cents is None
    assert checked.wish_other == "  Call me back.  ", "the customer's own words stay as they wrote them"
    assert checked.name == "Fatima el Amrani" and checked.contact_by is ContactBy.EMAIL


def test_a_compliment_needs_no_category_or_wish(app):
    checked = validate_answers({"kind": "compliment", "story": "Mo at the desk was very kind.", "name": "Fatima",
                                "email": "f@example.com", "language": "en"}, Kind.COMPLIMENT)
    assert checked.kind is Kind.COMPLIMENT and checked.category is None and checked.wish is None


def test_the_open_complaints_cap_holds_at_every_door(app):
    app.config["MAX_OPEN_PER_EMAIL"] = 2
    agent = person("agent")
    file_complaint(validate_answers(answers(email="Busy@example.com"), Kind.COMPLAINT), channel=Channel.WEB)
    file_complaint(validate_answers(answers(email="busy@example.com"), Kind.COMPLAINT), channel=Channel.PHONE,
                   filed_by=agent)
    with pytest.raises(TooManyOpen) as raised:
        file_complaint(validate_answers(answers(email=" BUSY@example.com"), Kind.COMPLAINT),
                       channel=Channel.PHONE, filed_by=agent)
    assert raised.value.limit == 2 and raised.value.field == "email"
    assert count(Complaint) == 2


def test_the_same_submission_key_files_once_and_nothing_is_written_twice(app):
    checked = validate_answers(answers(), Kind.COMPLAINT)
    first = file_complaint(checked, channel=Channel.WEB, submission_key="k" * 32)
    again = file_complaint(checked, channel=Channel.WEB, submission_key="k" * 32)
    db.session.commit()
    assert first.created and not again.created and first.complaint_id == again.complaint_id
    assert (count(Complaint), count(OutboxMail)) == (1, 1)


def test_a_colleague_who_files_for_a_customer_is_named_in_the_history(app):
    agent = person("agent")
    filed = file_complaint(validate_answers(answers(contact_by="phone", phone="020 123 4567"), Kind.COMPLAINT),
                           channel=Channel.COUNTER, filed_by=agent)
    db.session.commit()
    complaint = filed.complaint
    assert complaint.channel is Channel.COUNTER and complaint.contact_by is ContactBy.PHONE
    event = db.session.scalar(select(Event).where(Event.complaint_id == complaint.id, Event.kind == "filed"))
    assert (event.actor, event.user_id, event.data["name"]) == ("agent", agent.id, agent.name)


def test_no_promise_falls_after_the_longest_handling_time(app):
    from portal.services.organisation import get_calendar

    filed = file_complaint(validate_answers(answers(), Kind.COMPLAINT), channel=Channel.WEB)
    calendar = get_calendar()
    limit = calendar.add_weeks_then_working_day(filed.complaint.created_at, 6)
    assert max(p.due_at for p in filed.complaint.promises) <= limit


def test_the_calendar_names_the_next_working_days(app):
    from portal.services.organisation import get_calendar

    days = get_calendar().next_working_days(date(2026, 12, 24), 3)
    assert days == [date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30)], "Christmas and a weekend skipped"
    assert filing.OTHER_CATEGORY == "other"
