"""The status page behind the secret link: where it stands, the promises, messages and what you can do."""
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, Message, OutboxMail, Promise, StatusLink
from tests.conftest import EN, soup, text_of


def status_text(client, token, query="", **headers) -> str:
    response = client.get(f"/s/{token}{query}", headers=headers)
    assert response.status_code == 200
    return text_of(soup(response))


def test_the_status_page_says_where_it_stands_with_dated_promises(client, create_complaint):
    complaint, token = create_complaint()
    text = status_text(client, token)
    assert complaint.reference in text
    assert "Wij hebben uw klacht ontvangen" in text
    assert "Wat wij u beloofden" in text
    for promise in complaint.promises:
        assert promise.label_nl in text
    assert "Uw verhaal" in text and complaint.story in text
    assert "Nog geen berichten." in text


def test_the_status_page_says_what_this_category_can_and_cannot_do_and_where_to_go(client, create_complaint):
    complaint, token = create_complaint(category="delivery")
    text = status_text(client, token)
    assert complaint.category.can_do_nl in text
    assert complaint.category.cannot_do_nl in text
    assert "Als u het niet met ons eens bent" in text


def test_the_status_page_speaks_english_when_asked(client, create_complaint):
    complaint, token = create_complaint(language="en")
    text = status_text(client, token, **EN)
    assert "What we promised you" in text
    for promise in complaint.promises:
        assert promise.label_en in text


def test_the_token_is_stored_only_as_a_hash(create_complaint):
    _complaint, token = create_complaint()
    assert len(token) >= 22, "at least 128 random bits"
    hashes = db.session.scalars(select(StatusLink.token_hash)).all()
    assert token not in hashes and all(token not in h for h in hashes)


def test_an_unknown_or_malformed_link_gets_a_kind_404_page(client):
    for token in ("nope", "x" * 500, "%00", "..%2F..%2Fetc"):
        response = client.get(f"/s/{token}")
        assert response.status_code == 404
        page = soup(response)
        assert "Wij kunnen deze pagina niet vinden" in text_of(page)
        assert page.find("a", href="/find"), "the 404 page points to 'find my complaint'"


def test_the_customer_adds_information_and_sees_it_in_the_thread(client, create_complaint):
    _complaint, token = create_complaint()
    response = client.post(f"/s/{token}", data={"body": "The receipt number is 4411.\x07"})
    assert response.status_code == 302
    text = status_text(client, token, "?sent=1")
    assert "The receipt number is 4411." in text
    assert "Wij hebben uw bericht ontvangen" in text
    message = db.session.scalar(select(Message))
    assert message.body == "The receipt number is 4411.", "control characters are removed"


def test_an_empty_message_gets_a_polite_error_linked_to_the_field(client, create_complaint):
    _complaint, token = create_complaint()
    response = client.post(f"/s/{token}", data={"body": "   "})
    assert response.status_code == 200
    page = soup(response)
    summary = page.find(class_="error-summary")
    assert summary and "Schrijf uw bericht" in text_of(summary)
    assert summary.find("a", href="#body")
    assert page.title.string.startswith("Fout:")
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_a_message_that_is_too_long_is_refused_and_kept(client, create_complaint):
    _complaint, token = create_complaint()
    body = "a" * 5001
    page = soup(client.post(f"/s/{token}", data={"body": body}))
    assert "hoogstens 5.000 tekens" in text_of(page)
    assert page.find("textarea", {"name": "body"}).get_text() == body, "what they typed is kept"


def test_script_in_the_story_shows_as_text(client, create_complaint):
    _complaint, token = create_complaint(story="<script>alert('hi')</script> and my parcel is gone",
                                         name="<b>Eve</b>")
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;" in html


def test_changing_how_we_reach_you(client, create_complaint):
    complaint, token = create_complaint()
    page = soup(client.get(f"/s/{token}/contact"))
    assert page.find("input", {"name": "email"})["value"] == "fatima@example.com"
    response = client.post(f"/s/{token}/contact", data={
        "name": "Fatima el Amrani", "email": "f.elamrani@example.com", "phone": "06 12345678",
        "contact_by": "phone", "language": "en"})
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert (complaint.email, complaint.phone, complaint.contact_by, complaint.language) == (
        "f.elamrani@example.com", "06 12345678", "phone", "en")
    assert response.headers["Location"].endswith("?changed=1")
    text = status_text(client, token, "?changed=1", **EN)
    assert "We have saved your new details." in text


def test_changing_contact_details_checks_them_and_keeps_what_was_typed(client, create_complaint):
    _complaint, token = create_complaint()
    page = soup(client.post(f"/s/{token}/contact", data={
        "name": "Fatima", "email": "not-an-address", "contact_by": "phone", "language": "nl"}))
    text = text_of(page)
    assert "Vul een e-mailadres in" in text
    assert page.find("input", {"name": "email"})["value"] == "not-an-address"


