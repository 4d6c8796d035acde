"""Issue "Trust", staff accounts: a forgotten password by mail, a reset an admin forces, two-step
login with an app and recovery codes, and an erasure request a colleague took on the phone."""
import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Complaint, Organisation, OutboxMail, PasswordReset, RecoveryCode, User, utcnow
from portal.services import privacy, sign_in
from portal.services.organisation import forget_organisation_snapshot
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import PASSWORD, person

NEW_PASSWORD = "a-brand-new-password"


def reset_link(recipient: str) -> str:
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "password_reset",
                                                       OutboxMail.recipient == recipient)
                              .order_by(OutboxMail.id.desc())).first()
    assert mail is not None, f"no reset mail to {recipient}"
    path = re.search(r"https?://[^/\s]+(/agent/reset-password/\S+)", mail.body_text)
    return path.group(1)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def logs_in(app, email, password) -> bool:
    response = app.test_client().post("/agent/login", data={"email": email, "password": password})
    return response.status_code == 302 and response.headers["Location"] == "/agent/"


# --- a forgotten password ------------------------------------------------------------------------

def test_forgot_password_answers_the_same_whether_or_not_the_address_exists(client, create_user):
    colleague = create_user()
    known = client.post("/agent/forgot-password", data={"email": colleague.email}, headers=EN)
    unknown = client.post("/agent/forgot-password", data={"email": "nobody@example.com"}, headers=EN)
    assert known.status_code == unknown.status_code == 200
    assert text_of(soup(known)) == text_of(soup(unknown)), "nobody learns who has an account"
    assert "works once, for 30 minutes" in text_of(soup(known))
    assert [m.recipient for m in db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "password_reset"))] \
        == [colleague.email], "a mail only to the person who has the account"


def test_the_mailed_link_sets_a_new_password_once_and_ends_every_session(app, client, auth, create_user):
    colleague = create_user()
    auth.login(colleague)
    elsewhere = app.test_client()
    AuthActionsLogin(elsewhere, colleague.email, PASSWORD)
    client.post("/agent/forgot-password", data={"email": colleague.email.upper()})
    link = reset_link(colleague.email)
    token = link.rsplit("/", 1)[1]
    assert db.session.scalar(select(PasswordReset.token_hash)) != token, "only the hash is kept"
    assert app.test_client().get(link).status_code == 200
    different = app.test_client().post(link, data={"new": NEW_PASSWORD, "repeat": "something else"}, headers=EN)
    assert different.status_code == 400 and "not the same" in text_of(soup(different))
    done = app.test_client().post(link, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/agent/login"
    assert logs_in(app, colleague.email, NEW_PASSWORD) and not logs_in(app, colleague.email, PASSWORD)
    assert elsewhere.get("/agent/").status_code == 302, "a session from before the reset ends"
    again = app.test_client().post(link, data={"new": "yet-another-password", "repeat": "yet-another-password"},
                                   headers=EN)
    assert again.status_code == 404 and "does not work any more" in text_of(soup(again))
    assert "password_reset_asked" in actions() and "password_reset" in actions()


def AuthActionsLogin(client, email, password):  # noqa: N802 (reads as a step of the story)
    assert client.post("/agent/login", data={"email": email, "password": password}).status_code == 302
    assert client.get("/agent/").status_code == 200


def test_a_link_ends_after_30_minutes_and_when_a_newer_one_is_asked(app, client, create_user):
    colleague = create_user()
    client.post("/agent/forgot-password", data={"email": colleague.email})
    first = reset_link(colleague.email)
    client.post("/agent/forgot-password", data={"email": colleague.email})
    second = reset_link(colleague.email)
    assert first != second
    assert client.get(first).status_code == 404, "only the newest link works"
    with time_machine.travel(utcnow() + timedelta(minutes=31), tick=False):
        late = client.post(second, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD}, headers=EN)
    assert late.status_code == 404
    assert logs_in(app, colleague.email, PASSWORD), "the password stays as it was"


def test_a_switched_off_person_gets_no_link(client, create_user):
    gone = create_user(active=False)
    client.post("/agent/forgot-password", data={"email": gone.email})
    assert db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "password_reset")) is None


