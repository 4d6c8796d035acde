"""The insight pages as a manager, a supervisor and an agent see them: figures, no personal data."""
import re
import csv
import io

import pytest

from portal.extensions import db
from tests.fixtures.people import person


@pytest.fixture
def november(app, create_complaint):
    from tests.services.test_lifecycle import local

    complaint, _token = create_complaint(now=local(2026, 11, 2, 10), name="Fatima el Amrani",
                                         email="fatima@example.com", phone="0612345678")
    complaint.handled_as, complaint.root_cause = "fix", "system"
    db.session.commit()
    return complaint


MONTH = "from=2026-11-01&to=2026-11-30"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_manager_sees_every_insight_page_without_a_customers_name_or_address(client, auth, november, language):
    assert auth.login("manager").headers["Location"].endswith("/insight/"), "a manager lands on insight"
    client.get(f"/language/{language}")
    for path in ("/insight/", "/insight/charter", "/insight/return", "/insight/export.csv",
                 "/insight/chart/signals.svg", "/insight/chart/costs.svg"):
        response = client.get(f"{path}?{MONTH}")
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        for personal in ("Fatima", "fatima@example.com", "0612345678", november.story[:30]):
            assert personal not in body, (path, personal)
    overview = client.get(f"/insight/?{MONTH}").get_data(as_text=True)
    assert ("Signalen" if language == "nl" else "Signals") in overview
    assert ("Zij zeggen niets" if language == "nl" else "They say nothing") in overview


def test_the_scorecard_names_each_right_as_on_the_rights_page(client, auth, november):
    from charter.rights import RIGHTS

    auth.login("manager")
    client.get("/language/en")
    body = client.get(f"/insight/charter?{MONTH}").get_data(as_text=True)
    for right in RIGHTS:
        assert right.title_in("en").replace("'", "&#39;") in body, right.number


def test_a_manager_cannot_ask_for_personal_data_and_a_supervisor_gets_it_only_when_asking(client, auth, november):
    auth.login("manager")
    assert client.get(f"/insight/export.csv?{MONTH}&personal=yes").status_code == 403
    auth.logout()
    auth.login("supervisor")
    plain = list(csv.reader(io.StringIO(client.get(f"/insight/export.csv?{MONTH}").get_data(as_text=True))))
    assert plain[0][0] == "reference" and "email" not in plain[0]
    assert plain[1][0] == november.reference and plain[1][7] == "fix"
    asked = list(csv.reader(io.StringIO(
        client.get(f"/insight/export.csv?{MONTH}&personal=yes").get_data(as_text=True))))
    assert asked[0][-3:] == ["name", "email", "phone"] and asked[1][-3:-1] == ["Fatima el Amrani", "fatima@example.com"]


def test_a_wrong_date_or_filter_gets_a_polite_error_and_the_default_figures(client, auth, november):
    auth.login("manager")
    client.get("/language/nl")
    response = client.get("/insight/?from=30-11-2026&kind=rant")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Schrijf de datum als 2026-11-30." in body and "Kies een van de mogelijkheden uit de lijst." in body
    assert 'href="#filter-from"' in body, "the error summary leads to the field"


def test_an_agent_does_not_see_insight_and_a_manager_does_not_see_the_queue(client, auth, november):
    auth.login("agent")
    assert client.get("/insight/").status_code == 403
    auth.logout()
    auth.login("manager")
    assert client.get("/agent/").status_code == 403
    assert client.get(f"/agent/complaints/{november.reference}").status_code == 403
    assert client.get("/agent/password").status_code == 200, "their own password they can change"
    page = client.get("/insight/").get_data(as_text=True)
    assert "/agent/new" not in page, "no links to work they cannot do"


def test_the_chart_is_an_svg_image_with_its_own_policy(client, auth, november):
    auth.login("manager")
    response = client.get(f"/insight/chart/signals.svg?{MONTH}")
    assert response.mimetype == "image/svg+xml" and response.get_data(as_text=True).lstrip().startswith("<?xml")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert client.get("/insight/chart/secrets.svg").status_code == 404


def test_supervisors_see_figures_as_links_to_the_complaints_behind_them(client, auth, november, create_complaint):
    from bs4 import BeautifulSoup

    create_complaint()  # today: not in November, so not behind November's figures
    auth.login("supervisor")
    client.get("/language/en")
    page = BeautifulSoup(client.get(f"/insight/?{MONTH}").get_data(as_text=True), "html.parser")
    links = {a.get_text(): a["href"] for a in page.select("main td a")}
    fix = next(href for href in (a["href"] for a in page.select("main td a")) if "handled_as=fix" in href)
    queue = client.get(fix).get_data(as_text=True)
    assert november.reference in queue and "You see the complaints behind a figure" in queue
    rows = re.findall(r"/agent/complaints/\w{4}-\w{4}\b", queue)
    assert len(rows) == 1, "only November's complaint that needed fixing"
    assert links, "figures are links for those who may open the complaints"
    person("supervisor")


