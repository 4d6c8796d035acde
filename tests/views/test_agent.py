"""The agents' pages: log in, work the queue, own a complaint, reply, put it right on the mandate screen."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from tests.fixtures.complaints import working_day_after
from portal.extensions import db
from portal.models import Complaint, Offer, Message, Note, OutboxMail, User, utcnow
from portal.services import complaints as complaint_service
from portal.services import work
from portal.services.organisation import get_calendar
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import person


def test_the_queue_needs_a_login(client):
    response = client.get("/agent/")
    assert response.status_code == 302 and "/agent/login" in response.headers["Location"]


def test_logging_in_and_out(client, auth):
    page = soup(client.get("/agent/login", headers=EN))
    assert page.find("input", {"name": "password", "type": "password"})
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/agent/"
    assert "Queue" in text_of(soup(client.get("/agent/", headers=EN)))
    auth.logout()
    assert client.get("/agent/").status_code == 302


def test_a_wrong_password_gets_one_polite_sentence_and_no_echo(client, auth):
    response = client.post("/agent/login", headers=EN, data={"email": "agent@gehoord.example", "password": "guess"})
    page = soup(response)
    assert "The email address or the password is not right" in text_of(page)
    assert page.find("input", {"name": "password"}).get("value", "") == ""
    unknown = soup(client.post("/agent/login", headers=EN, data={"email": "nobody@x.example", "password": "guess"}))
    assert "The email address or the password is not right" in text_of(unknown), "same answer: no address leaks"


def test_the_session_is_new_after_login(client, auth):
    client.get("/language/en")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session and session["language"] == "en"


@pytest.fixture
def limited_app_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_LIMIT="3 per 15 minutes", LOGIN_ACCOUNT_LIMIT="3 per hour")
    return app_config


def test_repeated_failed_logins_are_slowed_down_politely(limited_app_config, app, client, auth):
    for _ in range(3):
        assert auth.login(password="wrong-one").status_code == 200
    response = auth.login()
    assert response.status_code == 429
    assert "U heeft veel verstuurd in korte tijd" in text_of(soup(response))


def test_good_logins_do_not_count_towards_the_limit(limited_app_config, app, client, auth):
    for _ in range(5):
        assert auth.login().status_code == 302
        auth.logout()


def test_the_queue_orders_by_the_promise_at_risk(client, auth, create_complaint):
    now = utcnow()
    late, _ = create_complaint(story="Filed long ago and now overdue", now=now - timedelta(days=20))
    fresh, _ = create_complaint(story="Filed just now, plenty of time")
    auth.login()
    page = soup(client.get("/agent/", headers=EN))
    refs = [a.get_text() for a in page.select("tbody tr a[data-row-link]")]
    assert refs == [late.reference, fresh.reference]
    text = text_of(page)
    assert re.search(r"\d+ working days? overdue", text)
    assert re.search(r"due in \d+ working (hour|day)s?", text)
    overdue = soup(client.get("/agent/?view=overdue"))
    assert [a.get_text() for a in overdue.select("tbody tr a[data-row-link]")] == [late.reference]


def test_the_queue_filters_mine_and_unassigned(client, auth, create_complaint):
    mine, _ = create_complaint()
    other, _ = create_complaint()
    work.claim(mine, person("agent"))
    db.session.commit()
    auth.login()
    refs = lambda view: [a.get_text() for a in soup(client.get(f"/agent/?view={view}")).select("tbody a")]
    assert refs("mine") == [mine.reference]
    assert refs("unassigned") == [other.reference]


def test_the_number_of_queries_does_not_grow_with_the_rows(app, client, auth, create_complaint):
    auth.login()

    def queries_for_queue():
        statements = []
        listener = lambda *args: statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/agent/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    for _ in range(2):
        create_complaint()
    few = queries_for_queue()
    for _ in range(12):
        create_complaint()
    assert queries_for_queue() == few


def test_the_complaint_page_puts_the_story_first_and_claiming_makes_you_owner(client, auth, create_complaint):
    complaint, token = create_complaint(story="The driver threw my parcel over the fence.")
    auth.login()
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    main_text = text_of(page.find("main"))
    assert main_text.index("The driver threw my parcel") < main_text.index("Messages")
    assert "we ask for no proof" in main_text
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    db.session.refresh(complaint)
    assert complaint.owner.role == "agent" and complaint.status == "in_progress"
    status_page = text_of(soup(client.get(f"/s/{token}")))
    assert "Sanne de Vries" in status_page, "the customer sees who handles it"


def test_two_claims_leave_one_owner(client, auth, create_complaint):
    complaint, _ = create_complaint()
    work.claim(complaint, person("supervisor"))
    db.session.commit()
    auth.login()
    response = client.post(f"/agent/complaints/{complaint.reference}/claim", headers=EN)
    page = soup(client.get(response.headers["Location"], headers=EN))
    assert "Ahmed Bakker owns this complaint already." in text_of(page)
    db.session.refresh(complaint)
    assert complaint.owner.role == "supervisor"


def test_the_first_reply_keeps_the_contact_promise_and_reaches_the_customer(client, auth, create_complaint):
    complaint, token = create_complaint()
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    response = client.post(f"/agent/complaints/{complaint.reference}/reply",
                           data={"reply-body": "Dear Fatima, I am sorry. I send a new book today."})
    assert response.status_code == 302
    db.session.refresh(complaint)
    contact = next(p for p in complaint.promises if p.key == "contact")
    assert contact.state == "kept" and contact.kept_at is not None
    status_text = text_of(soup(client.get(f"/s/{token}")))
    assert "I send a new book today." in status_text
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "reply"))
    assert "I send a new book today." in mail.body_text and mail.recipient == "fatima@example.com"


def test_a_reply_before_claiming_is_refused_with_a_reason(client, auth, create_complaint):
    complaint, _ = create_complaint()
    auth.login()
    response = client.post(f"/agent/complaints/{complaint.reference}/reply", headers=EN,
                           data={"reply-body": "Hello"})
    assert response.status_code == 400
    assert "Claim the complaint before you reply" in text_of(soup(response))
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_handing_over_needs_a_note_and_tells_the_customer(client, auth, create_complaint):
    complaint, token = create_complaint()
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    supervisor = person("supervisor")
    response = client.post(f"/agent/complaints/{complaint.reference}/hand-over", headers=EN,
                           data={"handover-to": str(supervisor.id), "handover-note": ""})
    assert response.status_code == 400
    assert "Write a note for your colleague" in text_of(soup(response))
    client.post(f"/agent/complaints/{complaint.reference}/hand-over",
                data={"handover-to": str(supervisor.id), "handover-note": "She wants a call after 18:00."})
    db.session.refresh(complaint)
    assert complaint.owner_id == supervisor.id
    assert db.session.scalar(select(Note.body)) == "She wants a call after 18:00."
    assert "Ahmed Bakker" in text_of(soup(client.get(f"/s/{token}")))
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.kind == "handed_over")) == 1


def test_the_mandate_screen_asks_for_no_proof(client, auth, create_complaint):
    complaint, _ = create_complaint()
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    page = soup(client.get(f"/agent/complaints/{complaint.reference}/mandate", headers=EN))
    assert "You can offer now €100.00" in text_of(page)
    assert "Compensation (€25.50)" in text_of(page), "what the customer asked for"
    for word in ("proof", "evidence", "receipt number", "upload", "bewijs"):
        assert not page.find("input", attrs={"name": re.compile(word)})
    assert not page.find("input", {"type": "file"})
    names = {tag["name"] for tag in page.find("main").find_all(["input", "textarea"])}
    assert names - {"csrf_token", "checked"} == {"request_key", "seen_counter", "remedy", "amount", "text"}


def offer_form(client, reference):
    page = soup(client.get(f"/agent/complaints/{reference}/mandate"))
    return {name: page.find("input", {"name": name})["value"] for name in ("request_key", "seen_counter")}


def test_granting_within_the_mandate_and_the_customer_accepts(client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="refund", amount="25,50", text="We pay you back € 25,50 within 3 working days.")
    response = client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)
    assert response.status_code == 302
    again = client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)  # a double click
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Offer.id))) == 1
    offer = db.session.scalar(select(Offer))
    assert (offer.amount_cents, offer.state) == (2550, "offered")
    page = soup(client.get(f"/s/{token}", headers=EN))
    assert "Our proposal" in text_of(page) and "We pay you back" in text_of(page)
    assert "If you say yes, it is done by" in text_of(page)
    client.post(f"/s/{token}/offer/{offer.id}", data={"offer-answer": "accept"})
    db.session.refresh(complaint)
    # Yes is not done yet: the refund is carried out first, by a dated promise the customer reads.
    assert complaint.status == "agreed"
    text = text_of(soup(client.get(f"/s/{token}", headers=EN)))
    assert "We are doing what we agreed with you" in text and "We have paid the money back to you" in text
    page = soup(client.get(f"/agent/complaints/{complaint.reference}"))
    assert page.find(id="carry-out") is not None
    refused = client.post(f"/agent/complaints/{complaint.reference}/offers/{offer.id}/done", data={"done-note": ""})
    assert refused.status_code == 400 and "betalingskenmerk" in text_of(soup(refused))
    done = client.post(f"/agent/complaints/{complaint.reference}/offers/{offer.id}/done",
                       data={"done-note": "NL-PAY-8812"})
    assert done.status_code == 302
    db.session.refresh(complaint)
    assert complaint.status == "resolved" and complaint.closes_at is not None
    page = soup(client.get(f"/s/{token}", headers=EN))
    assert "Your complaint is solved" in text_of(page)
    assert "Payment reference: NL-PAY-8812" in text_of(page)
    assert "If we hear nothing from you by" in text_of(page)
    assert "Not solved after all?" in text_of(page), "30 days to open it again"


def test_a_grant_above_the_mandate_is_not_offered_whatever_the_form_says(client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="refund", amount="100,01", text="We pay you back.")
    client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)
    offer = db.session.scalar(select(Offer))
    assert offer.state == "waiting_cosign"
    assert "Our proposal" not in text_of(soup(client.get(f"/s/{token}", headers=EN)))
    # The supervisor signs from their own queue.
    auth.logout()
    auth.login("supervisor")
    assert complaint.reference in text_of(soup(client.get("/agent/cosign")))
    client.post(f"/agent/offers/{offer.id}/cosign")
    db.session.refresh(offer)
    assert offer.state == "offered"
    assert "Our proposal" in text_of(soup(client.get(f"/s/{token}", headers=EN)))


def test_declining_with_a_reason_returns_it_to_the_owner_with_a_date(client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="voucher", amount="10", text="A voucher of 10 euros.")
    client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)
    offer = db.session.scalar(select(Offer))
    page = soup(client.post(f"/s/{token}/offer/{offer.id}", headers=EN, data={"offer-answer": "decline"}))
    assert "Tell us what would solve it for you" in text_of(page)
    client.post(f"/s/{token}/offer/{offer.id}", data={"offer-answer": "decline", "offer-reason":
                                                      "I want my money back."})
    db.session.refresh(complaint)
    assert complaint.status == "in_progress" and complaint.owner.role == "agent"
    assert "You get a new proposal" in text_of(soup(client.get(f"/s/{token}", headers=EN)))


def test_moving_a_promise_keeps_the_old_one_visible_and_a_second_move_asks_the_customer(client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    proposal = next(p for p in complaint.promises if p.key == "proposal")
    later = working_day_after(proposal.due_at, 7).isoformat()  # never a holiday (a refused move)
    response = client.post(f"/agent/complaints/{complaint.reference}/promises/{proposal.id}/move",
                           data={"new_date": later, "reason": "The warehouse is checking your parcel."})
    assert response.status_code == 302, text_of(soup(response))
    text = text_of(soup(client.get(f"/s/{token}", headers=EN)))
    assert "Moved from" in text and "The warehouse is checking your parcel." in text
    db.session.expire_all()
    moved = db.session.scalar(select(Complaint)).promises[-1]
    even_later = working_day_after(moved.due_at, 7).isoformat()
    client.post(f"/agent/complaints/{complaint.reference}/promises/{moved.id}/move",
                data={"new_date": even_later, "reason": "We wait for the carrier."})
    db.session.expire_all()
    asked = db.session.scalar(select(Complaint)).promises[-1]
    assert asked.state == "proposed" and moved.state == "open", "the earlier date stands until the customer agrees"
    page = soup(client.get(f"/s/{token}", headers=EN))
    assert "Your answer is needed" in text_of(page)
    client.post(f"/s/{token}/date/{asked.id}", data={"date-answer": "yes"})
    db.session.expire_all()
    assert [p.state for p in db.session.scalar(select(Complaint)).promises if p.key == "proposal"] == \
        ["moved", "moved", "open"]


def test_filing_for_a_customer_who_called(client, auth):
    auth.login()
    response = client.post("/agent/new", data={
        "channel": "phone", "story": "She called: the invoice is twice as high as agreed.", "category": "other",
        "wish": "fix", "name": "Mrs. Jansen", "email": "jansen@example.com", "phone": "", "language": "nl"})
    assert response.status_code == 302
    complaint = db.session.scalar(select(Complaint))
    assert complaint.channel == "phone" and complaint.owner.role == "agent"
    assert len(complaint.promises) == 3
    assert db.session.scalar(select(OutboxMail.kind)) == "filed"


@pytest.mark.parametrize("url", ["/agent/", "/agent/cosign", "/agent/new", "/agent/complaints/XXXX-XXXX"])
def test_no_agent_page_without_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/agent/login" in response.headers["Location"]


def test_agents_cannot_reach_the_supervisors_queue(client, auth):
    auth.login()
    assert client.get("/agent/cosign").status_code == 403


def test_a_tampered_reference_or_id_gets_404(client, auth, create_complaint):
    complaint, token = create_complaint()
    other, other_token = create_complaint()
    auth.login()
    assert client.get("/agent/complaints/NOPE-NOPE").status_code == 404
    promise = other.promises[0]
    assert client.get(f"/agent/complaints/{complaint.reference}/promises/{promise.id}/move").status_code == 404
    client.post(f"/agent/complaints/{other.reference}/claim")
    data = offer_form(client, other.reference)
    data.update(remedy="apology", amount="", text="Sorry.")
    client.post(f"/agent/complaints/{other.reference}/mandate", data=data)
    offer = db.session.scalar(select(Offer))
    assert client.post(f"/s/{token}/offer/{offer.id}", data={"offer-answer": "accept"}).status_code == 404


def test_agent_pages_speak_dutch_by_default(client, auth, create_complaint):
    complaint, _ = create_complaint()
    auth.login()
    assert "Wachtrij" in text_of(soup(client.get("/agent/")))


def test_create_user_from_the_command_line(runner, client, auth):
    result = runner.invoke(args=["portal", "create-user", "--email", "Noor@Example.com", "--name", "Noor",
                                 "--role", "supervisor", "--mandate", "250", "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    noor = db.session.scalar(select(User).where(User.email == "noor@example.com"))
    assert noor.role == "supervisor" and noor.mandate_per_complaint_cents == 25_000
    assert noor.password_hash != "a-long-password"
    response = client.post("/agent/login", data={"email": "noor@example.com", "password": "a-long-password"})
    assert response.status_code == 302
    again = runner.invoke(args=["portal", "create-user", "--email", "noor@example.com", "--name", "Noor",
                                "--password", "another-long-one"])
    assert again.exit_code != 0 and "already" in again.output


def test_the_lint_warns_about_hedge_words_before_a_reply_is_sent(client, auth, create_complaint):
    complaint, _ = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    text = "We will normally refund you as soon as possible."
    page = soup(client.post(f"/agent/complaints/{complaint.reference}/reply", headers=EN, data={"reply-body": text}))
    warning = text_of(page.find(id="lint"))
    assert "as soon as possible" in warning and "right 3" in warning
    assert db.session.scalar(select(func.count(Message.id))) == 0, "not sent yet"
    checked = page.find("input", {"name": "reply-checked"})["value"]
    client.post(f"/agent/complaints/{complaint.reference}/reply", data={"reply-body": text, "reply-checked": checked})
    assert db.session.scalar(select(Message.body)) == text, "the same text again is sent as it is"


def test_how_does_it_read_shows_the_score_and_a_verdict_and_sends_nothing(client, auth, create_complaint):
    complaint, _ = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    reply = f"/agent/complaints/{complaint.reference}/reply"
    hard = ("Notwithstanding the aforementioned considerations regarding organisational responsibilities, "
            "compensation determination necessitates comprehensive investigation of contractual obligations.")
    page = soup(client.post(reply, headers=EN, data={"reply-body": hard, "preview": "1"}))
    assert "hard to read" in text_of(page.find(id="reply-readability"))
    assert page.find("textarea", id="reply-body").get_text().strip() == hard, "the text stays to be changed"
    easy = "I am sorry. We pay you back today."
    page = soup(client.post(reply, headers=EN, data={"reply-body": easy, "preview": "1"}))
    assert "easy to read" in text_of(page.find(id="reply-readability"))
    assert "No vague or hard words found." in text_of(page)
    assert db.session.scalar(select(func.count(Message.id))) == 0, "a preview sends nothing"


def test_the_reading_score_as_the_agent_types(client, auth):
    auth.login()
    answer = client.post("/agent/readability", headers=EN, data={"text": "I am sorry. We pay you back today.",
                                                                 "language": "en"})
    assert answer.status_code == 200 and "easy to read" in answer.get_json()["words"]
    dutch = client.post("/agent/readability", headers=EN, data={"text": "Het spijt me. Wij betalen u vandaag terug.",
                                                                "language": "nl"})
    assert "easy to read" in dutch.get_json()["words"], "the text's language, the agent's words"
    assert client.post("/agent/readability", data={"text": "x", "language": "fr"}).status_code == 400


def test_a_supervisor_answers_as_the_manager_and_an_agent_cannot(client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    complaint_service.ask_for_manager(complaint, "Nobody listens.", get_calendar())
    db.session.commit()
    path = f"/agent/complaints/{complaint.reference}/manager-answer"
    assert soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN)).find(id="manager") is None, \
        "an agent sees no manager's form"
    assert client.post(path, data={"manager-body": "Hello"}).status_code == 403
    auth.logout()
    auth.login("supervisor")
    queue = text_of(soup(client.get("/agent/?view=escalated", headers=EN)))
    assert complaint.reference in queue, "a task in the supervisors' view"
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    assert "Nobody listens." in text_of(page.find(id="manager"))
    empty = soup(client.post(path, headers=EN, data={"manager-body": ""}))
    assert "Write your answer to the customer" in text_of(empty.find(class_="error-summary"))
    response = client.post(path, headers=EN, data={"manager-body": "Dear Fatima, I read it. We pay you today."})
    assert response.status_code == 302
    assert complaint.reference not in text_of(soup(client.get("/agent/?view=escalated", headers=EN)))
    db.session.refresh(complaint)
    assert complaint.owner.role == "agent", "the owner keeps it"
    status = text_of(soup(client.get(f"/s/{token}", headers=EN)))
    assert "Dear Fatima, I read it. We pay you today." in status and "a manager, answered you" in status


def test_classifying_what_it_was(client, auth, create_complaint):
    complaint, _ = create_complaint()
    auth.login()
    page = soup(client.post(f"/agent/complaints/{complaint.reference}/classify", headers=EN, data={
        "classify-handled_as": "fix", "classify-root_cause": "system", "classify-chance_to_improve": "yes"}))
    assert "Write what we could improve" in text_of(page)
    client.post(f"/agent/complaints/{complaint.reference}/classify", data={
        "classify-handled_as": "fix", "classify-root_cause": "system", "classify-chance_to_improve": "yes",
        "classify-improvement_note": "Drivers need a dry place to leave parcels."})
    db.session.refresh(complaint)
    assert (complaint.handled_as, complaint.root_cause, complaint.chance_to_improve) == ("fix", "system", True)
    assert complaint.improvement_note == "Drivers need a dry place to leave parcels."


def test_the_customer_can_reopen_within_30_days_and_it_returns_to_the_same_owner(client, auth, create_complaint):
    complaint, token = create_complaint()
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="apology", amount="", text="We are sorry.")
    client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)
    offer = db.session.scalar(select(Offer))
    client.post(f"/s/{token}/offer/{offer.id}", data={"offer-answer": "accept"})
    response = client.post(f"/s/{token}/reopen", data={"reopen-reason": "The new book is damaged too."})
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert complaint.status == "in_progress" and complaint.owner.role == "agent"
    assert [p.state for p in complaint.promises][-2:] == ["open", "open"], "fresh dated promises"
    db.session.refresh(complaint)
    complaint.status, complaint.resolved_at = "resolved", utcnow() - timedelta(days=31)
    db.session.commit()
    page = soup(client.get(f"/s/{token}", headers=EN))
    assert "Not solved after all?" not in text_of(page)
    assert client.post(f"/s/{token}/reopen", data={"reopen-reason": "Again"}).status_code == 200
    db.session.refresh(complaint)
    assert complaint.status == "resolved"


def test_a_reply_can_start_from_an_empathy_first_example_in_the_customers_language(client, auth, create_complaint):
    complaint, _ = create_complaint(language="nl")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    links = page.select("[data-reply-templates] a")
    assert [a.get_text(" ", strip=True) for a in links] == ["1 Luisteren en erkennen", "2 Sorry zeggen, dan wat u doet",
                                                            "3 Eén duidelijke vraag stellen"], "the Dutch defaults"
    page = soup(client.get(links[0]["href"], headers=EN))
    text = page.find("textarea", {"name": "reply-body"}).get_text()
    assert text.startswith("Beste Fatima el Amrani,"), "in the customer's language, not the agent's"
    assert "Sanne de Vries" in text and "{" not in text
    assert text == links[0]["data-template-text"], "the link puts the same text in the box at once"


def test_failed_logins_are_limited_per_account_from_any_address(limited_app_config, app, client):
    for number in range(3):
        response = client.post("/agent/login", environ_base={"REMOTE_ADDR": f"10.0.0.{number}"},
                               data={"email": "agent@gehoord.example", "password": "wrong-one"})
        assert response.status_code == 200
    response = client.post("/agent/login", environ_base={"REMOTE_ADDR": "10.0.0.99"},
                           data={"email": "Agent@Gehoord.example", "password": "demo-agent"})
    assert response.status_code == 429
    other = client.post("/agent/login", environ_base={"REMOTE_ADDR": "10.0.0.98"},
                        data={"email": "supervisor@gehoord.example", "password": "demo-supervisor"})
    assert other.status_code == 302, "another account is not blocked"


def test_move_this_date_is_offered_only_on_the_newest_date_of_a_step(client, auth, create_complaint):
    complaint, _ = create_complaint()
    work.claim(complaint, person("agent"))
    db.session.commit()
    auth.login()
    proposal = next(p for p in complaint.promises if p.key == "proposal")
    proposal.due_at = utcnow() - timedelta(hours=1)
    complaint_service.mark_missed_promises()  # a missed promise can be moved once, and stays missed
    work.extend_promise(proposal, person("agent"), working_day_after(utcnow(), 7), "The carrier is late.")
    db.session.commit()
    assert proposal.state == "missed"
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    moves = [a["href"] for a in page.find_all("a") if a.get_text().startswith("Move this date")]
    newest = complaint.promises[-1]
    assert f"/promises/{newest.id}/move" in " ".join(moves)
    assert not any(f"/promises/{proposal.id}/move" in href for href in moves), "the replaced one is not offered"
    day = (utcnow() + timedelta(days=20)).date()
    while get_calendar().opening_interval(day) is None:
        day += timedelta(days=1)
    response = client.post(f"/agent/complaints/{complaint.reference}/promises/{proposal.id}/move", headers=EN,
                           data={"new_date": day.isoformat(), "reason": "Again."})
    assert response.status_code == 400
    assert "Move the newest date" in text_of(soup(response))


@pytest.mark.parametrize("field, value", [("seen_counter", "abc"), ("seen_counter", ""), ("seen_counter", "-1"),
                                          ("request_key", "k" * 65), ("request_key", ""),
                                          ("request_key", "<script>")])
def test_tampered_hidden_fields_on_the_mandate_screen_get_a_polite_answer(client, auth, create_complaint,
                                                                          field, value):
    complaint, _ = create_complaint()
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="refund", amount="10", text="We pay you back.")
    data[field] = value
    response = client.post(f"/agent/complaints/{complaint.reference}/mandate", headers=EN, data=data)
    assert response.status_code == 400
    page = soup(response)
    assert "This form is out of date. Open the mandate screen again" in text_of(page.find(class_="error-summary"))
    assert db.session.scalar(select(func.count(Offer.id))) == 0
    fresh = {name: page.find("input", {"name": name})["value"] for name in ("request_key", "seen_counter")}
    data.update(fresh)
    assert client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data).status_code == 302
    assert db.session.scalar(select(func.count(Offer.id))) == 1, "the fresh form on that page works"


def test_handing_over_to_nobody_a_stranger_someone_who_left_or_the_owner_is_refused(client, auth, create_complaint,
                                                                                     create_user):
    complaint, token = create_complaint()
    left = create_user(name="Kees Vertrokken", email="left@example.com", active=False)
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    agent = person("agent")
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    listed = [option.get_text() for option in page.find("select", {"name": "handover-to"}).find_all("option")]
    assert "Sanne de Vries" not in " ".join(listed) and "Kees Vertrokken" not in listed
    for to, sentence in [("", "Choose a colleague"), ("abc", "Choose a colleague who works here now."),
                         ("99999999999999999999", "Choose a colleague who works here now."),
                         (str(left.id), "Choose a colleague who works here now."),
                         (str(agent.id), "This colleague owns the complaint already.")]:
        response = client.post(f"/agent/complaints/{complaint.reference}/hand-over", headers=EN,
                               data={"handover-to": to, "handover-note": "Please call her."})
        assert response.status_code == 400, to
        assert sentence in text_of(soup(response)), to
        db.session.expire_all()
        assert db.session.get(Complaint, complaint.id).owner_id == agent.id, to
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.kind == "handed_over")) == 0


def test_tick_flags_a_missed_promise_for_the_owner_in_the_attention_view(client, auth, runner, create_complaint):
    late, _ = create_complaint(story="The promise for this one passes")
    calm, _ = create_complaint(story="This one has time")
    for complaint in (late, calm):
        work.claim(complaint, person("agent"))
    late.promises[0].due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    auth.login()
    refs = lambda: [a.get_text() for a in soup(client.get("/agent/?view=attention")).select("tbody a")]
    assert refs() == []
    assert runner.invoke(args=["portal", "tick"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Complaint, late.id).attention_at is not None
    assert db.session.get(Complaint, calm.id).attention_at is None
    assert refs() == [late.reference]


def test_a_supervisor_takes_over_an_escalated_complaint_and_the_customer_hears_the_name(client, auth,
                                                                                       create_complaint):
    complaint, token = create_complaint()
    work.claim(complaint, person("agent"))
    db.session.commit()
    assert client.post(f"/s/{token}/manager", data={"reason": "Nobody listens to me."}).status_code == 302
    auth.login("supervisor")
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    supervisor = person("supervisor")
    option = page.find("select", {"name": "handover-to"}).find("option", {"value": str(supervisor.id)})
    assert option.get_text() == "Ahmed Bakker (you)"
    response = client.post(f"/agent/complaints/{complaint.reference}/hand-over", headers=EN,
                           data={"handover-to": str(supervisor.id), "handover-note": "I take this escalation."})
    assert response.status_code == 302
    assert "You own this complaint now" in text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert "Ahmed Bakker" in text_of(soup(client.get(f"/s/{token}", headers=EN)))
    client.post(f"/agent/complaints/{complaint.reference}/reply",
                data={"reply-body": "Dear Fatima, I looked at your complaint myself."})
    db.session.expire_all()
    complaint = db.session.get(Complaint, complaint.id)
    assert complaint.owner_id == supervisor.id
    assert next(p for p in complaint.promises if p.key == "manager").state == "kept"


# --- jargon in an offer, a new date's reason and a close reason: warned once, then sent as it is ----

JARGON = "Wij retourneren het bedrag conform de voorwaarden."


def test_jargon_in_an_offer_is_warned_once_then_the_same_text_goes_out(client, auth, create_complaint):
    complaint, _ = create_complaint(language="nl")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference) | dict(remedy="refund", amount="20", text=JARGON)
    page = soup(client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data, headers=EN))
    warning = text_of(page.find(id="lint"))
    assert "retourneren" in warning and "conform" in warning and "press the button again" in warning
    assert db.session.scalar(select(func.count(Offer.id))) == 0, "nothing offered yet"
    checked = page.find("input", {"name": "checked"})["value"]
    changed = dict(data, checked=checked, text=JARGON.replace("conform", "volgens"))  # another text: checked again
    assert "retourneren" in text_of(soup(client.post(f"/agent/complaints/{complaint.reference}/mandate",
                                                     data=changed, headers=EN)).find(id="lint"))
    assert db.session.scalar(select(func.count(Offer.id))) == 0
    data["checked"] = checked
    assert client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data).status_code == 302
    assert db.session.scalar(select(Offer.text)) == JARGON


def test_jargon_in_a_new_dates_reason_and_a_close_reason_is_warned_once(client, auth, create_complaint):
    complaint, _ = create_complaint(language="nl")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    proposal = next(p for p in complaint.promises if p.key == "proposal")
    move = f"/agent/complaints/{complaint.reference}/promises/{proposal.id}/move"
    data = {"new_date": working_day_after(proposal.due_at, 7).isoformat(), "reason": JARGON}
    page = soup(client.post(move, data=data, headers=EN))
    assert "conform" in text_of(page.find(id="lint"))
    data["checked"] = page.find("input", {"name": "checked"})["value"]
    assert client.post(move, data=data).status_code == 302
    close = f"/agent/complaints/{complaint.reference}/close"
    data = {"close-customer_agreed": "yes", "close-reason": "Wij hebben het pakket middels de post verstuurd."}
    page = soup(client.post(close, data=data, headers=EN))
    assert "middels" in text_of(page.find(id="close-lint"))
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).status != "closed"
    data["close-checked"] = page.find("input", {"name": "close-checked"})["value"]
    assert client.post(close, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).status == "closed"


def test_the_managers_answer_is_checked_for_plain_words_once(client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    complaint_service.ask_for_manager(complaint, "Nobody listens.", get_calendar())
    db.session.commit()
    auth.logout()
    auth.login("supervisor")
    path = f"/agent/complaints/{complaint.reference}/manager-answer"
    hedged = {"manager-body": "We will try to pay you back asap."}
    page = soup(client.post(path, headers=EN, data=hedged))
    warning = text_of(page.find(id="manager-lint"))
    assert "try" in warning and "asap" in warning
    assert "We will try to pay you back asap." not in text_of(soup(client.get(f"/s/{token}", headers=EN))), \
        "nothing is sent before the manager saw the warning"
    hedged["manager-checked"] = page.find("input", {"name": "manager-checked"})["value"]
    assert client.post(path, headers=EN, data=hedged).status_code == 302, "the same text again is sent"
    assert "We will try to pay you back asap." in text_of(soup(client.get(f"/s/{token}", headers=EN)))


def test_with_an_offer_waiting_for_the_customer_the_mandate_screen_says_so_first_and_shows_no_form(
        client, auth, create_complaint):
    complaint, token = create_complaint(language="en")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="voucher", amount="10", text="A voucher of 10 euros, in your mail today.")
    client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)
    page = soup(client.get(f"/agent/complaints/{complaint.reference}/mandate", headers=EN))
    notice = page.select_one("main #offer-waits")
    assert notice is not None and "An offer waits for the customer's answer since" in text_of(notice)
    assert "Voucher: €10.00" in text_of(notice) or "€10.00" in text_of(notice)
    assert "With a no they give a reason, and then you make a new offer." in text_of(notice)
    assert page.select("main form") == [], "no form that cannot be sent"
    # The mandate box comes before everything else below the notice, with what is left on this complaint.
    box = page.select_one("main #mandate")
    assert [dt.get_text(strip=True) for dt in box.select("dt")] == [
        "Most per complaint", "Left this month", "Left on this complaint", "You can offer now"]
    assert "€90.00" in text_of(box.select("dd")[2])
    # The rule itself stays in the service: a form sent anyway is refused.
    data = {"request_key": "k" * 20, "seen_counter": str(complaint.offer_counter), "remedy": "voucher",
            "amount": "5", "text": "Another voucher for you."}
    refused = client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data, headers=EN)
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count(Offer.id))) == 1
    assert "Wilt u" not in text_of(page)


def _offer_above_mandate(client, auth, complaint, amount):
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    data = offer_form(client, complaint.reference)
    data.update(remedy="refund", amount=amount, text="We pay you back the whole amount.")
    client.post(f"/agent/complaints/{complaint.reference}/mandate", data=data)
    auth.logout()
    return db.session.scalar(select(Offer).where(Offer.complaint_id == complaint.id))


@pytest.mark.parametrize("per_complaint, budget, expected", [
    (100_000, 1_000_000, None),
    (20_000, 1_000_000, "This is more than you may grant on one complaint."),
    (100_000, 10_000, "This is more than is left of your budget this month."),
], ids=["enough", "mandate too low", "budget used up"])
def test_the_sign_button_shows_only_when_the_supervisor_can_sign(client, auth, create_complaint,
                                                                 per_complaint, budget, expected):
    complaint, _ = create_complaint(language="en")
    offer = _offer_above_mandate(client, auth, complaint, "250")
    supervisor = person("supervisor")
    supervisor.mandate_per_complaint_cents, supervisor.monthly_budget_cents = per_complaint, budget
    db.session.commit()
    auth.login("supervisor")
    page = soup(client.get("/agent/cosign", headers=EN))
    box = page.select_one(f"#offer-{offer.id}")
    sign = box.find("button", string=re.compile("Sign: offer it to the customer"))
    if expected is None:
        assert sign is not None and "This fits your mandate" in text_of(box)
    else:
        assert sign is None, "no button that only leads to a refusal"
        assert "You cannot sign this." in text_of(box) and expected in text_of(box)
        assert box.find("summary", string="Do not sign") is not None, "refusing with a reason stays possible"
        # The same rule at the click: refused, and the offer still waits.
        client.post(f"/agent/offers/{offer.id}/cosign")
        db.session.refresh(offer)
        assert offer.state == "waiting_cosign"
    dutch = text_of(soup(client.get("/agent/cosign")))
    assert ("Je kunt dit niet tekenen." in dutch) == (expected is not None)


def test_the_desk_lists_co_signs_and_escalations_by_the_customers_date_with_todays_figures(
        client, auth, create_complaint):
    from portal.services import complaints as complaint_service
    from portal.services import desk

    first, _ = create_complaint(language="en")
    escalated, _ = create_complaint(language="en")
    create_complaint(language="en")
    offer = _offer_above_mandate(client, auth, first, "250")
    complaint_service.ask_for_manager(escalated, "Nobody called me back.", get_calendar())
    db.session.commit()
    calendar = get_calendar()
    team = desk.team_today(utcnow(), calendar)
    assert (team.open, team.overdue) == (3, 0)
    auth.login("supervisor")
    page = soup(client.get("/agent/desk", headers=EN))
    figures = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
               for dt in page.select("#team-today dt")}
    assert figures["Open"] == "3" and figures["Overdue"] == "0"
    items = page.select("#desk-items > li")
    assert len(items) == 2
    headings = [item.h3.get_text(" ", strip=True) for item in items]
    assert any(h.startswith("Co-sign: ") and "of €250.00, above the mandate of" in h for h in headings), headings
    assert any(h.startswith("The customer asked for a manager") and "Nobody called me back." in h for h in headings)
    for item in items:
        assert "The customer has our date:" in text_of(item)
    cosign = next(item for item in items if item.h3.get_text().startswith("Co-sign"))
    assert "This fits your mandate" in text_of(cosign)
    assert cosign.find("a", href=f"/agent/cosign#offer-{offer.id}") is not None
    # The supervisor lands on the desk after logging in; agents keep their queue.
    auth.logout()
    assert auth.login("supervisor").headers["Location"] == "/agent/desk"
    auth.logout()
    assert auth.login("agent").headers["Location"] == "/agent/"
