"""The queue's order: the earliest open promise first, kept on the complaint whatever changes a promise."""
from datetime import datetime, timedelta, timezone

from portal.extensions import db
from portal.services.organisation import get_calendar
from portal.services import complaints as service
from portal.services import work
from portal.services.queue import queue
from tests.fixtures.people import person

MONDAY = datetime(2026, 11, 16, 9, 30, tzinfo=timezone.utc)


def earliest_open(complaint):
    due = [p.due_at for p in complaint.promises if p.state == "open"]
    return min(due) if due else None


def references(rows):
    return [row.complaint.reference for row in rows]


def test_filing_sets_the_sort_key_to_the_first_promise(create_complaint):
    complaint, _ = create_complaint(now=MONDAY)
    assert complaint.next_due_at is not None
    assert complaint.next_due_at == earliest_open(complaint) == complaint.promises[0].due_at


def test_keeping_moving_and_missing_promises_keep_the_sort_key_right(create_complaint):
    complaint, _ = create_complaint(now=MONDAY)
    first_due = complaint.next_due_at
    me = person("agent")
    work.claim(complaint, me, now=MONDAY + timedelta(hours=1))
    work.reply(complaint, me, "Dear Fatima, I am sorry. I am on it.", now=MONDAY + timedelta(hours=2))
    db.session.commit()
    # The "contacts you" promise is kept: the next one (the proposal) is what the queue sorts on.
    assert complaint.promises[0].state == "kept"
    assert complaint.next_due_at == earliest_open(complaint) > first_due

    proposal = next(p for p in complaint.promises if p.state == "open")
    later_day = get_calendar().local_date(proposal.due_at + timedelta(days=7))
    work.extend_promise(proposal, me, later_day, "We wait for the carrier's report.", now=MONDAY + timedelta(hours=3))
    later = get_calendar().closing_time(later_day)
    db.session.commit()
    assert complaint.next_due_at == earliest_open(complaint)
    assert later in [p.due_at for p in complaint.promises if p.state == "open"]

    # The tick marks every promise whose moment passed: none is open any more, but the missed ones
    # are still owed, so the earliest of them keeps the complaint at the top of the queue.
    service.mark_missed_promises(now=max(p.due_at for p in complaint.promises) + timedelta(days=1))
    db.session.commit()
    assert earliest_open(complaint) is None
    owed = [p for p in complaint.promises if p.state == "missed" and p.moved_at is None]
    assert owed and complaint.next_due_at == min(p.due_at for p in owed)


def test_a_missed_promise_stays_overdue_owned_or_not_until_it_is_done_or_moved(app, create_complaint):
    from tests.conftest import soup, text_of

    owned, _ = create_complaint(now=MONDAY)
    unowned, _ = create_complaint(now=MONDAY)
    later, _ = create_complaint(now=MONDAY + timedelta(days=20))  # nothing missed yet
    me = person("agent")
    work.claim(owned, me, now=MONDAY + timedelta(minutes=5))
    two_days_late = get_calendar().add(owned.promises[0].due_at, 2, "working_days")
    service.mark_missed_promises(now=two_days_late)
    db.session.commit()
    assert owned.promises[0].state == unowned.promises[0].state == "missed"

    rows, total = queue(me, "overdue", now=two_days_late)
    assert set(references(rows)) == {owned.reference, unowned.reference} and total == 2
    rows, _ = queue(me, "open", now=two_days_late)
    assert references(rows)[:2] == sorted([owned.reference, unowned.reference],
                                          key=lambda r: (owned if r == owned.reference else unowned).id)
    assert later.reference in references(rows)[2:], "the missed ones come first"

    import time_machine
    client = app.test_client()
    with time_machine.travel(two_days_late, tick=False):
        client.post("/agent/login", data={"email": "agent@gehoord.example", "password": "demo-agent"})
        page = text_of(soup(client.get("/agent/?view=overdue", headers={"Accept-Language": "en"})))
    assert "2 working days overdue" in page and unowned.reference in page

    # Done late (the reply keeps the "contacts you" promise): it leaves the overdue view.
    work.reply(owned, me, "Dear Fatima, I am sorry it took this long.", now=two_days_late)
    db.session.commit()
    assert owned.promises[0].state == "missed" and owned.promises[0].kept_at == two_days_late
    rows, _ = queue(me, "overdue", now=two_days_late)
    assert references(rows) == [unowned.reference]


def test_withdrawing_ends_the_promises_and_clears_the_sort_key(create_complaint):
    complaint, _ = create_complaint(now=MONDAY)
    service.withdraw(complaint)
    db.session.commit()
    assert complaint.next_due_at is None


def test_the_queue_puts_the_promise_most_at_risk_first_and_names_it(app, create_complaint):
    later, _ = create_complaint(now=MONDAY + timedelta(days=2), email="later@example.com")
    sooner, _ = create_complaint(now=MONDAY, email="sooner@example.com")
    done, _ = create_complaint(now=MONDAY - timedelta(days=1), email="done@example.com")
    # `done` has every promise kept, but is still open: it goes last, after those with a date.
    for promise in done.promises:
        promise.state, promise.kept_at = "kept", MONDAY
    db.session.commit()

    rows, total = queue(person("agent"), now=MONDAY + timedelta(days=3))
    assert total == 3
    assert references(rows) == [sooner.reference, later.reference, done.reference]
    assert rows[0].next_due == sooner.promises[0].due_at
    assert (rows[0].next_label_en, rows[0].next_label_nl) == (sooner.promises[0].label_en,
                                                              sooner.promises[0].label_nl)
    assert rows[2].next_due is None and rows[2].next_label_en is None

    overdue, _ = queue(person("agent"), view="overdue", now=sooner.promises[0].due_at + timedelta(minutes=1))
    assert references(overdue) == [sooner.reference]


def test_the_queue_pages_do_not_repeat_or_skip(app, create_complaint, monkeypatch):
    import portal.services.queue as queue_module

    monkeypatch.setattr(queue_module, "PER_PAGE", 2)
    filed = [create_complaint(now=MONDAY + timedelta(minutes=n), email=f"c{n}@example.com")[0] for n in range(5)]
    seen = [ref for page in (1, 2, 3) for ref in references(queue(person("agent"), page=page, now=MONDAY)[0])]
    assert seen == [c.reference for c in filed]
