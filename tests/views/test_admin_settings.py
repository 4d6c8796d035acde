"""Admins set the calendar, categories, people and the organisation; "you said, we did" closes the loop."""
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Category, ClosingDay, Improvement, OutboxMail, User
from portal.services import work
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import person

# The life settings (services/lifecycle.py): wait for an answer, close when solved, carry out each remedy.
LIFE = dict(wait_days="10", close_after_days="10", carry_fix="5", carry_refund="5", carry_credit="5",
            carry_voucher="5", carry_gift="5", notice_hours_before="4", surveys_on="yes", survey_quiet_days="30",
            attachments_max_files="5", attachment_max_mb="10")


def calendar_form(**overrides):
    data = dict(timezone="Europe/Amsterdam", holiday_country="NL", holiday_subdiv="", liberation_day_every_year="yes",
                hours_0="09:00-17:00", hours_1="09:00-17:00", hours_2="09:00-17:00", hours_3="09:00-17:00",
                hours_4="09:00-17:00", hours_5="", hours_6="")
    data.update(overrides)
    return data


def test_changing_the_calendar_never_moves_promises_already_made(client, create_complaint, auth):
    complaint, _ = create_complaint()
    dates = [p.due_at for p in complaint.promises]
    assert auth.login("admin").status_code == 302
    response = client.post("/admin/calendar", data=calendar_form(hours_4="09:00-12:00", hours_5="10:00-14:00"))
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert [p.due_at for p in complaint.promises] == dates
    page = text_of(soup(client.get("/admin/calendar", headers=EN)))
    assert "The next working days" in page and "Saturday" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar_changed")).after[
        "opening_hours"]["5"] == ["10:00", "14:00"]


def test_bad_calendar_input_gets_clear_errors(client, auth):
    assert auth.login("admin").status_code == 302
    page = soup(client.post("/admin/calendar", headers=EN, data=calendar_form(
        hours_0="9 to 5", timezone="Mars/Olympus", holiday_country="XX")))
    text = text_of(page)
    assert "Write the hours like 09:00-17:00" in text
    assert "Enter a time zone, like Europe/Amsterdam" in text
    assert "Enter a country code that has public holidays" in text


def test_closing_days_in_the_past_are_refused(client, auth):
    assert auth.login("admin").status_code == 302
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    response = client.post("/admin/calendar/closing-days", headers=EN,
                           data={"closing-day": yesterday, "closing-closed_from": "", "closing-reason": ""})
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert "a closing day in the past changes nothing" in page
    soon = (date.today() + timedelta(days=30)).isoformat()
    client.post("/admin/calendar/closing-days",
                data={"closing-day": soon, "closing-closed_from": "12:00", "closing-reason": "Staff day"})
    assert db.session.scalar(select(ClosingDay.closed_from)) == "12:00"


def test_categories_can_be_added_archived_and_names_are_unique(client, create_complaint, auth):
    assert auth.login("admin").status_code == 302
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


def test_people_get_a_mandate_and_are_switched_off_only_when_nothing_is_left_open(client, create_complaint, auth):
    assert auth.login("admin").status_code == 302
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
    work.hand_over(complaint, noor, person("agent"), "Over to you.")
    db.session.commit()
    client.post(f"/admin/people/{noor.id}", data=dict(role="agent", mandate="150", budget="3000", active="no"))
    db.session.refresh(noor)
    assert not noor.active


def test_organisation_settings(client, auth):
    assert auth.login("admin").status_code == 302
    page = soup(client.post("/admin/organisation", headers=EN, data=dict(
        name="Bakkerij Jansen", contact_email="not-an-address", contact_postal="", default_language="nl",
        max_handling_weeks="0", silent_ratio="9", retention_months="24", agent_idle_hours="8", **LIFE)))
    text = text_of(page)
    assert "Enter an email address in the correct format" in text and "Enter a number from 1 to 52" in text
    client.post("/admin/organisation", data=dict(
        name="Bakkerij Jansen", contact_email="klanten@jansen.example", contact_postal="Dorpsstraat 1, Urk",
        default_language="nl", max_handling_weeks="6", silent_ratio="12", retention_months="36",
        agent_idle_hours="4", **LIFE))
    assert "Bakkerij Jansen" in text_of(soup(client.get("/")))