def test_withdrawing_asks_first_then_ends_the_promises_and_confirms_by_mail(client, create_complaint):
    complaint, token = create_complaint()
    page = soup(client.get(f"/s/{token}/withdraw"))
    assert "Wilt u het intrekken?" in text_of(page)
    assert complaint.status == "received", "opening the page withdraws nothing"
    assert client.post(f"/s/{token}/withdraw").status_code == 302
    db.session.refresh(complaint)
    assert complaint.status == "withdrawn"
    text = status_text(client, token)
    assert "ingetrokken" in text.lower()
    assert not soup(client.get(f"/s/{token}")).find("textarea", {"name": "body"}), "no replies once withdrawn"
    assert {p.state for p in complaint.promises} == {"ended"}, "its promises end, none is missed"
    kinds = db.session.scalars(select(OutboxMail.kind)).all()
    assert kinds.count("withdrawn") == 1
    # A second post (a double click, an old tab) changes nothing and sends no second mail.
    client.post(f"/s/{token}/withdraw")
    assert db.session.scalars(select(OutboxMail.kind)).all().count("withdrawn") == 1


def test_a_message_to_a_withdrawn_complaint_is_refused_politely_and_kept(client, create_complaint):
    _complaint, token = create_complaint()
    client.post(f"/s/{token}/withdraw")
    # Sent from a tab that was still open from before the withdrawal.
    response = client.post(f"/s/{token}", data={"body": "One more thing about my parcel"})
    assert response.status_code == 409
    page = soup(response)
    assert "ingetrokken" in text_of(page.find(class_="error-summary"))
    assert page.find("textarea", {"name": "body"}).get_text() == "One more thing about my parcel"
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_asking_for_a_manager_gives_a_dated_promise(client, create_complaint):
    complaint, token = create_complaint()
    before = len(complaint.promises)
    assert client.post(f"/s/{token}/manager", data={"reason": "Nobody has called me back."}).status_code == 302
    db.session.refresh(complaint)
    assert complaint.escalated_at is not None
    assert complaint.escalation_reason == "Nobody has called me back."
    assert len(complaint.promises) == before + 1
    manager_promise = complaint.promises[-1]
    assert manager_promise.due_at > complaint.escalated_at
    text = status_text(client, token)
    assert manager_promise.label_nl in text
    assert "U vroeg op" in text, "the page says it was asked, not the link again"
    # Asking twice does not add a second promise.
    client.post(f"/s/{token}/manager", data={"reason": "again"})
    db.session.refresh(complaint)
    assert len(complaint.promises) == before + 1


def test_a_compliment_has_no_manager_link(client, create_complaint):
    _complaint, token = create_complaint(kind="compliment")
    page = soup(client.get(f"/s/{token}"))
    assert not page.find("a", href=f"/s/{token}/manager")


def test_the_confirmation_can_be_saved_as_a_text_file(client, create_complaint):
    complaint, token = create_complaint()
    response = client.get(f"/s/{token}/copy.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert complaint.reference in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert complaint.reference in text and f"/s/{token}" in text
    for promise in complaint.promises:
        assert promise.label_nl in text


def test_status_pages_are_never_cached_and_leak_no_referrer(client, create_complaint):
    _complaint, token = create_complaint()
    response = client.get(f"/s/{token}")
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_each_complaint_has_its_own_link(client, create_complaint):
    first, first_token = create_complaint(story="The first story about a late parcel")
    second, second_token = create_complaint(story="The second story about a broken lamp")
    assert first.reference != second.reference
    assert "broken lamp" not in status_text(client, first_token)
    assert "late parcel" not in status_text(client, second_token)
    assert db.session.scalar(select(func.count(Complaint.id))) == 2


def test_a_forged_status_page_message_shows_the_page_again_with_the_message_kept(app, client, create_complaint):
    _complaint, token = create_complaint(language="en")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/s/{token}", data={"body": "My receipt number is 4411.", "csrf_token": "forged"},
                           headers=EN)
    assert response.status_code == 400
    page = soup(response)
    text = text_of(page)
    assert "We could not take this form, so nothing has changed yet." in text
    assert "limited time" not in text
    assert page.find("textarea", {"name": "body"}).get_text() == "My receipt number is 4411."
    assert "What we promised you" in text, "the whole status page, not a dead end"
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_without_a_contact_person_the_page_says_by_when_you_hear_who_it_is(client, create_complaint):
    from tests.mail import spelled_out

    complaint, token = create_complaint()
    first = min(complaint.promises, key=lambda p: p.due_at)
    text = status_text(client, token, **EN)  # the customer chose Dutch: an English browser reads Dutch
    assert f"Uiterlijk {spelled_out(first.due_at, 'nl')} hoort u wie dat is." in text
    assert "zodra iemand" not in text, "no promise without a date"
    ann, english_token = create_complaint(language="en", email="ann@example.com")
    english = status_text(client, english_token)  # and a Dutch browser reads an English customer's page in English
    first = min(ann.promises, key=lambda p: p.due_at)
    assert f"By {spelled_out(first.due_at, 'en')} you hear who it is." in english