def test_an_admin_sets_the_handling_cost_and_the_targets_and_a_wrong_value_is_named(client, auth, november):
    from portal.services.organisation import get_organisation

    auth.login("admin")
    client.get("/language/en")
    page = client.get("/admin/insight").get_data(as_text=True)
    assert 'value="95"' in page, "the default target of promises kept, as a percentage"
    form = {f"target_{key}": "50" for key in ("word_enough", "filing_completion", "promises_kept", "customer_decides",
                                               "dated_from_start", "asked_where", "limits_told",
                                               "solved_say_customers")}
    form.update(target_reply_reading="65", target_first_reply_hours="4", cost_per_hour="45,50",
                minutes_per_complaint="90")
    wrong = client.post("/admin/insight", data={**form, "cost_per_hour": "veel", "target_promises_kept": "120"})
    assert wrong.status_code == 400
    body = wrong.get_data(as_text=True)
    assert "Write an amount in euros" in body and "Enter a percentage from 0 to 100." in body
    assert 'value="veel"' in body, "what was typed is kept"
    assert client.post("/admin/insight", data=form).status_code == 302
    organisation = get_organisation()
    db.session.refresh(organisation)
    assert organisation.handling_cost_per_hour_cents == 4550 and organisation.handling_minutes_per_complaint == 90
    targets = organisation.charter_targets
    assert targets["promises_kept"] == 0.5 and targets["first_reply_hours"] == 4
    auth.logout()
    auth.login("manager")
    charter = client.get(f"/insight/charter?{MONTH}").get_data(as_text=True)
    assert "Target: 50%" in charter
    assert client.get("/admin/insight").status_code == 403


def test_someone_who_owns_open_complaints_becomes_a_manager_only_after_handing_them_over(app, november):
    from portal.services import people
    from portal.services.errors import DomainError
    from portal.services.work import claim

    agent, admin = person("agent"), person("admin")
    claim(november, agent)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        people.update_person(admin, agent, role="manager", mandate_per_complaint_cents=0, monthly_budget_cents=0,
                             active=True)
    assert refused.value.field == "role"


# --- the monthly review -----------------------------------------------------------------------------

@pytest.fixture
def five_stories(app, create_complaint):
    from portal.services import review
    from tests.services.test_lifecycle import local

    supervisor = person("supervisor")
    quotes = ["De doos was nat en kapot.", "Niemand belde mij terug.", "De factuur klopte niet.",
              "Het product werkte een dag.", "Uw collega was heel vriendelijk."]
    made = []
    for number, quote in enumerate(quotes):
        complaint, _token = create_complaint(now=local(2026, 11, 3 + number, 10), name="Fatima el Amrani",
                                             story=f"{quote} Bel Fatima op 0612345678.")
        review.pick_story(supervisor, "2026-11", complaint.reference)
        made.append(complaint)
    db.session.commit()
    return quotes, made


def test_the_monthly_review_shows_five_masked_quotes_and_the_pdf_is_a_real_pdf_with_them(client, auth,
                                                                                           five_stories):
    from pypdf import PdfReader

    quotes, _made = five_stories
    auth.login("manager")
    client.get("/language/nl")
    page = client.get("/insight/month/2026-11")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Maandoverzicht: november 2026" in body
    for quote in quotes:
        assert quote in body
    assert "Fatima" not in body and "0612345678" not in body
    assert "Verhaal toevoegen" not in body, "a manager reads; a supervisor picks"
    pdf = client.get("/insight/month/2026-11.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for quote in quotes:
        assert quote in text, quote
    assert "Fatima" not in text and "0612345678" not in text


def test_a_supervisor_picks_and_removes_a_story_on_the_page(client, auth, november):
    from portal.models import MonthStory
    from sqlalchemy import select

    auth.login("supervisor")
    client.get("/language/en")
    response = client.post("/insight/month/2026-11/stories", data={"reference": november.reference})
    assert response.status_code == 302 and response.headers["Location"].endswith("/insight/month/2026-11#stories")
    page = client.get("/insight/month/2026-11").get_data(as_text=True)
    assert "Added to this month" in page and november.reference in page
    wrong = client.post("/insight/month/2026-11/stories", data={"reference": "NOPE-NOPE"}, follow_redirects=True)
    assert "No complaint has this reference" in wrong.get_data(as_text=True)
    story = db.session.scalar(select(MonthStory))
    assert client.post(f"/insight/month/2026-11/stories/{story.id}/remove").status_code == 302
    assert db.session.scalar(select(MonthStory)) is None
    assert client.get("/insight/month/2026-13").status_code == 404


def test_the_excel_export_has_the_same_rows_and_personal_data_only_when_a_supervisor_asks(client, auth, november):
    import openpyxl

    auth.login("manager")
    assert client.get(f"/insight/export.xlsx?{MONTH}&personal=yes").status_code == 403
    plain = client.get(f"/insight/export.xlsx?{MONTH}")
    assert plain.status_code == 200 and plain.data.startswith(b"PK")
    rows = list(openpyxl.load_workbook(io.BytesIO(plain.data), read_only=True).active.values)
    assert rows[0][0] == "reference" and "email" not in rows[0] and rows[1][0] == november.reference
    auth.logout()
    auth.login("supervisor")
    asked = client.get(f"/insight/export.xlsx?{MONTH}&personal=yes")
    rows = list(openpyxl.load_workbook(io.BytesIO(asked.data), read_only=True).active.values)
    assert rows[1][-3:-1] == ("Fatima el Amrani", "fatima@example.com")
