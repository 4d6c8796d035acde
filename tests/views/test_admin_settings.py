"""Admins set the calendar, categories, people and the organisation; "you said, we did" closes the loop."""
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Category, ClosingDay, Improvement, OutboxMail, User
from portal.services import work
from tests.conftest import soup, text_of

EN = {"Accept-Language": "en"}


def log_in(client, role="admin"):
    response = client.post("/agent/login", data={"email": f"{role}@gehoord.example", "password": f"demo-{role}"})
    assert response.status_code == 302


def calendar_form(**overrides):
    data = dict(timezone="Europe/Amsterdam", holiday_country="NL", holiday_subdiv="", liberation_day_every_year="yes",
                hours_0="09:00-17:00", hours_1="09:00-17:00", hours_2="09:00-17:00", hours_3="09:00-17:00",
                hours_4="09:00-17:00", hours_5="", hours_6="")
    data.update(overrides)
    return data


def test_changing_the_calendar_never_moves_promises_already_made(client, create_complaint):
    complaint, _ = create_complaint()
    dates = [p.due_at for p in complaint.promises]
    log_in(client)
    response = client.post("/admin/calendar", data=calendar_form(hours_4="09:00-12:00", hours_5="10:00-14:00"))
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert [p.due_at for p in complaint.promises] == dates
    page = text_of(soup(client.get("/admin/calendar", headers=EN)))
    assert "The next working days" in page and "Saturday" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar_changed")).after[
        "opening_hours"]["5"] == ["10:00", "14:00"]


def test_bad_calendar_input_gets_clear_errors(client):
    log_in(client)
    page = soup(client.post("/admin/calendar", headers=EN, data=calendar_form(
        hours_0="9 to 5", timezone="Mars/Olympus", holiday_country="XX")))
    text = text_of(page)
    assert "Write the hours like 09:00-17:00" in text
    assert "Enter a time zone, like Europe/Amsterdam" in text
    assert "Enter a country code that has public holidays" in text


def test_closing_days_in_the_past_are_refused(client):
    log_in(client)
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    response = client.post("/admin/calendar/closing-days", headers=EN,
                           data={"closing-day": yesterday, "closing-closed_from": "", "closing-reason": ""})
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert "a closing day in the past changes nothing" in page
    soon = (date.today() + timedelta(days=30)).isoformat()
    client.post("/admin/calendar/closing-days",
                data={"closing-day": soon, "closing-closed_from": "12:00", "closing-reason": "Staff day"})
    assert db.session.scalar(select(ClosingDay.closed_from)) == "12:00"


def test_categories_can_be_added_archived_and_names_are_unique(client, create_complaint):
    log_in(client)
    data = dict(name_nl="Bezorging", name_en="Delivery again", active="yes")
    page = soup(client.post("/admin/categories/new", headers=EN, data=data))
    assert "There is already a category with this name." in text_of(page)
    client.post("/admin/categories/new", data=dict(name_nl="Facturen", name_en="Invoices", active="yes",
                                                   can_do_en="We correct the invoice."))
    assert db.session.scalar(select(Category).where(Category.name_en == "Invoices")).slug == "invoices"
    complaint, _ = create_complaint(category="delivery")
    client.post("/admin/categories/delivery", data=dict(name_nl="Bezorging", name_en="Delivery", active="no"))
    labels = text_of(soup(client.get("/complaint/about", headers=EN)))
    assert "Delivery" not in labels and "Invoices" in labels, "archived ones leave the form"
    db.session.refresh(complaint)
    assert complaint.category.slug == "delivery", "and keep their complaints"


def test_people_get_a_mandate_and_are_switched_off_only_when_nothing_is_left_open(client, create_complaint):
    log_in(client)
    client.post("/admin/people/new", data=dict(name="Noor", email="noor@example.com", password="a-long-password",
                                               role="agent", mandate="150", budget="3000", active="yes"))
    noor = db.session.scalar(select(User).where(User.email == "noor@example.com"))
    assert noor.mandate_per_complaint_cents == 15_000 and noor.monthly_budget_cents == 300_000
    complaint, _ = create_complaint()
    work.claim(complaint, noor)
    db.session.commit()
    page = soup(client.post(f"/admin/people/{noor.id}", headers=EN,
                            data=dict(role="agent", mandate="150", budget="3000", active="no")))
    assert "still owns 1 open complaints" in text_of(page)
    db.session.refresh(noor)
    assert noor.active
    work.hand_over(complaint, noor, db.session.scalar(select(User).where(User.role == "agent",
                                                                          User.email != noor.email)), "Over to you.")
    db.session.commit()
    client.post(f"/admin/people/{noor.id}", data=dict(role="agent", mandate="150", budget="3000", active="no"))
    db.session.refresh(noor)
    assert not noor.active


def test_organisation_settings(client):
    log_in(client)
    page = soup(client.post("/admin/organisation", headers=EN, data=dict(
        name="Bakkerij Jansen", contact_email="not-an-address", contact_postal="", default_language="nl",
        max_handling_weeks="0", silent_ratio="9", retention_months="24")))
    text = text_of(page)
    assert "Enter an email address in the correct format" in text and "Enter a number from 1 to 52" in text
    client.post("/admin/organisation", data=dict(
        name="Bakkerij Jansen", contact_email="klanten@jansen.example", contact_postal="Dorpsstraat 1, Urk",
        default_language="nl", max_handling_weeks="6", silent_ratio="12", retention_months="36"))
    assert "Bakkerij Jansen" in text_of(soup(client.get("/")))


def test_you_said_we_did_is_published_and_each_customer_is_told_once(client, create_complaint):
    first, _ = create_complaint(language="en")
    second, _ = create_complaint()
    log_in(client, "supervisor")
    data = dict(title_nl="Pakketten blijven droog", title_en="Parcels stay dry",
                body_nl="Bezorgers leggen pakketten nu in een droge box.", body_en="Drivers now leave parcels in a dry box.",
                since="2026-11-01", references=f"{first.reference} NOPE-NOPE")
    page = soup(client.post("/admin/improvements/new", headers=EN, data={**data, "action": "save"}))
    assert "There is no complaint with reference NOPE-NOPE" in text_of(page)
    data["references"] = f"{first.reference} {second.reference.lower()}"
    client.post("/admin/improvements/new", data={**data, "action": "save"})
    assert "Parcels stay dry" not in text_of(soup(client.get("/you-said-we-did", headers=EN))), "not public yet"
    improvement = db.session.scalar(select(Improvement))
    client.post(f"/admin/improvements/{improvement.id}", data={**data, "action": "publish"})
    client.post(f"/admin/improvements/{improvement.id}", data={**data, "action": "publish"})
    public = text_of(soup(client.get("/you-said-we-did", headers=EN)))
    assert "Parcels stay dry" in public and "Drivers now leave parcels in a dry box." in public
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "improvement")).all()
    assert sorted(m.recipient for m in mails) == ["fatima@example.com"] * 2 and len(mails) == 2, "once each"
    english = next(m for m in mails if m.language == "en")
    assert "Parcels stay dry" in english.body_text and "because of that" in english.body_text.lower()


def test_supervisors_publish_but_do_not_reach_the_settings(client):
    log_in(client, "supervisor")
    assert client.get("/admin/improvements").status_code == 200
    assert client.get("/admin/calendar").status_code == 403
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