def test_you_said_we_did_is_published_and_each_customer_is_told_once(client, create_complaint, auth):
    first, _ = create_complaint(language="en")
    second, _ = create_complaint()
    assert auth.login("supervisor").status_code == 302
    data = dict(title_nl="Pakketten blijven droog", title_en="Parcels stay dry",
                body_nl="Bezorgers leggen pakketten nu in een droge box.", body_en=
                "Drivers now leave parcels in a dry box.",
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


def test_supervisors_publish_but_do_not_reach_the_settings(client, auth):
    assert auth.login("supervisor").status_code == 302
    assert client.get("/admin/improvements").status_code == 200
    assert client.get("/admin/calendar").status_code == 403
    changes = select(func.count(AuditEvent.id)).where(AuditEvent.action.not_in(("login", "logout", "login_failed")))
    assert db.session.scalar(changes) == 0


NL = {"Accept-Language": "nl"}


def test_a_closing_time_of_24_is_refused_politely_and_the_date_pages_keep_working(client, client_request,
                                                                                  create_complaint, auth):
    assert auth.login("admin").status_code == 302
    page = client_request.post("/admin/calendar", calendar_form(hours_4="09:00-24:00"), expected_status=400,
                               headers=EN)
    assert "The latest closing time is 23:59" in text_of(page)
    dutch = text_of(soup(client.post("/admin/calendar", headers=NL, data=calendar_form(hours_4="09:00-24:00"))))
    assert "De laatste sluitingstijd is 23:59" in dutch
    from portal.services.organisation import get_organisation

    db.session.expire_all()
    assert get_organisation().opening_hours["4"] == ["09:00", "17:00"], "nothing was stored"
    assert client.get("/admin/calendar", headers=EN).status_code == 200
    complaint, _ = create_complaint()
    assert complaint.promises[0].due_at is not None


def test_opening_hours_with_a_dot_are_stored_the_usual_way(client, auth):
    assert auth.login("admin").status_code == 302
    assert client.post("/admin/calendar", data=calendar_form(hours_4="9.00 - 16.30")).status_code == 302
    from portal.services.organisation import get_organisation

    db.session.expire_all()
    assert get_organisation().opening_hours["4"] == ["09:00", "16:30"]


def test_a_closing_day_time_is_stored_normalised_and_a_bad_one_is_refused(client, create_complaint, auth):
    assert auth.login("admin").status_code == 302
    first, second = (date.today() + timedelta(days=20)).isoformat(), (date.today() + timedelta(days=21)).isoformat()
    client.post("/admin/calendar/closing-days",
                data={"closing-day": first, "closing-closed_from": "12.00", "closing-reason": ""})
    assert db.session.scalar(select(ClosingDay.closed_from)) == "12:00"
    response = client.post("/admin/calendar/closing-days", headers=EN,
                           data={"closing-day": second, "closing-closed_from": "24:30", "closing-reason": ""})
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert "Write the time like 12:00, from 00:00 to 23:59" in page
    assert db.session.scalar(select(func.count(ClosingDay.id))) == 1
    complaint, _ = create_complaint()
    assert complaint.promises, "dates can still be calculated"


def test_an_unknown_holiday_region_is_refused_and_a_known_one_is_stored(client, client_request, auth):
    assert auth.login("admin").status_code == 302
    page = client_request.post("/admin/calendar", calendar_form(holiday_subdiv="Atlantis"), expected_status=400,
                               headers=EN)
    assert "NL has no region Atlantis. Choose one of: Midden, Noord, Zuid. Or leave it empty." in text_of(page)
    assert client.get("/admin/calendar").status_code == 200
    client_request.post("/admin/calendar", calendar_form(holiday_subdiv="zuid"))
    from portal.services.organisation import get_organisation

    db.session.expire_all()
    assert get_organisation().holiday_subdiv == "Zuid"
    response = client.post("/admin/calendar", headers=EN, data=calendar_form(holiday_country="BE", holiday_subdiv="XX"))
    assert "BE has no region XX" in text_of(soup(response))


def test_only_web_addresses_are_accepted_as_links_for_customers(client, client_request, auth):
    assert auth.login("admin").status_code == 302
    page = soup(client.post("/admin/categories/delivery", headers=EN, data=dict(
        name_nl="Bezorging", name_en="Delivery", active="yes", disagree_url="javascript:alert(document.cookie)")))
    assert "Enter a website address that starts with https://" in text_of(page)
    assert db.session.scalar(select(Category.disagree_url).where(Category.slug == "delivery")).startswith("https://")
    organisation = dict(name="Gehoord", contact_email="klanten@gehoord.example", contact_postal="Postbus 1, Urk",
                        default_language="nl", max_handling_weeks="6", silent_ratio="9", retention_months="24",
                        agent_idle_hours="8", **LIFE,
                        ombudsman_name="De Geschillencommissie")
    page = client_request.post("/admin/organisation", {**organisation, "ombudsman_url": "javascript:alert(1)"},
                               expected_status=400, headers=EN)
    assert "starts with https://" in text_of(page)
    client_request.post("/admin/organisation", {**organisation, "ombudsman_url": "https://example.nl/"})
    from portal.services.organisation import get_organisation

    db.session.expire_all()
    assert get_organisation().ombudsman_url == "https://example.nl/"


def test_the_last_admin_keeps_the_admin_role(client, client_request, auth):
    assert auth.login("admin").status_code == 302
    admin = person("admin")
    page = client_request.post(f"/admin/people/{admin.id}", dict(role="agent", mandate="0", budget="0", active="yes"),
                               expected_status=400, headers=EN)
    assert "is the last admin who can log in. Make someone else an admin first" in text_of(page)
    db.session.refresh(admin)
    assert admin.role == "admin"
    client.post("/admin/people/new", data=dict(name="Sam", email="sam@example.com", password="a-long-password",
                                               role="admin", mandate="0", budget="0", active="yes"))
    client_request.post(f"/admin/people/{admin.id}", dict(role="agent", mandate="0", budget="0", active="yes"))
    db.session.refresh(admin)
    assert admin.role == "agent", "with another admin, the role can change"


def test_the_organisations_default_language_is_used_when_the_browser_says_nothing(client):
    from portal.services.organisation import get_organisation

    assert "Would you rather talk to a person?" not in text_of(soup(client.get("/")))
    get_organisation().default_language = "en"
    db.session.commit()
    assert "Would you rather talk to a person?" in text_of(soup(client.get("/")))
    assert "Would you rather talk to a person?" not in text_of(soup(client.get("/", headers=NL))), \
        "the browser's language comes first"


def test_the_help_shows_the_opening_hours_of_the_calendar(client, auth):
    assert "Monday to Friday, 9:00 to 17:00" in text_of(soup(client.get("/", headers=EN)))
    assert auth.login("admin").status_code == 302
    client.post("/admin/calendar", data=calendar_form(hours_4="09:00-12:30", hours_5="10:00-14:00"))
    english = text_of(soup(client.get("/", headers=EN)))
    assert "Monday to Thursday, 9:00 to 17:00; Friday, 9:00 to 12:30; Saturday, 10:00 to 14:00" in english
    dutch = text_of(soup(client.get("/", headers=NL)))
    assert "maandag tot en met donderdag, 9.00 tot 17.00 uur; vrijdag, 9.00 tot 12.30 uur" in dutch


def test_hedge_words_in_category_texts_stop_the_saving_and_jargon_warns(client, auth):
    assert auth.login("admin").status_code == 302
    data = dict(name_nl="Bezorging", name_en="Delivery", active="yes", can_do_en="We usually pay you back.")
    response = client.post("/admin/categories/delivery", headers=EN, data=data)
    assert response.status_code == 400
    text = text_of(soup(response))
    assert "“usually” is vague: customers cannot count on it (right 3). This stops the saving." in text
    assert "Say what happens and when." in text and "Write instead: say" not in text
    assert db.session.scalar(select(Category.can_do_en).where(Category.slug == "delivery")).startswith("We find out")
    data["can_do_en"] = "We pay you back prior to the next bill."
    response = client.post("/admin/categories/delivery", headers=EN, data=data)
    assert response.status_code == 302
    assert db.session.scalar(select(Category.can_do_en).where(Category.slug == "delivery")) == data["can_do_en"]
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert "“prior to” is hard to read for many people (right 4). Write instead: “before”." in page


def improvement_data(**overrides):
    data = dict(title_nl="Pakketten blijven droog", title_en="Parcels stay dry",
                body_nl="Bezorgers leggen pakketten nu in een droge box.", body_en=
                "Drivers now leave parcels in a dry box.",
                since="2026-11-01", references="")
    data.update(overrides)
    return data


def test_hedge_words_in_an_improvement_stop_the_saving(client_request, auth):
    assert auth.login("supervisor").status_code == 302
    page = client_request.post("/admin/improvements/new",
                               {**improvement_data(body_en="Drivers normally leave parcels in a dry box."),
                                "action": "save"}, expected_status=400, headers=EN)
    assert "“normally” is vague" in text_of(page)
    assert db.session.scalar(select(func.count(Improvement.id))) == 0


def test_links_to_complaints_follow_the_list_but_a_mailed_customer_stays_linked(client, create_complaint, auth):
    first, _ = create_complaint()
    second, _ = create_complaint(email="noor@example.com")
    assert auth.login("supervisor").status_code == 302
    client.post("/admin/improvements/new",
                data={**improvement_data(references=f"{first.reference} {second.reference}"), "action": "save"})
    improvement = db.session.scalar(select(Improvement))
    client.post(f"/admin/improvements/{improvement.id}",
                data={**improvement_data(references=first.reference), "action": "save"})
    db.session.expire_all()
    assert [link.complaint_id for link in improvement.links] == [first.id], "a link can be removed"
    client.post(f"/admin/improvements/{improvement.id}",
                data={**improvement_data(references=first.reference), "action": "publish"})
    response = client.post(f"/admin/improvements/{improvement.id}", headers=EN,
                           data={**improvement_data(references=""), "action": "save"})
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert f"These complaints stay linked, because their customer got the mail already: {first.reference}." in page
    db.session.expire_all()
    assert [link.complaint_id for link in improvement.links] == [first.id]


def test_a_complaint_linked_to_a_published_improvement_gets_its_mail_once(client, create_complaint, auth):
    first, _ = create_complaint()
    second, _ = create_complaint(email="noor@example.com")
    assert auth.login("supervisor").status_code == 302
    client.post("/admin/improvements/new", data={**improvement_data(references=first.reference), "action": "publish"})
    improvement = db.session.scalar(select(Improvement))
    both = f"{first.reference} {second.reference}"
    response = client.post(f"/admin/improvements/{improvement.id}", headers=EN,
                           data={**improvement_data(references=both), "action": "save"})
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert "It is public: 1 more customer gets a mail." in page and "not public yet" not in page.replace(
        "· not public yet", "")
    client.post(f"/admin/improvements/{improvement.id}", data={**improvement_data(references=both), "action": "save"})
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "improvement")).all()
    assert sorted(m.recipient for m in mails) == ["fatima@example.com", "noor@example.com"], "once each"


