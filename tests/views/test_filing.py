"""Filing a complaint through the question pages, as a customer does, in Dutch and English."""
import re

import pytest
from sqlalchemy import func, select

from charter import RIGHTS
from portal.extensions import db
from portal.models import Complaint, OutboxMail
from portal.services.outbox import write_waiting
from tests.conftest import EN, soup, text_of
from tests.fixtures.complaints import STORY, walk_complaint_flow


def the_filed_mail() -> OutboxMail:
    """The confirmation mail, as the mail worker writes it before it sends it."""
    write_waiting()
    return db.session.scalar(select(OutboxMail))


def test_start_page_says_what_you_can_do_here(client):
    page = soup(client.get("/", headers={"Accept-Language": "nl"}))
    text = text_of(page)
    assert "Dien een klacht in" in text
    assert "compliment" in text
    assert "Vind mijn klacht" in text
    assert "Uw rechten" in text
    assert page.html["lang"] == "nl"


def test_the_language_switch_changes_every_word_and_remembers_it(client):
    response = client.get("/language/en?next=/rights")
    assert response.status_code == 302 and response.headers["Location"] == "/rights"
    page = soup(client.get("/rights"))
    assert page.html["lang"] == "en"
    assert "Your rights" in text_of(page)
    assert "You do not have to prove anything." in text_of(page)


def test_the_language_switch_never_sends_people_elsewhere(client):
    response = client.get("/language/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_accept_language_is_used_when_nothing_was_chosen(client):
    page = soup(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert page.html["lang"] == "en"
    assert "Make a complaint" in text_of(page)


def test_the_first_question_says_you_do_not_have_to_prove_anything(client):
    page = soup(client.get("/complaint/what-happened"))
    assert "U hoeft niets te bewijzen." in text_of(page)
    assert "Stap 1 van 4" in text_of(page)
    assert page.find("h1").find("label")["for"] == "story", "the question is the page heading"
    assert page.find("form").has_attr("novalidate")
    assert not page.find(attrs={"required": True})


def test_a_whole_complaint_gives_a_reference_dated_promises_and_a_mail(client, app):
    response = walk_complaint_flow(client)
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    text = text_of(page)
    complaint = db.session.scalar(select(Complaint))
    assert complaint.story == STORY
    assert complaint.wish_amount_cents == 2550
    assert complaint.reference in text
    assert not re.search(r"[01OIL]", complaint.reference.replace("-", ""))
    assert "Wij hebben uw klacht ontvangen" in text
    assert "bedankt voor uw feedback" not in text.lower()
    assert len(complaint.promises) == 3
    for promise in complaint.promises:
        assert promise.label_nl in text
    assert re.search(r"Uiterlijk (maandag|dinsdag|woensdag|donderdag|vrijdag) \d+ \w+ 20\d\d, 17:00", text)
    assert "fatima@example.com" in text
    mail = the_filed_mail()
    assert mail.recipient == "fatima@example.com" and complaint.reference in mail.subject
    assert "/s/" in mail.body_text and "/s/" in mail.body_html


def test_check_answers_shows_every_answer_with_a_change_link(client):
    client.post("/complaint/what-happened", data={"story": STORY, "happened_when": ""})
    client.post("/complaint/about", data={"category": "delivery"})
    client.post("/complaint/wish", data={"wish": "listen"})
    client.post("/complaint/contact", data={"name": "Jan", "email": "jan@example.com", "contact_by": "email",
                                            "language": "nl"})
    page = soup(client.get("/complaint/check"))
    text = text_of(page)
    for words in (STORY, "Bezorging", "Niets: ik wil alleen dat u het weet", "Jan", "jan@example.com", "Niet ingevuld"):
        assert words in text
    changes = [a for a in page.find_all("a") if a.get_text().startswith("Wijzig")]
    assert len(changes) >= 8
    assert all(a.find(class_="visually-hidden") for a in changes)


def test_a_change_link_returns_to_check_answers_with_the_answer_kept(client):
    walk_complaint_flow_until_check(client)
    page = soup(client.get("/complaint/wish?change=1"))
    assert page.find("input", {"value": "compensation"}).has_attr("checked")
    response = client.post("/complaint/wish?change=1", data={"wish": "explanation"})
    assert response.headers["Location"].endswith("/complaint/check")


def walk_complaint_flow_until_check(client):
    client.post("/complaint/what-happened", data={"story": STORY})
    client.post("/complaint/about", data={"category": "delivery"})
    client.post("/complaint/wish", data={"wish": "compensation", "amount": "10"})
    client.post("/complaint/contact", data={"name": "Jan", "email": "jan@example.com", "contact_by": "email",
                                            "language": "nl"})


def test_answers_are_kept_when_going_back(client):
    client.post("/complaint/what-happened", data={"story": STORY, "happened_when": "gisteren"})
    page = soup(client.get("/complaint/what-happened"))
    assert page.find("textarea", {"name": "story"}).get_text() == STORY
    assert page.find("input", {"name": "happened_when"})["value"] == "gisteren"
    back = soup(client.get("/complaint/about")).find("a", class_="back-link")
    assert back["href"] == "/complaint/what-happened"


def test_sending_twice_makes_one_complaint_and_one_mail(client):
    walk_complaint_flow_until_check(client)
    check = soup(client.get("/complaint/check"))
    key = check.find("input", {"name": "draft"})["value"]
    first = client.post("/complaint/check", data={"draft": key})
    second = client.post("/complaint/check", data={"draft": key})
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count(Complaint.id))) == 1
    assert db.session.scalar(select(func.count(OutboxMail.id))) == 1
    # The second answer still leads to the confirmation of the same complaint.
    page = text_of(soup(client.get(second.headers["Location"])))
    assert db.session.scalar(select(Complaint.reference)) in page


