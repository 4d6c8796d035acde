"""The database raises a complaint's version with every change a status page could show (triggers)."""
from datetime import timedelta

from sqlalchemy import select, text, update

from portal.extensions import db
from portal.models import Category, Complaint, Grant, Organisation, User, utcnow
from portal.services import complaints as service
from portal.services import mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key


def version_of(complaint) -> int:
    return db.session.scalar(text("SELECT version FROM complaints WHERE id = :id"), {"id": complaint.id})


def names_version() -> int:
    return db.session.scalar(select(Organisation.names_version).order_by(Organisation.id).limit(1))


def raises(complaint, change) -> None:
    before = version_of(complaint)
    change()
    db.session.commit()
    assert version_of(complaint) > before, change


def agent():
    return db.session.scalars(select(User).where(User.role == "agent")).first()


def test_every_change_a_status_page_shows_raises_the_version(create_complaint):
    complaint, _token = create_complaint()
    someone = agent()
    raises(complaint, lambda: work.claim(complaint, someone))  # the complaint row
    raises(complaint, lambda: service.add_customer_message(complaint, "Nog een vraag."))  # a message (and an event)
    raises(complaint, lambda: work.reply(complaint, someone, "Dank u, we kijken ernaar."))  # promises kept
    raises(complaint, lambda: mandate.offer(complaint, someone, remedy="apology", amount_cents=0,
                                            text="Het spijt ons.", request_key=new_draft_key(),
                                            seen_counter=complaint.offer_counter, calendar=get_calendar()))
    grant = complaint.grants[-1]
    # A plain UPDATE statement, as `mandate.accept` uses: no ORM flush sees it, the database does.
    raises(complaint, lambda: db.session.execute(
        update(Grant).where(Grant.id == grant.id).values(answered_at=utcnow())
        .execution_options(synchronize_session=False)))
    message = complaint.messages[0]
    raises(complaint, lambda: db.session.delete(message))


def test_the_tick_that_marks_a_promise_missed_raises_the_version(create_complaint):
    complaint, _token = create_complaint()
    before = version_of(complaint)
    assert service.mark_missed_promises(utcnow() + timedelta(days=60)) >= 1
    db.session.commit()
    assert version_of(complaint) > before


def test_only_this_complaints_version_goes_up(create_complaint):
    first, _ = create_complaint()
    second, _ = create_complaint(email="someone.else@example.com")
    before = version_of(second)
    raises(first, lambda: service.add_customer_message(first, "Alleen bij de eerste."))
    assert version_of(second) == before


def test_a_new_name_or_category_text_raises_the_names_version(app):
    before = names_version()
    someone = agent()
    someone.name = someone.name + " de Vries"
    db.session.commit()
    assert names_version() == before + 1
    someone.active = someone.active  # no change of name: the counter stays
    someone.grant_counter = (someone.grant_counter or 0) + 1
    db.session.commit()
    assert names_version() == before + 1
    category = db.session.scalars(select(Category)).first()
    category.can_do_en = "We can send you a new one."
    db.session.commit()
    assert names_version() == before + 2


def test_a_complaint_row_written_twice_in_one_statement_counts_once(create_complaint):
    complaint, _ = create_complaint()
    before = version_of(complaint)
    db.session.execute(update(Complaint).where(Complaint.id == complaint.id).values(phone="0612345678")
                       .execution_options(synchronize_session=False))
    db.session.commit()
    assert version_of(complaint) == before + 1
