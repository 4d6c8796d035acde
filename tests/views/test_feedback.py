"""The questions after a complaint ended, as the customer and a mail scanner meet them (charter right 10;
seed text 004)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, SurveyAnswer
from portal.services import privacy, work
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import person

ANSWERS = {"solved": "yes", "treatment": "4", "come_back": "yes", "comment": "Thank you, Sanne."}


@pytest.fixture
def resolved(create_complaint):
    """A solved complaint (the resolution mail asked the three questions): (complaint, token)."""
    def make(language="en", **answers):
        complaint, token = create_complaint(language=language, **answers)
        agent = person("agent")
        work.claim(complaint, agent)
        work.reply(complaint, agent, "I hear you, and I passed it on to the drivers.", resolves=True)
        db.session.commit()
        assert complaint.survey_asked_at is not None
        return complaint, token
    return make


def answers_stored() -> int:
    return db.session.scalar(select(func.count(SurveyAnswer.id)))


def checked(page, name):
    chosen = page.find("input", {"name": name, "checked": True})
    return chosen["value"] if chosen else None


def test_opening_the_mail_link_as_a_scanner_does_records_nothing(app, resolved):
    _complaint, token = resolved()
    scanner = app.test_client(use_cookies=False)
    for choice in ("yes", "partly", "no"):
        assert scanner.get(f"/s/{token}/feedback?solved={choice}").status_code == 200
        assert scanner.head(f"/s/{token}/feedback?solved={choice}").status_code == 200
    assert answers_stored() == 0, "only the customer's own POST stores an answer"
    page = soup(scanner.get(f"/s/{token}/feedback?solved=no"))
    assert checked(page, "solved") == "no", "the answer the link carried is preselected"
    assert checked(page, "treatment") is None and checked(page, "come_back") is None


def test_a_forged_form_stores_nothing_and_keeps_the_answers(app, client, resolved):
    _complaint, token = resolved()
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/s/{token}/feedback", data={**ANSWERS, "csrf_token": "forged"}, headers=EN)
    assert response.status_code == 400
    page = soup(response)
    assert "We could not take this form, so nothing has changed yet." in text_of(page)
    assert checked(page, "solved") == "yes" and checked(page, "treatment") == "4"
    assert answers_stored() == 0


def test_the_customer_answers_from_the_status_page_in_english(client, resolved):
    complaint, token = resolved()
    status = soup(client.get(f"/s/{token}"))
    box = status.find(id="feedback")
    assert "Did we put it right?" in text_of(box) and "three short questions" in text_of(box)
    form_page = soup(client.get(box.find("a")["href"]))
    assert [text_of(legend) for legend in form_page.find_all("legend")] == [
        "Is your complaint solved?", "How did we treat you?", "Would you come back to us?"]
    assert "Very badly" in text_of(form_page) and "Very well" in text_of(form_page), "words, not bare numbers"
    response = client.post(f"/s/{token}/feedback", data=ANSWERS)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{token}/feedback?thanks=1")
    thanks = text_of(soup(client.get(response.headers["Location"])))
    assert "Thank you for your answer" in thanks and "Thank you, Sanne." in thanks
    assert "Do you want us to look at it again?" not in thanks, "solved: no reopen offer"
    db.session.refresh(complaint)
    assert (complaint.survey_answer.solved, complaint.survey_answer.treatment) == ("yes", 4)
    assert "Thank you for telling us how we did." in text_of(soup(client.get(f"/s/{token}")).find(id="feedback"))


def test_partly_solved_offers_to_open_it_again_with_one_sentence_in_dutch(client, resolved):
    complaint, token = resolved(language="nl")
    response = client.post(f"/s/{token}/feedback", data={**ANSWERS, "solved": "partly", "treatment": "2"})
    page = soup(client.get(response.headers["Location"]))
    offer = page.find(id="reopen")
    assert "Het is niet opgelost. Wilt u dat wij er opnieuw naar kijken?" in text_of(offer)
    form = offer.find("form")
    reopened = client.post(form["action"], data={"reopen-reason": "Het boek is nog steeds nat."})
    assert reopened.status_code == 302
    db.session.refresh(complaint)
    assert complaint.status == "in_progress" and complaint.attention_at is not None
    assert client.get(f"/s/{token}/feedback").status_code == 404, "open again: nothing to answer now"


def test_a_second_send_is_a_change_within_the_week_and_then_no_longer(client, resolved):
    complaint, token = resolved()
    client.post(f"/s/{token}/feedback", data=ANSWERS)
    again = soup(client.get(f"/s/{token}/feedback"))
    assert "We already have your answer. Thank you." in text_of(again)
    assert checked(again, "treatment") == "4", "the form shows what they answered"
    assert client.post(f"/s/{token}/feedback", data={**ANSWERS, "treatment": "5"}).status_code == 302
    assert answers_stored() == 1 and db.session.scalar(select(SurveyAnswer.treatment)) == 5
    answer = db.session.scalar(select(SurveyAnswer))
    answer.answered_at -= timedelta(days=8)
    db.session.commit()
    late = soup(client.get(f"/s/{token}/feedback"))
    assert "can no longer be changed" in text_of(late) and late.find("form") is None
    client.post(f"/s/{token}/feedback", data={**ANSWERS, "treatment": "1"})
    assert db.session.scalar(select(SurveyAnswer.treatment)) == 5


@pytest.mark.parametrize("changes, field, message", [
    ({"solved": ""}, "solved", "Choose yes, partly or no"),
    ({"solved": "perhaps"}, "solved", "Choose yes, partly or no"),
    ({"treatment": "9"}, "treatment", "Choose how we treated you"),
    ({"come_back": ""}, "come_back", "Choose one of the three answers"),
    ({"comment": "x" * 2001}, "comment", "Your answer must be 2,000 characters or less"),
])
def test_bad_answers_get_a_sentence_and_the_others_are_kept(client, resolved, changes, field, message):
    _complaint, token = resolved()
    response = client.post(f"/s/{token}/feedback", data={**ANSWERS, **changes})
    assert response.status_code == 400
    page = soup(response)
    assert message in text_of(page.find(class_="error-summary"))
    assert page.find(class_="error-summary").find("a")["href"].startswith(f"#{field}")
    for other in {"solved", "treatment", "come_back"} - {field}:
        assert checked(page, other) == ANSWERS[other], f"{other} is kept"
    if field != "comment":
        assert page.find("textarea", {"name": "comment"}).get_text() == ANSWERS["comment"]
    assert answers_stored() == 0


def test_a_bad_answer_is_told_in_dutch_too(client, resolved):
    _complaint, token = resolved(language="nl")
    page = soup(client.post(f"/s/{token}/feedback", data={**ANSWERS, "come_back": ""}))
    assert "Kies een van de drie antwoorden" in text_of(page.find(class_="error-summary"))


def test_the_page_is_the_kind_404_where_there_is_nothing_to_answer(client, create_complaint, resolved):
    assert client.get("/s/not-a-real-link/feedback").status_code == 404
    _open, open_token = create_complaint(email="open@example.com")
    assert client.get(f"/s/{open_token}/feedback").status_code == 404
    assert client.post(f"/s/{open_token}/feedback", data=ANSWERS).status_code == 404
    complaint, token = resolved(email="erased@example.com")
    privacy.anonymise(complaint)
    db.session.commit()
    response = client.get(f"/s/{token}/feedback")
    assert response.status_code == 404, "an erased complaint has no page any more"
    assert answers_stored() == 0


def test_the_owner_reads_the_answers_on_the_complaint_page(client, auth, resolved):
    complaint, token = resolved()
    client.post(f"/s/{token}/feedback", data={**ANSWERS, "solved": "no", "treatment": "2", "come_back": "maybe"})
    auth.login()
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    box = text_of(page.find(id="survey"))
    assert "What the customer said afterwards" in box
    assert "No" in box and "Badly (2/5)" in box and "I do not know yet" in box and "Thank you, Sanne." in box
    assert "The customer said how we did" in text_of(page), "in the history"
    assert complaint.reference in text_of(soup(client.get("/agent/?view=attention", headers=EN))), \
        "not solved: on the owner's list"


def test_the_admin_writes_the_sentence_that_asks(client, auth, resolved):
    from tests.views.test_admin_settings import LIFE

    auth.login("admin")
    settings = dict(name="Gehoord", contact_email="klanten@gehoord.example", contact_postal="Postbus 1, Urk",
                    default_language="nl", max_handling_weeks="6", silent_ratio="9", retention_months="24",
                    agent_idle_hours="8", **LIFE)
    hedged = client.post("/admin/organisation", headers=EN,
                         data={**settings, "survey_sentence_en": "We will probably read it."})
    assert hedged.status_code == 400 and "probably" in text_of(soup(hedged))
    saved = client.post("/admin/organisation", headers=EN,
                        data={**settings, "survey_sentence_en": "Tell us how we did: three questions."})
    assert saved.status_code == 302
    auth.logout()
    _complaint, token = resolved()
    assert "Tell us how we did: three questions." in text_of(soup(client.get(f"/s/{token}/feedback")))


def test_no_questions_after_a_withdrawal_or_for_a_compliment(client, create_complaint):
    from portal.services import complaints as complaint_service

    complaint, token = create_complaint(language="en")
    complaint_service.withdraw(complaint)
    db.session.commit()
    assert soup(client.get(f"/s/{token}")).find(id="feedback") is None
    assert client.get(f"/s/{token}/feedback").status_code == 404
    assert db.session.scalar(select(Complaint.survey_asked_at)) is None