def test_nothing_optional_is_required(client):
    client.post("/complaint/what-happened", data={"story": STORY})
    client.post("/complaint/about", data={"category": "other"})
    client.post("/complaint/wish", data={"wish": "fix"})
    client.post("/complaint/contact", data={"name": "Jan", "email": "jan@example.com", "contact_by": "email",
                                            "language": "en"})
    page = soup(client.get("/complaint/check"))
    key = page.find("input", {"name": "draft"})["value"]
    assert client.post("/complaint/check", data={"draft": key}).status_code == 302
    complaint = db.session.scalar(select(Complaint))
    assert complaint.category is None and complaint.phone is None and complaint.language == "en"
    assert len(complaint.promises) == 3, "'something else' gets the general timeline"


def test_a_compliment_uses_the_same_door_with_a_shorter_flow(client):
    response = client.post("/compliment/message", data={"kind": "compliment", "story":
                                                        "Mo at the desk was very kind to me."})
    assert response.headers["Location"].endswith("/compliment/contact")
    response = client.post("/compliment/contact", data={"name": "Ans", "email": "ans@example.com", "contact_by":
                                                        "email", "language": "nl"})
    assert response.headers["Location"].endswith("/compliment/check")
    page = soup(client.get("/compliment/check"))
    key = page.find("input", {"name": "draft"})["value"]
    response = client.post("/compliment/check", data={"draft": key})
    complaint = db.session.scalar(select(Complaint))
    assert complaint.kind == "compliment"
    text = text_of(soup(client.get(response.headers["Location"])))
    assert "Wij hebben uw bericht ontvangen" in text
    assert "doorgegeven" in text


def test_an_answer_for_another_wish_is_forgotten_when_the_wish_changes(client):
    """Going back from 'something else' (with words and an amount) to 'fix it' leaves neither behind."""
    client.post("/complaint/what-happened", data={"story": STORY})
    client.post("/complaint/about", data={"category": "delivery"})
    client.post("/complaint/wish", data={"wish": "other", "wish_other": "Bel me op", "amount": "40"})
    # The page keeps what was typed, so the browser sends it again with the new choice.
    page = soup(client.get("/complaint/wish"))
    assert page.find("textarea", {"name": "wish_other"}).get_text() == "Bel me op"
    client.post("/complaint/wish", data={"wish": "fix", "wish_other": "Bel me op", "amount": "40"})
    client.post("/complaint/contact", data={"name": "Jan", "email": "jan@example.com", "contact_by": "email",
                                            "language": "nl"})
    check = soup(client.get("/complaint/check"))
    text = text_of(check)
    assert "Het herstellen of opnieuw doen" in text
    assert "Bel me op" not in text and "40" not in text
    key = check.find("input", {"name": "draft"})["value"]
    client.post("/complaint/check", data={"draft": key})
    complaint = db.session.scalar(select(Complaint))
    assert (complaint.wish, complaint.wish_other, complaint.wish_amount_cents) == ("fix", None, None)


