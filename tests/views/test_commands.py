"""Views call one command each, and a refused command leaves nothing half done (portal/services/errors.py)."""
from datetime import timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, Offer, User
from portal.services import mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import person


def test_filing_for_a_customer_keeps_the_open_complaints_cap(app, client_request, auth, create_complaint):
    app.config["MAX_OPEN_PER_EMAIL"] = 1
    create_complaint(email="busy@example.com")
    auth.login("agent")
    page = client_request.post("/agent/new", {
        "channel": "phone", "story": "The parcel never came and nobody called.", "category": "delivery",
        "wish": "fix", "name": "Busy Bee", "email": "BUSY@example.com", "contact_by": "email", "language": "en",
        "submission_key": new_draft_key()}, expected_status=400, headers=EN)
    assert "You already have 1 complaint open with us" in text_of(page)
    assert db.session.scalar(select(func.count(Complaint.id))) == 1


def test_filing_for_a_customer_keeps_how_they_want_to_be_contacted_and_files_once(client, auth):
    auth.login("agent")
    agent = person("agent")
    data = {"channel": "counter", "story": "The repair took three weeks instead of one.", "category": "product",
            "wish": "explanation", "name": "Sam de Vries", "email": "sam@example.com", "phone": "020 123 4567",
            "contact_by": "phone", "language": "nl", "submission_key": new_draft_key()}
    assert client.post("/agent/new", data=data).status_code == 302
    assert client.post("/agent/new", data=data).status_code == 302, "a double click"
    complaint = db.session.scalar(select(Complaint))
    assert db.session.scalar(select(func.count(Complaint.id))) == 1
    assert (complaint.contact_by, complaint.channel, complaint.owner_id) == ("phone", "counter", agent.id)


def test_a_refused_co_sign_keeps_nothing_of_what_it_started(app, client, create_complaint, auth):
    complaint, _token = create_complaint()
    agent = person("agent")
    work.claim(complaint, agent)
    waiting = mandate.make_offer(complaint, agent, remedy="refund", amount_cents=900_000, text="We pay it all back.",
                                 request_key=new_draft_key(), seen_counter=complaint.offer_counter,
                                 calendar=get_calendar())
    db.session.commit()
    auth.login("supervisor")
    supervisor = person("supervisor")
    counter_before = supervisor.offer_counter
    response = client.post(f"/agent/offers/{waiting.id}/cosign", headers=EN)
    assert response.status_code == 302  # back to the list, with the reason
    db.session.expire_all()
    assert db.session.get(User, supervisor.id).offer_counter == counter_before, "the lock's bump is rolled back"
    assert db.session.get(Offer, waiting.id).state == "waiting_cosign"
    assert "more than you may grant on one complaint" in text_of(soup(client.get("/agent/cosign", headers=EN)))


def test_moving_a_promise_to_a_closed_day_is_refused_by_the_command(client_request, create_complaint, auth):
    complaint, _token = create_complaint()
    auth.login("agent")
    agent = person("agent")
    work.claim(complaint, agent)
    db.session.commit()
    promise = next(p for p in complaint.promises if p.key == "proposal")
    calendar = get_calendar()
    day = calendar.local_date(promise.due_at) + timedelta(days=7)
    while calendar.is_working_day(day):
        day += timedelta(days=1)
    page = client_request.post(f"/agent/complaints/{complaint.reference}/promises/{promise.id}/move",
                               {"new_date": day.isoformat(), "reason": "The carrier is late."},
                               expected_status=400, headers=EN)
    assert "We are closed on that day. Choose a working day." in text_of(page)
    moved = work.extend_promise(promise, agent, calendar.next_working_days(day, 1)[0], "The carrier is late.")
    assert moved.due_at == calendar.closing_time(calendar.next_working_days(day, 1)[0]), "due at closing time"