@pytest.fixture
def limits_on(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_LIMIT="5 per 15 minutes")
    return app_config


def test_asking_too_often_is_refused_politely(limits_on, client, create_user):
    colleague = create_user()
    statuses = [client.post("/agent/forgot-password", data={"email": colleague.email}).status_code
                for _ in range(8)]
    assert 429 in statuses, "nobody can fill a colleague's mailbox"


# --- an admin forces a new password ---------------------------------------------------------------

def test_an_admin_forces_a_reset_the_password_stops_working_and_a_link_is_mailed(app, client, auth, create_user):
    colleague = create_user()
    theirs = app.test_client()
    AuthActionsLogin(theirs, colleague.email, PASSWORD)
    auth.login("admin")
    response = client.post(f"/admin/people/{colleague.id}/force-reset", headers=EN)
    assert response.status_code == 302
    assert theirs.get("/agent/").status_code == 302, "logged out everywhere, at once"
    refused = app.test_client().post("/agent/login", data={"email": colleague.email, "password": PASSWORD},
                                     headers=EN)
    assert refused.status_code == 200 and "An admin asked you to choose a new password" in text_of(soup(refused))
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "password_reset"))
    assert "Your old password no longer works" in mail.body_text or "oude wachtwoord" in mail.body_text
    link = reset_link(colleague.email)
    assert app.test_client().post(link, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD}).status_code == 302
    assert logs_in(app, colleague.email, NEW_PASSWORD)
    assert "password_reset_forced" in actions() and "login_refused_reset_asked" in actions()


def test_an_agent_cannot_force_a_reset(client, auth, create_user):
    colleague = create_user()
    auth.login("supervisor")
    assert client.post(f"/admin/people/{colleague.id}/force-reset").status_code == 403
    assert not db.session.get(User, colleague.id).must_choose_password


# --- two-step login ---------------------------------------------------------------------------------