def test_an_amount_is_kept_only_for_compensation_and_words_only_for_something_else(client):
    client.post("/complaint/what-happened", data={"story": STORY})
    client.post("/complaint/about", data={"category": "delivery"})
    client.post("/complaint/wish", data={"wish": "compensation", "amount": "25", "wish_other": "Bel me op"})
    client.post("/complaint/contact", data={"name": "Jan", "email": "jan@example.com", "contact_by": "email",
                                            "language": "nl"})
    text = text_of(soup(client.get("/complaint/check")))
    assert "€ 25,00" in text and "Bel me op" not in text


def test_an_amount_that_belongs_to_no_chosen_wish_gets_no_error(client):
    """The amount is only asked for compensation: a left-over word in it must not block 'fix it'."""
    response = client.post("/complaint/wish", data={"wish": "fix", "amount": "twenty"})
    assert response.status_code == 302


def test_a_whole_complaint_in_english_gives_english_pages_dates_and_mail(client, app):
    """The whole flow through the pages in English: every step, check answers, confirmation, mail."""
    from tests.mail import spelled_out

    client.get("/language/en?next=/")
    start = text_of(soup(client.get("/")))
    assert "Make a complaint" in start and "Find my complaint" in start and "Your rights" in start
    first = soup(client.get("/complaint/what-happened"))
    assert "Step 1 of 4" in text_of(first) and "You do not have to prove anything." in text_of(first)
    assert soup(client.get("/complaint/about")).find("a", class_="back-link")["href"] == "/complaint/what-happened"
    response = walk_complaint_flow(client, language="en")
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert page.html["lang"] == "en"
    text = text_of(page)
    complaint = db.session.scalar(select(Complaint))
    assert complaint.language == "en" and complaint.reference in text
    assert "We have received your complaint" in text
    assert "It is annoying when something goes wrong. Thank you for telling us." in text
    assert "We have also sent this to fatima@example.com." in text
    assert len(complaint.promises) == 3
    for promise in complaint.promises:
        assert promise.label_en in text
        assert f"By {spelled_out(promise.due_at, 'en')}" in text, "weekday, date and time, in English"
    assert re.search(r"By (Monday|Tuesday|Wednesday|Thursday|Friday) \d+ [A-Z][a-z]+ 20\d\d, 17:00", text)
    assert "Uiterlijk" not in text and "klacht" not in text.lower()
    mail = the_filed_mail()
    assert mail.language == "en" and mail.subject.startswith("We have received")
    first_promise = complaint.promises[0]
    line = f"By {spelled_out(first_promise.due_at, 'en')}: {first_promise.label_en}"
    assert line in mail.body_text
    from urllib.parse import urlsplit

    status_path = urlsplit(page.find("p", class_="status-link").find("a")["href"]).path
    status = text_of(soup(client.get(status_path)))
    assert "What we promised you" in status and "We have received your complaint" in status


@pytest.mark.parametrize("language, heading, texts", [
    ("nl", "Uw rechten", [right.title["nl"] for right in RIGHTS] + [right.text["nl"] for right in RIGHTS]),
    ("en", "Your rights", [right.title["en"] for right in RIGHTS] + [right.text["en"] for right in RIGHTS]),
])
def test_the_rights_page_shows_all_ten_rights_in_the_language(client, language, heading, texts):
    page = soup(client.get("/rights", headers={"Accept-Language": language}))
    assert page.find("h1").get_text(strip=True) == heading
    items = page.select("ol.rights > li")
    assert len(items) == 10 == len(RIGHTS)
    assert [item.find("h2").get_text(" ", strip=True).split(".")[0] for item in items] == [str(n) for n in range(1, 11)]
    text = text_of(page)
    for words in texts:
        assert words in text, words
    for right in RIGHTS:
        assert right.in_portal[language] in text