def test_a_supervisor_publishes_an_improvement_but_reaches_no_other_admin_screen(client, create_complaint, auth):
    complaint, _ = create_complaint()
    assert auth.login("supervisor").status_code == 302
    response = client.post("/admin/improvements/new",
                           data={**improvement_data(references=complaint.reference), "action": "publish"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.kind == "improvement")) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "improvement_published"))
    assert event.user.email == "supervisor@gehoord.example" and event.user.role == "supervisor"
    assert "Parcels stay dry" in text_of(soup(client.get("/you-said-we-did", headers=EN)))
    for url in ("/admin/timelines", "/admin/timelines/complaint/general", "/admin/calendar", "/admin/organisation",
                "/admin/categories", "/admin/categories/delivery", "/admin/people", "/admin/people/new",
                "/admin/audit"):
        assert client.get(url).status_code == 403, url
    assert client.post("/admin/calendar", data=calendar_form(hours_4="")).status_code == 403


def test_the_admin_sets_how_many_files_and_how_large_and_the_forms_say_so(client, auth, create_complaint):
    from portal.services import attachments
    from portal.services.organisation import forget_organisation_snapshot

    auth.login("admin")
    page = client.get("/admin/organisation")
    form = {field["name"]: field.get("value", "") for field in soup(page).select("form input[name]")
            if field.get("type") not in ("radio", "checkbox", "submit")}
    form.update({field["name"]: field.get_text() for field in soup(page).select("form textarea[name]")})
    form.update({radio["name"]: radio["value"] for radio in soup(page).select("form input[type=radio][checked]")})
    form.update(attachments_max_files="2", attachment_max_mb="3")
    answer = client.post("/admin/organisation", data=form)
    assert answer.status_code == 302, text_of(soup(answer))[:3000]
    forget_organisation_snapshot()
    assert attachments.limits() == (2, 3)
    _complaint, token = create_complaint()
    assert "Tot 2 bestanden van elk 3 MB" in text_of(soup(client.get(f"/s/{token}")))
