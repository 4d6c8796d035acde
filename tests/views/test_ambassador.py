"""The ambassador app as a colleague uses it: one form, then what became of it; nothing of others."""
import pytest

from portal.extensions import db
from tests.fixtures.people import person


FORM = {"words": "Mijn internet valt steeds weg, zo vervelend.", "where": "party", "outcome": "listened"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_colleague_passes_on_what_they_heard_and_sees_what_became_of_it(client, auth, language):
    assert auth.login("colleague").headers["Location"].endswith("/ambassador/")
    client.get(f"/language/{language}")
    page = client.get("/ambassador/").get_data(as_text=True)
    assert ("Wat heeft u gehoord?" if language == "nl" else "What did you hear?") in page
    response = client.post("/ambassador/", data=FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith("/ambassador/mine")
    mine = client.get("/ambassador/mine").get_data(as_text=True)
    assert FORM["words"] in mine
    assert ("U gaf 1 signaal door." if language == "nl" else "You passed on 1 signal.") in mine


def test_a_wrong_form_names_each_field_politely_and_keeps_what_was_typed(client, auth):
    auth.login("colleague")
    client.get("/language/en")
    response = client.post("/ambassador/", data={"words": "Het pakket kwam nooit aan.", "outcome": "solve",
                                                 "may_contact": "y", "email": "fatima@"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Choose where you heard it" in body and "Write the email address like name@example.com" in body
    assert "Het pakket kwam nooit aan." in body and 'value="fatima@"' in body


def test_a_colleague_sees_nothing_else(client, auth, create_complaint):
    complaint, _token = create_complaint()
    db.session.commit()
    auth.login("colleague")
    for path in ("/agent/", f"/agent/complaints/{complaint.reference}", "/insight/", "/admin/people"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert complaint.reference not in response.get_data(as_text=True)
    page = client.get("/ambassador/").get_data(as_text=True)
    assert "/agent/new" not in page and "/insight/" not in page, "no links to what they cannot open"


def test_an_agent_can_pass_on_too_and_it_shows_in_the_queue(client, auth):
    auth.login("agent")
    client.post("/ambassador/", data={**FORM, "outcome": "solve", "words": "Het bord bij de ingang is kapot."})
    queue = client.get("/agent/?view=all").get_data(as_text=True)
    assert "Het bord bij de ingang is kapot." in queue
    from sqlalchemy import select

    from portal.models import Complaint

    signal = db.session.scalar(select(Complaint).where(Complaint.channel == "ambassador"))
    page = client.get(f"/agent/complaints/{signal.reference}")
    assert page.status_code == 200 and "Het bord bij de ingang is kapot." in page.get_data(as_text=True)
    assert signal.passed_on_by_id == person("agent").id


def test_a_colleague_joins_with_a_work_address_and_nobody_learns_which_addresses_work(client, app):
    from sqlalchemy import select

    from portal.models import OutboxMail, User
    from portal.services.organisation import _forget_cached_organisation, get_organisation

    assert "Ask an admin" in client.get("/language/en?next=/ambassador/join", follow_redirects=True).get_data(
        as_text=True), "no domains allowed: only admins make accounts"
    get_organisation().colleague_domains = "Gehoord.example, winkel.example"
    db.session.commit()
    _forget_cached_organisation()
    answers = [client.post("/ambassador/join", data={"name": "Noor Bakker", "email": email}).get_data(as_text=True)
               for email in ("noor@winkel.example", "someone@elsewhere.example", "agent@gehoord.example")]
    assert answers[0] == answers[1] == answers[2] and "Check your mail" in answers[0]
    noor = db.session.scalar(select(User).where(User.email == "noor@winkel.example"))
    assert noor.role == "colleague" and noor.must_choose_password
    assert db.session.scalar(select(User).where(User.email == "someone@elsewhere.example")) is None
    mails = {mail.recipient: mail for mail in db.session.scalars(select(OutboxMail))}
    assert set(mails) == {"noor@winkel.example", "agent@gehoord.example"}
    assert "Welcome. You can now pass on what customers tell you." in mails["noor@winkel.example"].body_text
    wrong = client.post("/ambassador/join", data={"name": "", "email": "noor@"})
    assert wrong.status_code == 400 and "Write your name" in wrong.get_data(as_text=True)


def test_an_admin_allows_domains_and_a_wrong_one_is_named(client, auth):
    auth.login("admin")
    client.get("/language/en")
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert 'name="colleague_domains"' in page
    from bs4 import BeautifulSoup

    form = {field["name"]: field.get("value", "") for field in BeautifulSoup(page, "html.parser").select(
        "main form input[name]") if field.get("type") not in ("radio", "checkbox")}
    for radio in BeautifulSoup(page, "html.parser").select("main form input[type=radio][checked]"):
        form[radio["name"]] = radio["value"]
    for area in BeautifulSoup(page, "html.parser").select("main form textarea"):
        form[area["name"]] = area.text
    wrong = client.post("/admin/organisation", data={**form, "colleague_domains": "winkel, @@"})
    assert wrong.status_code == 400 and "Write each domain like example.nl" in wrong.get_data(as_text=True)
    assert client.post("/admin/organisation", data={**form, "colleague_domains": "winkel.example"}).status_code == 302


def test_an_admin_invites_a_colleague_by_mail_instead_of_a_password(client, auth):
    from sqlalchemy import select

    from portal.models import OutboxMail, User

    auth.login("admin")
    client.get("/language/en")
    response = client.post("/admin/people/new", data={"name": "Joost Smit", "email": "joost@gehoord.example",
                                                      "password": "", "role": "colleague", "mandate": "0",
                                                      "budget": "0", "active": "yes"})
    assert response.status_code == 302
    joost = db.session.scalar(select(User).where(User.email == "joost@gehoord.example"))
    assert joost.role == "colleague" and joost.must_choose_password, "their password is the one they choose"
    [mail] = db.session.scalars(select(OutboxMail).where(OutboxMail.recipient == joost.email)).all()
    assert "Welkom. U kunt nu doorgeven wat klanten u vertellen." in mail.body_text, "in the organisation's language"
    short = client.post("/admin/people/new", data={"name": "Kort", "email": "kort@gehoord.example",
                                                   "password": "kort", "role": "agent", "mandate": "0",
                                                   "budget": "0", "active": "yes"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