def test_the_start_page_says_how_long_it_takes_without_a_soft_word(client):
    assert "4 korte vragen. Het kost u 5 minuten." in text_of(soup(client.get("/")))
    assert "ongeveer" not in text_of(soup(client.get("/")))
    assert "about 5 minutes" not in text_of(soup(client.get("/", headers=EN)))


def test_the_reference_is_spelled_out_for_screen_readers(client):
    response = walk_complaint_flow(client)
    page = soup(client.get(response.headers["Location"]))
    reference = db.session.scalar(select(Complaint.reference))
    visible = page.find(class_="reference")
    assert visible.get_text(strip=True) == reference and visible["aria-hidden"] == "true"
    spoken = visible.find_next_sibling(class_="visually-hidden")
    left, right = reference.split("-")
    assert spoken.get_text(strip=True) == f"{' '.join(left)}, {' '.join(right)}"
    labels = [tag["aria-label"] for tag in page.find_all(attrs={"aria-label": True})]
    assert not [label for label in labels if left in label or " ".join(left) in label], \
        "no aria-label on plain text"


@pytest.mark.parametrize("kind, word_nl, word_en", [("compliment", "compliment", "compliment"),
                                                    ("suggestion", "idee", "idea")])
def test_a_compliment_or_idea_is_not_called_a_complaint_next_to_its_link(client, kind, word_nl, word_en):
    client.post("/compliment/message", data={"kind": kind, "story": "Mo at the desk was very kind to me."})
    client.post("/compliment/contact", data={"name": "Ans", "email": "ans@example.com", "contact_by": "email",
                                             "language": "en"})
    key = soup(client.get("/compliment/check")).find("input", {"name": "draft"})["value"]
    response = client.post("/compliment/check", data={"draft": key})
    # The page speaks the language the customer chose, whatever the browser says.
    text = text_of(soup(client.get(response.headers["Location"])))
    assert f"Keep this link to yourself: anyone who has it can read your {word_en}." in text
    assert "can read your complaint" not in text
    dutch = text_of(soup(client.get(response.headers["Location"].replace("/confirmation", "") + "/confirmation")))
    assert "Houd deze link" not in dutch
    mail = the_filed_mail()
    sentence = f"Keep this link to yourself: anyone who has it can read your {word_en}."
    assert sentence in mail.body_text and sentence in mail.body_html, "the mail is in the customer's language"
    assert "read your complaint" not in mail.body_text + mail.body_html


def test_find_my_complaint_gives_the_same_answer_whether_or_not_the_pair_matches(client, create_complaint):
    mine, _token = create_complaint()
    someone_else, _other = create_complaint(email="other@example.com", story="Another story about a lamp")
    pages = []
    for reference in (mine.reference, someone_else.reference, "AAAA-AAAA"):
        client.delete_cookie("session")
        response = client.post("/find", data={"reference": reference, "email": "fatima@example.com"}, headers=EN)
        assert response.status_code == 302 and response.headers["Location"].endswith("/find/sent")
        pages.append(text_of(soup(client.get("/find/sent", headers=EN))))
    assert len(set(pages)) == 1, "nothing on the page tells whether the complaint exists"
    assert "No mail yet? Look in your spam folder." in pages[0]
    assert "15 minutes" not in pages[0]
    assert db.session.scalars(select(OutboxMail.kind)).all().count("link") == 1, "only the matching pair gets a mail"


def test_back_after_sending_says_it_was_sent_with_the_reference_and_the_page(client):
    from tests.fixtures.complaints import walk_complaint_flow

    response = walk_complaint_flow(client)
    assert response.status_code == 302
    back = client.get("/complaint/check", headers=EN)  # the browser's Back button
    assert back.status_code == 200
    page = soup(back)
    complaint = db.session.scalar(select(Complaint))
    assert "You sent this already" in text_of(page) and complaint.reference in text_of(page)
    assert page.find("a", string="Go to your page")["href"].startswith("/s/")
    assert page.find("form") is None or "draft" not in str(page.find("form")), "nothing to send twice"