def test_the_contact_person_date_is_the_first_promise_still_open(client, create_complaint):
    from tests.mail import spelled_out

    complaint, token = create_complaint(language="en")
    first, second = sorted(complaint.promises, key=lambda p: p.due_at)[:2]
    first.state = "missed"
    db.session.commit()
    text = status_text(client, token, **EN)
    assert f"By {spelled_out(second.due_at, 'en')} you hear who it is." in text


def test_the_manager_page_says_the_date_the_manager_contacts_you_by(client, create_complaint):
    from portal.services.organisation import get_calendar
    from portal.services.timelines import MANAGER_STEP
    from portal.models import utcnow
    from tests.mail import spelled_out

    _complaint, token = create_complaint(language="en")
    before = utcnow()
    page = text_of(soup(client.get(f"/s/{token}/manager", headers=EN)))
    expected = get_calendar().add(before, MANAGER_STEP["offset_amount"], MANAGER_STEP["offset_unit"])
    assert f"Ask now, and the manager contacts you by {spelled_out(expected, 'en')}." in page
    assert "within 2 working days" not in page
    client.post(f"/s/{token}/manager", data={"reason": ""})
    promise = db.session.scalar(select(Promise).where(Promise.key == "manager"))
    assert promise.due_at == expected, "the page told the date the promise got"


def test_withdrawing_is_asked_in_plain_dutch(client, create_complaint):
    _complaint, token = create_complaint()
    text = text_of(soup(client.get(f"/s/{token}/withdraw")))
    assert "ter bevestiging" not in text
    assert "U krijgt een mail waarin staat dat u het heeft ingetrokken." in text


def test_a_closed_complaint_shows_why_when_we_wrote_it_down(client, create_complaint):
    complaint, token = create_complaint(language="en")
    complaint.status, complaint.close_reason = "closed", "We heard nothing from you for 8 weeks."
    db.session.commit()
    text = status_text(client, token, **EN)
    assert "Below you see why." in text
    assert "Why we stopped" in text and "We heard nothing from you for 8 weeks." in text


def test_a_closed_complaint_without_a_reason_does_not_point_to_one(client, create_complaint):
    complaint, token = create_complaint(language="en")
    complaint.status = "closed"
    db.session.commit()
    text = status_text(client, token, **EN)
    assert "Below you see why" not in text and "Why we stopped" not in text
    assert "Do you want to know why? Contact us in one of the ways below." in text


def test_the_customer_asks_to_erase_their_details_and_an_admin_erases_them(client, auth, create_complaint):
    complaint, token = create_complaint(story="My neighbour Jan saw the driver throw it.", language="en")
    status = soup(client.get(f"/s/{token}", headers=EN))
    assert status.find("a", string="Erase my personal details")["href"] == f"/s/{token}/erase"
    page = text_of(soup(client.get(f"/s/{token}/erase", headers=EN)))
    assert "Do you want us to erase your personal details?" in page
    assert complaint.erasure_requested_at is None, "opening the page asks nothing yet"

    response = client.post(f"/s/{token}/erase", headers=EN)
    assert response.status_code == 302
    text = status_text(client, token, "?erase=1", **EN)
    assert "We have received your request. A person checks it and erases your details." in text
    assert "You asked us to erase your personal details on" in text
    assert "You asked us to erase your personal details" in text.split("What has happened so far")[1]
    db.session.refresh(complaint)
    asked = complaint.erasure_requested_at
    assert asked is not None and complaint.status == "received", "the complaint keeps working until then"
    # A second post (a double click, an old tab) changes nothing.
    client.post(f"/s/{token}/erase")
    db.session.refresh(complaint)
    assert complaint.erasure_requested_at == asked

    # The admin sees the request and erases: the story and the address are gone, the link opens nothing.
    auth.login("admin")
    assert complaint.reference in text_of(soup(client.get("/admin/erasure")))
    assert client.post(f"/admin/erasure/{complaint.id}/confirm").status_code == 302
    db.session.refresh(complaint)
    assert "Jan" not in (complaint.story or "") and complaint.email != "fatima@example.com"
    assert client.get(f"/s/{token}").status_code == 404


def test_asking_to_erase_is_said_in_dutch_too(client, create_complaint):
    _complaint, token = create_complaint()
    assert "Wis mijn persoonlijke gegevens" in status_text(client, token)
