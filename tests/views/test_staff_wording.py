"""Staff pages speak to staff: no customer promise or status text in the second person, and the staff
footer (who to ask about the portal) instead of the customer's "Would you rather talk to a person?"."""
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from portal.extensions import db
from portal.services import complaints as complaint_service
from portal.services import timelines, work
from portal.wording.customer import CUSTOMER_EVENT_TEXT, STATUS_EXPLANATION, STATUS_HEADLINE
from tests.conftest import EN, soup
from tests.fixtures.people import person

ROOT = Path(__file__).resolve().parents[2]
STAFF_TEMPLATES = [path for folder in ("agent", "admin", "insight", "ambassador")
                   for path in (ROOT / "templates" / folder).glob("*.html")]
# The helpers that give a customer's words ("A person is working on your complaint").
CUSTOMER_HELPERS = re.compile(r"(?<![\w.])(status_words|event_words|keep_link_words)\(|\"_help\.html\"")


def customer_texts(app) -> set[str]:
    """Every status, history and promise text a customer reads, in both languages."""
    steps = [step for kind in timelines.DEFAULT_STEPS.values() for step in kind] + timelines.REOPEN_STEPS + [
        timelines.MANAGER_STEP, timelines.DECISION_STEP, timelines.NEW_PROPOSAL_STEP]
    texts = {step[f"label_{language}"] for step in steps for language in ("nl", "en")}
    with app.test_request_context():
        for language in ("nl", "en"):
            with force_locale(language):
                texts |= {str(text) for text in STATUS_HEADLINE.values()}
                texts |= {str(text) for text in STATUS_EXPLANATION.values()}
                texts |= {str(text).split("%(")[0].strip() for text in CUSTOMER_EVENT_TEXT.values()}
                texts.add("Would you rather talk to a person?" if language == "en" else "Wilt u liever iemand spreken?")
    return {text for text in texts if len(text) > 12}


def staff_text(page) -> str:
    """What the page says in its own words: the customer's story, messages and the quoted promise left out."""
    for quoted in page.select(".customer-words, .story-box, .thread__body, textarea"):
        quoted.decompose()
    return " ".join(page.get_text(" ").split())


def test_no_staff_template_uses_the_customers_wording_helpers():
    assert STAFF_TEMPLATES
    for path in STAFF_TEMPLATES:
        text = path.read_text()
        used = [match.group(0) for match in CUSTOMER_HELPERS.finditer(text)]
        assert not used, f"{path.relative_to(ROOT)} uses {used}: staff pages get staff words"


@pytest.fixture
def busy_complaint(app, create_complaint):
    complaint, _token = create_complaint()
    agent = person("agent")
    work.claim(complaint, agent)
    complaint_service.add_customer_message(complaint, "Ik wacht nog steeds op mijn pakket.")
    db.session.commit()
    return complaint


@pytest.mark.parametrize("headers", [None, EN], ids=["nl", "en"])
def test_staff_pages_speak_to_staff_and_quote_the_customer(app, client, auth, busy_complaint, headers):
    forbidden = customer_texts(app)
    ref = busy_complaint.reference
    promise = busy_complaint.promises[0]
    pages = {"agent": ["/agent/", f"/agent/complaints/{ref}", f"/agent/?q={busy_complaint.name}",
                       f"/agent/complaints/{ref}/promises/{promise.id}/move", f"/agent/complaints/{ref}/mandate"],
             "admin": ["/admin/audit", "/admin/timelines", "/insight/", "/ambassador/"]}
    for role, urls in pages.items():
        auth.login(role)
        for url in urls:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            page = soup(response)
            assert page.select_one("#help-title").get_text(strip=True) in ("Help for staff", "Hulp voor medewerkers")
            said = staff_text(page)
            spoken_to_customer = [text for text in forbidden if text in said]
            assert not spoken_to_customer, f"{url} speaks to the customer: {spoken_to_customer}"
        auth.logout()


def test_the_complaint_page_names_each_promise_as_work_and_quotes_what_the_customer_reads(client, auth,
                                                                                           busy_complaint):
    auth.login("agent")
    page = soup(client.get(f"/agent/complaints/{busy_complaint.reference}", headers=EN))
    first = page.select_one("#promises ~ .timeline .timeline__item")
    assert first.select_one(".timeline__label").get_text(strip=True) == "Read it and contact the customer"
    assert first.select_one(".customer-words").get_text(strip=True) == (
        "A person has read your complaint and contacts you")
    glance = page.select_one(".case__glance")
    assert "Next promise" in glance.get_text(" ")
    assert glance.select_one("#next-promise strong").get_text(strip=True) == "Read it and contact the customer"


