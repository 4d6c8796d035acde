"""Issue "Trust": what an attack on the portal found, each with the request that showed it."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Category, Complaint, Draft, Offer, OutboxMail, StatusLink, utcnow
from portal.services import complaints as service
from portal.services import mandate, people, privacy, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.conftest import EN, soup, text_of
from tests.fixtures.complaints import walk_complaint_flow
from tests.fixtures.people import AuthActions, person

# --- 1 and 2: never sent on to another site, never a 500 -------------------------------------------

UNSAFE_NEXT = ["%2F%09%2Fevil.example%2Fphish", "//evil.example", "/%5Cevil.example", "%2F%5C%2Fevil.example",
               "%2F%2Fevil.example", "https://evil.example", "%2F%0d%0aX-Inj:%201", "/\t/evil.example",
               "%0a/evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_login_never_sends_you_on_to_another_site(client, target):
    response = client.post(f"/agent/login?next={target}",
                           data={"email": "agent@gehoord.example", "password": "demo-agent"})
    assert response.status_code == 302, "a bad next is no error: the person simply lands on the queue"
    assert response.headers["Location"] == "/agent/"


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_the_language_switch_never_sends_you_on_to_another_site(client, target):
    response = client.get(f"/language/en?next={target}")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_next_on_our_own_site_is_followed(client):
    response = client.post("/agent/login?next=/agent/cosign",
                           data={"email": "agent@gehoord.example", "password": "demo-agent"})
    assert response.headers["Location"] == "/agent/cosign"


# --- 3: an erasure leaves nothing personal anywhere, and a used draft key opens nothing -----------

def test_a_filed_draft_is_gone_and_its_key_mints_no_new_link(app, client):
    response = walk_complaint_flow(client)
    assert response.status_code == 302
    assert db.session.scalar(select(Draft)) is None, "the answers live on the complaint only"
    complaint = db.session.scalar(select(Complaint))
    links = db.session.query(StatusLink).count()
    other = app.test_client()  # someone else who learned the key
    again = other.post("/complaint/check", data={"draft": complaint.submission_key}, headers=EN)
    assert again.status_code == 200 and "We have received this already" in text_of(soup(again))
    assert db.session.query(StatusLink).count() == links, "no new link for whoever sends the key"
    back = client.post("/complaint/check", data={"draft": complaint.submission_key})
    assert back.status_code == 302 and "/confirmation" in back.headers["Location"], "the filer's own session"


def test_the_same_browser_sending_twice_before_the_first_answer_sees_its_confirmation(client):
    # Without JavaScript a second click sends the old cookie: the session still holds the draft.
    first = walk_complaint_flow(client)
    key = db.session.scalar(select(Complaint.submission_key))
    with client.session_transaction() as session:  # the cookie as it was before the first answer
        session.pop("filed")
        session["draft_complaint"] = key
    second = client.post("/complaint/check", data={"draft": key}, headers=EN)
    assert second.status_code == 302 and "/confirmation" in second.headers["Location"]
    assert second.headers["Location"] != first.headers["Location"], "a link of its own, for this browser"
    assert db.session.query(Complaint).count() == 1, "filed once"


def test_erasure_removes_everything_personal_from_every_table(app, client, create_complaint):
    complaint, token = create_complaint(name="Zoë Erasmus", email="zoe.erasmus@example.com", phone="0612345678",
                                        story="Mijn fiets met kenteken ZX-99 kwam kapot aan.")
    agent = person("agent")
    work.claim(complaint, agent)
    service.add_customer_message(complaint, "Mijn buurvrouw Ineke kan het bevestigen.")
    work.reply(complaint, agent, "Beste Zoë, het spijt me. Ik bel u morgen.")
    work.add_note(complaint, agent, "Zoë Erasmus belde om kwart over vijf.")
    mandate.make_offer(complaint, agent, remedy="refund", amount_cents=2000, text="Zoë krijgt 20 euro terug.",
                       request_key=new_draft_key(), seen_counter=complaint.offer_counter, calendar=get_calendar())
    # A draft left from the filing (as before this fix) under the complaint's key.
    db.session.add(Draft(key=complaint.submission_key or new_draft_key(), kind="complaint",
                         data={"name": "Zoë Erasmus", "email": "zoe.erasmus@example.com"}))
    complaint.submission_key = complaint.submission_key or db.session.scalars(select(Draft.key)).first()
    db.session.commit()
    key = complaint.submission_key
    privacy.request_erasure(complaint)
    privacy.confirm_erasure(complaint, person("admin"))
    db.session.commit()

    personal = ["Zoë", "Erasmus", "zoe.erasmus", "0612345678", "ZX-99", "Ineke", "kwart over vijf", "20 euro terug"]
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(text(f"SELECT * FROM {table.name}")):  # nosec: our own table names
                for value in row:
                    if any(word in str(value) for word in personal):
                        found.append((table.name, str(value)[:80]))
    assert found == [], "nothing that says who the customer is, or what they wrote, stays"
    assert client.get(f"/s/{token}").status_code == 404
    again = client.post("/complaint/check", data={"draft": key})
    assert again.status_code == 302 and db.session.query(StatusLink).count() == 0, "the key opens nothing"


# --- 5: a withdrawn complaint takes no more answers ------------------------------------------------

def test_withdrawing_ends_the_open_offer_and_it_can_no_longer_be_accepted(client, create_complaint):
    complaint, token = create_complaint()
    agent = person("agent")
    work.claim(complaint, agent)
    offer = mandate.make_offer(complaint, agent, remedy="refund", amount_cents=2000, text="We pay back € 20.",
                               request_key=new_draft_key(), seen_counter=complaint.offer_counter,
                               calendar=get_calendar())
    db.session.commit()
    service.withdraw(complaint)
    db.session.commit()
    assert offer.state == "ended"
    response = client.post(f"/s/{token}/offer/{offer.id}", data={"offer-answer": "accept"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).status == "withdrawn", "not resolved through the old offer"
    declined = client.post(f"/s/{token}/offer/{offer.id}", data={"offer-answer": "decline", "offer-reason": "No."})
    assert declined.status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).status == "withdrawn", "not back in progress either"
    with pytest.raises(service.NotAllowed):
        mandate.accept(db.session.get(Complaint, complaint.id), db.session.get(Offer, offer.id))


# --- 6: what people typed is shown as text, also inside our sentences -----------------------------

MARKUP = '<b id="inj">Bold</b>'


def test_markup_in_a_new_persons_name_shows_as_text_in_the_flash(client, auth):
    auth.login("admin")
    client.post("/admin/people/new", headers=EN, data={"name": MARKUP, "email": "new.person@example.com",
                                                       "role": "agent", "active": "yes", "mandate": "0", "budget": "0",
                                                       "password": "a-long-password"})
    page = soup(client.get("/admin/people", headers=EN))
    assert page.find(id="inj") is None and "<b id=\"inj\">Bold</b> can log in now." in text_of(page)


def test_markup_in_a_colleagues_name_and_in_references_shows_as_text(client, auth, create_user, create_complaint):
    colleague = create_user(name=MARKUP)
    complaint, _token = create_complaint()
    work.claim(complaint, person("agent"))
    db.session.commit()
    auth.login("agent")
    client.post(f"/agent/complaints/{complaint.reference}/hand-over", headers=EN,
                data={"handover-to": str(colleague.id), "handover-note": "Please call her back."})
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    assert page.find(id="inj") is None and MARKUP in text_of(page)

    auth.login("supervisor")
    response = client.post("/admin/improvements/new", headers=EN, data={
        "title_nl": "Droge bezorging", "title_en": "Dry delivery", "body_nl": "We leggen pakketten droog neer.",
        "body_en": "We put parcels in a dry place.", "since": "2026-11-01", "references": MARKUP})
    page = soup(response)
    assert page.find(id="inj") is None and "There is no complaint with reference" in text_of(page)


def test_markup_in_a_category_text_shows_as_text_in_the_warnings(client, auth):
    auth.login("admin")
    category = db.session.scalar(select(Category).where(Category.slug == "delivery"))
    data = {name: getattr(category, name) or "" for name in ("name_nl", "name_en", "hint_nl", "hint_en", "can_do_nl",
                                                             "can_do_en", "cannot_do_nl", "cannot_do_en",
                                                             "disagree_nl", "disagree_en", "disagree_url")}
    # One long sentence: the warning quotes its start, markup and all.
    data["can_do_en"] = (f"{MARKUP} we look for your parcel at the depot and at your neighbours and at the post "
                         "office and we call the driver and we ask the warehouse and we send a new one when we "
                         "cannot find it within three working days of your complaint.")
    data["active"] = "yes"
    response = client.post("/admin/categories/delivery", headers=EN, data=data)
    assert response.status_code == 302, text_of(soup(response))[:600]
    page = soup(client.get("/admin/categories", headers=EN))
    assert "This sentence is long and hard to read" in text_of(page), "the warning quotes the text"
    assert page.find(id="inj") is None and "<b id=" in text_of(page)


# --- 9: a size limit, no file where text belongs, no guessed amount --------------------------------

def test_a_flood_of_text_gets_a_kind_page_and_is_not_read(client):
    response = client.post("/complaint/what-happened", headers=EN, data={"story": "x" * 3_000_000})
    assert response.status_code == 413
    assert "What you sent is too long for us" in text_of(soup(response))


def test_a_story_sent_as_a_file_is_refused_not_stored(client):
    from io import BytesIO

    response = client.post("/complaint/what-happened", headers=EN, content_type="multipart/form-data",
                           data={"story": (BytesIO(b"My parcel was left in the rain."), "story.txt")})
    assert response.status_code == 200 and "Tell us what happened" in text_of(soup(response))
    assert db.session.scalar(select(Draft)) is None


def test_an_amount_that_reads_two_ways_is_asked_again(client):
    response = client.post("/complaint/wish", headers=EN, data={"wish": "compensation", "amount": "100.001"})
    assert response.status_code == 200
    assert "We can read 100.001 in two ways" in text_of(soup(response))
    client.post("/complaint/wish", data={"wish": "compensation", "amount": "1.250,00"})
    assert db.session.scalar(select(Draft)).data["wish_amount_cents"] == 125_000


# --- 10: links have a life, can be ended, and a changed address is told -------------------------

def test_a_link_stops_working_three_months_after_the_complaint_ended(client, create_complaint):
    complaint, token = create_complaint()
    service.withdraw(complaint)
    db.session.commit()
    assert client.get(f"/s/{token}").status_code == 200, "the end is still readable"
    complaint.withdrawn_at = utcnow() - timedelta(days=89)
    db.session.commit()
    assert client.get(f"/s/{token}").status_code == 200
    complaint.withdrawn_at = utcnow() - timedelta(days=91)
    db.session.commit()
    assert client.get(f"/s/{token}").status_code == 404


def test_the_customer_ends_every_other_link(client, create_complaint):
    complaint, token = create_complaint(language="en")
    old = service.add_status_link(complaint)
    db.session.commit()
    page = soup(client.get(f"/s/{token}", headers=EN))
    assert page.find("a", href=f"/s/{token}/links")
    response = client.post(f"/s/{token}/links")
    assert response.status_code == 302
    assert client.get(f"/s/{old}").status_code == 404, "the other link opens nothing"
    after = soup(client.get(f"/s/{token}?links=1", headers=EN))
    assert "Only the link you use now works." in text_of(after)


def test_a_changed_address_is_told_at_the_old_address(client, create_complaint):
    complaint, token = create_complaint(email="old@example.com")
    response = client.post(f"/s/{token}/contact", data={"name": complaint.name, "email": "new@example.com",
                                                        "phone": "", "contact_by": "email", "language": "en"})
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "address_changed"))
    assert mail.recipient == "old@example.com"
    assert "was changed from this address to another one" in mail.body_text
    assert token not in mail.body_text and "/s/" not in mail.body_text, "no link to the old address"


# --- 4: the login limit counts the account as the login reads it, and locks nobody out -----------

@pytest.fixture
def limits_on(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_LIMIT="5 per 15 minutes",
                      LOGIN_ACCOUNT_LIMIT="8 per hour", LOGIN_ADDRESS_LIMIT="50 per 15 minutes")
    return app_config


def _login(client, email, password, address):
    return client.post("/agent/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_invisible_character_in_the_address_counts_for_the_same_account(limits_on, app, client):
    for _ in range(5):
        assert _login(client, "agent@gehoord.exa\u200bmple", "wrong", "10.0.0.1").status_code == 200
    assert _login(client, "agent@gehoord.example", "demo-agent", "10.0.0.1").status_code == 429


def test_someone_guessing_elsewhere_does_not_lock_the_real_person_out(limits_on, app, client):
    for _ in range(5):
        assert _login(client, "agent@gehoord.example", "wrong", "10.0.0.66").status_code == 200
    assert _login(client, "agent@gehoord.example", "wrong", "10.0.0.66").status_code == 429
    assert _login(app.test_client(), "agent@gehoord.example", "demo-agent", "10.0.0.2").status_code == 302


def test_a_guess_spread_over_many_addresses_still_stops_at_the_ceiling(limits_on, app, client):
    for n in range(8):
        assert _login(client, "agent@gehoord.example", "wrong", f"10.0.1.{n}").status_code == 200
    assert _login(client, "agent@gehoord.example", "wrong", "10.0.1.99").status_code == 429


# --- 7: logging out, a switched-off account and an idle screen end the session ---------------------

def _copied_cookie(client):
    return client.get_cookie("session").value


def test_a_copied_cookie_stops_working_after_logout(app, client, auth):
    auth.login()
    copied = _copied_cookie(client)
    assert client.get("/agent/").status_code == 200
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/agent/")
    assert response.status_code == 302 and "/agent/login" in response.headers["Location"]


def test_switching_a_person_off_ends_their_session_at_once(app, client, passwords, create_user):
    colleague = create_user(name="Leaving Colleague", role="agent")
    other = app.test_client()
    AuthActions(other, passwords).login(colleague)
    assert other.get("/agent/").status_code == 200
    people.update_person(person("admin"), db.session.get(type(colleague), colleague.id), role="agent",
                         mandate_per_complaint_cents=0, monthly_budget_cents=0, active=False)
    db.session.commit()
    assert other.get("/agent/").status_code == 302


def test_an_idle_session_ends_after_the_hours_the_admin_set(client, auth):
    auth.login()
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 9 * 3600
    response = client.get("/agent/", headers=EN)
    assert response.status_code == 302 and "/agent/login" in response.headers["Location"]
    page = soup(client.get(response.headers["Location"], headers=EN))
    assert "You were away for a while, so we logged you out" in text_of(page)
    assert client.get("/agent/").status_code == 302, "logged out, not only sent to the login page"


def test_an_agent_at_work_stays_logged_in(client, auth):
    auth.login()
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 7 * 3600
    assert client.get("/agent/").status_code == 200


# --- staff accounts: a password of one's own, and every login in the audit ------------------------

def test_changing_your_password_ends_your_other_sessions_and_keeps_this_one(app, client, auth):
    auth.login()
    elsewhere = app.test_client()
    AuthActions(elsewhere, {}).login("agent", password="demo-agent")
    wrong = client.post("/agent/password", headers=EN,
                        data={"current": "not-it", "new": "a-brand-new-password", "repeat": "a-brand-new-password"})
    assert wrong.status_code == 400 and "This is not your password now" in text_of(soup(wrong))
    different = client.post("/agent/password", headers=EN,
                            data={"current": "demo-agent", "new": "a-brand-new-password", "repeat": "another-one-12"})
    assert "The two new passwords are not the same" in text_of(soup(different))
    done = client.post("/agent/password", headers=EN,
                       data={"current": "demo-agent", "new": "a-brand-new-password", "repeat": "a-brand-new-password"})
    assert done.status_code == 302
    assert client.get("/agent/").status_code == 200, "this session goes on"
    assert elsewhere.get("/agent/").status_code == 302, "the other one ended"
    auth.logout()
    assert auth.login(password="demo-agent").status_code == 200
    assert auth.login(password="a-brand-new-password").status_code == 302


def test_logins_failed_logins_and_logouts_are_in_the_audit_with_filters(client, auth):
    auth.login(password="wrong-one")
    auth.login()
    auth.logout()
    auth.login("admin")
    page = soup(client.get("/admin/audit?action=login_failed", headers=EN))
    rows = [row.get_text(" ", strip=True) for row in page.select("tbody tr")]
    assert len(rows) == 1 and "agent@gehoord.example" in rows[0]
    agent = person("agent")
    mine = text_of(soup(client.get(f"/admin/audit?person={agent.id}", headers=EN)))
    assert f"{agent.name} logged in." in mine and f"{agent.name} logged out." in mine
    assert "Someone tried to log in as agent@gehoord.example with a wrong password." in rows[0]
    today = utcnow().date()
    later = text_of(soup(client.get(f"/admin/audit?from={today + timedelta(days=2)}", headers=EN)))
    assert "Nothing matches" in later
    bad = client.get("/admin/audit?from=31-12-2026", headers=EN)
    assert "Enter a date like 2026-12-31" in text_of(soup(bad))


def test_the_audit_pages_past_200_rows(client, auth):
    from portal.services.audit import audit
    for number in range(205):
        audit(None, "login_failed", f"guess-{number}@example.com")
    db.session.commit()
    auth.login("admin")
    first = soup(client.get("/admin/audit?action=login_failed", headers=EN))
    assert len(first.select("tbody tr")) == 200
    older = first.find("a", string=lambda s: s and "Older events" in s)
    second = soup(client.get(older["href"], headers=EN))
    assert len(second.select("tbody tr")) == 5 and "guess-0@example.com" in text_of(second)
