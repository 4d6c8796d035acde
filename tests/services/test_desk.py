"""The supervisors' desk figures count as the queue speaks: "at risk" is what the queue calls due within
one working day."""
from datetime import datetime, timezone

from portal.services.desk import team_today
from portal.services.organisation import get_calendar
from portal.template_helpers import due_words


def test_at_risk_is_what_the_queue_calls_due_within_one_working_day(app, create_complaint):
    saturday = datetime(2026, 11, 14, 9, 0, tzinfo=timezone.utc)
    calendar = get_calendar()
    complaint, _ = create_complaint(now=saturday)  # first promise: Tuesday, "due in 2 working days"
    assert due_words(complaint.next_due_at, saturday, calendar) == "nog 2 werkdagen"
    today = team_today(saturday, calendar)
    assert (today.open, today.at_risk, today.overdue) == (1, 0, 0)
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)
    assert due_words(complaint.next_due_at, monday, calendar) == "nog 1 werkdag"
    assert team_today(monday, calendar).at_risk == 1
    wednesday = datetime(2026, 11, 18, 9, 0, tzinfo=timezone.utc)
    assert (team_today(wednesday, calendar).at_risk, team_today(wednesday, calendar).overdue) == (0, 1)