def test_the_staff_footer_names_the_admins_and_the_login_page_names_nobody(client, auth):
    page = soup(client.get("/agent/login", headers=EN))
    help_text = page.select_one(".help").get_text(" ")
    assert "Ask an admin of your organisation" in help_text and "@" not in help_text
    assert "Would you rather talk to a person?" not in page.get_text(" ")
    auth.login("agent")
    page = soup(client.get("/agent/", headers=EN))
    admin = person("admin")
    assert f"{admin.name}: {admin.email}" in " ".join(page.select_one(".help").get_text(" ").split())
    public = soup(client.get("/", headers=EN))
    assert public.select_one("#help-title").get_text(strip=True) == "Would you rather talk to a person?"


def test_the_audit_reads_as_sentences_in_the_readers_language(app, client, auth):
    from portal.services import improvements
    from portal.services.audit import audit
    from portal.wording.staff import AUDIT_ACTION_WORDS, AUDIT_SENTENCES

    admin = person("admin")
    audit(admin, "improvement_published", "Bezorger belt vooraf", after=dict(mailed=2))
    audit(admin, "improvement_published", "Pakket in de brievenbus", after=dict(mailed=1))
    audit(admin, "role_changed", "sanne@gehoord.example", before=dict(role="agent"), after=dict(role="supervisor"))
    audit(admin, "calendar_changed", "Gehoord", before=dict(closing_time="17:00", zone="Europe/Amsterdam"),
          after=dict(closing_time="18:00", zone="Europe/Amsterdam"))
    audit(admin, "something_new", "x")
    db.session.commit()
    assert improvements  # the action codes come from the services, each with its sentence
    auth.login("admin")
    english = " ".join(soup(client.get("/admin/audit", headers=EN)).get_text(" ").split())
    assert f"{admin.name} published the improvement “Bezorger belt vooraf” and 2 customers were mailed." in english
    assert f"{admin.name} published the improvement “Pakket in de brievenbus” and 1 customer was mailed." in english
    assert f"{admin.name} changed the role of sanne@gehoord.example from Agent to Supervisor." in english
    assert "1 setting changed" in english and "closing time: was “17:00”, is now “18:00”" in english
    assert f"{admin.name}: x (something_new)." in english, "an unknown code still reads, with its code"
    assert "improvement_published" not in english and '{"mailed"' not in english
    dutch = " ".join(soup(client.get("/admin/audit")).get_text(" ").split())
    assert f"{admin.name} publiceerde de verbetering “Bezorger belt vooraf” en 2 klanten kregen een mail." in dutch
    assert "Verbetering gepubliceerd" in dutch, "the filter's choices in words"
    assert set(AUDIT_ACTION_WORDS) == set(AUDIT_SENTENCES)


def test_every_audit_code_the_services_write_has_a_sentence():
    import re as regex
    from portal.wording.staff import AUDIT_SENTENCES

    written = set()
    for path in (ROOT / "portal").rglob("*.py"):
        written |= set(regex.findall(r"\baudit\([^,()]+, \"([a-z_]+)\"", path.read_text()))
        written |= set(regex.findall(r"action=\"([a-z_]+)\"", path.read_text()))
        written |= set(regex.findall(r"CALENDAR_FIELDS, \"([a-z_]+)\"", path.read_text()))
    assert written, "the pattern finds the calls"
    assert written - set(AUDIT_SENTENCES) == set()


def test_the_queue_count_says_what_it_counts(client, auth, create_complaint):
    create_complaint()
    create_complaint(kind="compliment")
    create_complaint(kind="suggestion")
    auth.login("agent")
    count = lambda query, headers=EN: soup(client.get(f"/agent/?{query}", headers=headers)).select_one(  # noqa: E731
        "#queue-count").get_text(strip=True)
    assert count("view=open") == "3 complaints, compliments and ideas"
    assert count("view=open", None) == "3 klachten, complimenten en ideeën"
    assert count("view=open&kind=complaint") == "1 complaint"
    assert count("view=open&kind=suggestion", None) == "1 idee"
    page = soup(client.get("/agent/", headers=EN))
    cells = page.select("table.table--cards tbody tr:first-child td[data-label]")
    assert [cell["data-label"] for cell in cells] == ["Reference", "Next promise", "Story", "Wants", "Owner"]