def turn_on_two_step(client) -> tuple[str, list[str]]:
    """Set up two-step login as the logged-in person does; returns the secret and the recovery codes."""
    assert client.post("/agent/two-step/start").status_code == 302
    page = client.get("/agent/two-step", headers=EN)
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True), "a QR code, made on our server"
    secret = soup(page).select_one(".secret-key").get_text(strip=True)
    wrong = client.post("/agent/two-step/confirm", data={"confirm-code": "000000"}, headers=EN)
    assert wrong.status_code == 400 and "not right" in text_of(soup(wrong))
    shown = client.post("/agent/two-step/confirm", data={"confirm-code": pyotp.TOTP(secret).now()}, headers=EN)
    assert shown.status_code == 200 and "Two-step login is on" in text_of(soup(shown))
    codes = [code.get_text() for code in soup(shown).select(".recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def test_with_two_step_login_the_password_alone_opens_nothing(app, client, auth, create_user):
    colleague = create_user()
    auth.login(colleague)
    secret, _codes = turn_on_two_step(client)
    other = app.test_client()
    first = other.post("/agent/login?next=/agent/cosign", data={"email": colleague.email, "password": PASSWORD})
    assert first.status_code == 302 and first.headers["Location"].startswith("/agent/login/code")
    assert other.get("/agent/").status_code == 302, "not logged in yet"
    wrong = other.post(first.headers["Location"], data={"code": "123456"}, headers=EN)
    assert wrong.status_code == 200 and "This code is not right" in text_of(soup(wrong))
    with time_machine.travel(utcnow() + timedelta(seconds=31)):  # the code used to set it up is spent
        code = pyotp.TOTP(secret).now()
        right = other.post(first.headers["Location"], data={"code": code})
        assert right.status_code == 302 and right.headers["Location"] == "/agent/cosign"
        assert other.get("/agent/").status_code == 200
        # The same code a moment later, from someone who saw it over a shoulder: refused.
        third = app.test_client()
        third.post("/agent/login", data={"email": colleague.email, "password": PASSWORD})
        assert third.post("/agent/login/code", data={"code": code}).status_code == 200
        assert third.get("/agent/").status_code == 302
    assert {"two_step_on", "login", "login_failed_code"} <= set(actions())


def test_a_recovery_code_logs_in_once(app, client, auth, create_user):
    colleague = create_user()
    auth.login(colleague)
    _secret, codes = turn_on_two_step(client)
    for attempt, expected in ((codes[0].upper().replace("-", " "), 302), (codes[0], 200)):
        browser = app.test_client()
        browser.post("/agent/login", data={"email": colleague.email, "password": PASSWORD})
        assert browser.post("/agent/login/code", data={"code": attempt}).status_code == expected
    assert sign_in.recovery_codes_left(db.session.get(User, colleague.id)) == 9
    assert all(not row.code_hash.startswith(codes[0][:5]) for row in db.session.scalars(select(RecoveryCode)))


def test_the_code_must_follow_the_password_within_five_minutes(app, create_user, client, auth):
    colleague = create_user()
    auth.login(colleague)
    secret, _codes = turn_on_two_step(client)
    browser = app.test_client()
    browser.post("/agent/login", data={"email": colleague.email, "password": PASSWORD})
    with time_machine.travel(utcnow() + timedelta(minutes=6), tick=False):
        late = browser.post("/agent/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert late.status_code == 302 and late.headers["Location"].startswith("/agent/login")
    assert browser.get("/agent/").status_code == 302


def test_guessing_codes_is_limited(limits_on, app, client, auth, create_user):
    colleague = create_user()
    auth.login(colleague)
    turn_on_two_step(client)
    browser = app.test_client()
    browser.post("/agent/login", data={"email": colleague.email, "password": PASSWORD})
    statuses = [browser.post("/agent/login/code", data={"code": f"{n:06d}"}).status_code for n in range(12)]
    assert 429 in statuses


def test_new_recovery_codes_replace_the_old_and_turning_off_asks_the_password(app, client, auth, create_user):
    colleague = create_user()
    auth.login(colleague)
    _secret, old = turn_on_two_step(client)
    wrong = client.post("/agent/two-step/codes", data={"codes-password": "not my password"}, headers=EN)
    assert wrong.status_code == 400
    fresh = client.post("/agent/two-step/codes", data={"codes-password": PASSWORD}, headers=EN)
    new = [code.get_text() for code in soup(fresh).select(".recovery-codes code")]
    assert len(new) == 10 and not set(new) & set(old)
    browser = app.test_client()
    browser.post("/agent/login", data={"email": colleague.email, "password": PASSWORD})
    assert browser.post("/agent/login/code", data={"code": old[1]}).status_code == 200, "old codes stop working"
    off = client.post("/agent/two-step/off", data={"off-password": PASSWORD})
    assert off.status_code == 302
    assert logs_in(app, colleague.email, PASSWORD), "the password alone logs in again"
    assert client.get("/agent/").status_code == 200, "this session goes on"


def test_an_admin_turns_two_step_off_for_someone_who_lost_their_phone(app, client, auth, create_user):
    colleague = create_user()
    theirs = app.test_client()
    AuthActionsLogin(theirs, colleague.email, PASSWORD)
    turn_on_two_step(theirs)
    auth.login("admin")
    assert client.post(f"/admin/people/{colleague.id}/two-step-off").status_code == 302
    assert logs_in(app, colleague.email, PASSWORD)
    assert "two_step_off" in actions()


def test_when_the_organisation_asks_it_an_admin_sets_up_two_step_login_first(app, client, auth):
    organisation = db.session.scalar(select(Organisation))
    organisation.admins_need_two_step = True
    db.session.commit()
    forget_organisation_snapshot(app)
    login = auth.login("admin")
    assert login.headers["Location"] == "/agent/two-step"
    blocked = client.get("/admin/people")
    assert blocked.status_code == 302 and blocked.headers["Location"] == "/agent/two-step"
    page = client.get("/agent/two-step", headers=EN)
    assert "Your organisation asks admins to use two-step login" in text_of(soup(page))
    turn_on_two_step(client)
    assert client.get("/admin/people").status_code == 200
    kept = client.post("/agent/two-step/off", data={"off-password": "demo-admin"}, headers=EN)
    assert kept.status_code == 400 and "cannot be turned off" in text_of(soup(kept))
    agent = app.test_client()
    agent.post("/agent/login", data={"email": "agent@gehoord.example", "password": "demo-agent"})
    assert agent.get("/agent/").status_code == 200, "agents choose for themselves"


def test_the_organisation_page_turns_the_rule_on_with_an_audit(client, auth):
    auth.login("admin")
    page = soup(client.get("/admin/organisation"))
    data = {field["name"]: field.get("value", "") for field in page.select("form input")
            if field.get("type") not in ("radio", "checkbox")}
    data.update({radio["name"]: radio["value"] for radio in page.select("input[type=radio][checked]")})
    data["admins_need_two_step"] = "yes"
    assert client.post("/admin/organisation", data=data).status_code == 302
    assert db.session.scalar(select(Organisation.admins_need_two_step)) is True
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "organisation_changed")).all()[-1]
    assert event.after["admins_need_two_step"] is True and event.before["admins_need_two_step"] is False


# --- role changes in the audit --------------------------------------------------------------------

def test_a_role_change_is_its_own_audit_event(client, auth, create_user):
    colleague = create_user()
    auth.login("admin")
    client.post(f"/admin/people/{colleague.id}", data={"role": "supervisor", "mandate": "0", "budget": "0",
                                                       "active": "yes"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert event.subject == colleague.email and event.before == {"role": "agent"} and event.after == {
        "role": "supervisor"}
    filtered = client.get("/admin/audit?action=role_changed", headers=EN)
    assert colleague.email in text_of(soup(filtered))


# --- an erasure request by phone, letter or mail -----------------------------------------------------

def test_an_agent_records_an_erasure_request_by_email_for_every_complaint_of_that_address(
        client, auth, create_complaint):
    first, _ = create_complaint(email="bea@example.com")
    second, _ = create_complaint(email="Bea@Example.com")
    other, _ = create_complaint(email="someone@example.com")
    auth.login("agent")
    form = client.get(f"/agent/erasure-request?which={first.reference}", headers=EN)
    assert soup(form).select_one("#which")["value"] == first.reference, "filled in from the complaint page"
    response = client.post("/agent/erasure-request", data={"which": " BEA@example.com", "via": "phone"},
                           headers=EN)
    assert response.status_code == 200
    assert {first.reference, second.reference} <= set(text_of(soup(response)).split())
    db.session.expire_all()
    assert [c.erasure_requested_via for c in (first, second, other)] == ["phone", "phone", None]
    history = text_of(soup(client.get(f"/agent/complaints/{first.reference}", headers=EN)))
    assert "asked by phone to erase" in history
    auth.logout()
    auth.login("admin")
    waiting = text_of(soup(client.get("/admin/erasure", headers=EN)))
    assert first.reference in waiting and "By phone" in waiting and other.reference not in waiting
    assert client.post(f"/admin/erasure/{first.id}/confirm").status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, first.id).anonymised_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erasure_recorded")) is not None


def test_an_erasure_request_by_reference_and_what_is_not_found(client, auth, create_complaint):
    complaint, _ = create_complaint()
    auth.login("agent")
    loose = complaint.reference.lower().replace("-", "")
    assert client.post("/agent/erasure-request", data={"which": loose, "via": "letter"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).erasure_requested_via == "letter"
    missing = client.post("/agent/erasure-request", data={"which": "AAAA-AAAA", "via": "letter"}, headers=EN)
    assert missing.status_code == 400 and "We found no complaint" in text_of(soup(missing))
    nothing = client.post("/agent/erasure-request", data={"which": complaint.reference}, headers=EN)
    assert nothing.status_code == 400 and "Choose how the customer asked" in text_of(soup(nothing))


def test_an_erased_complaint_is_not_found_again(create_complaint):
    complaint, _ = create_complaint(email="gone@example.com")
    privacy.confirm_erasure(complaint, person("admin"))
    db.session.commit()
    with pytest.raises(privacy.PrivacyError):
        privacy.record_erasure_request(person("agent"), "gone@example.com", "phone")
