"""Bad input and faults: a polite sentence in the customer's language, linked to the field, nothing lost."""
import os
import uuid

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db
from portal.models import Complaint, Draft
from tests.conftest import EN, soup, text_of
from tests.fixtures.complaints import STORY, walk_complaint_flow


def errors_of(page) -> list[str]:
    """The error summary's messages, each checked to link to a field that shows the same message."""
    summary = page.find(class_="error-summary")
    assert summary is not None, "an error summary at the top"
    messages = []
    for link in summary.find_all("a"):
        target = link["href"].lstrip("#")
        assert page.find(id=target) is not None, f"the summary links to #{target}"
        field_id = target.removesuffix("-0")  # radios: the link goes to the first choice
        assert link.get_text(strip=True) in text_of(page.find(id=f"{field_id}-error")), "shown at the field too"
        messages.append(link.get_text(strip=True))
    return messages


@pytest.mark.parametrize("story, message", [
    ("", "Tell us what happened"),
    ("   \n\t ", "Tell us what happened"),
    ("Too short", "Tell us a little more: at least 10 characters"),
    ("x" * 5001, "What happened must be 5,000 characters or less"),
])
def test_the_story_must_be_between_10_and_5000_characters(client, story, message):
    response = client.post("/complaint/what-happened", data={"story": story}, headers=EN)
    assert response.status_code == 200
    page = soup(response)
    assert errors_of(page) == [message]
    assert page.title.string.startswith("Error:")
    assert page.find("textarea", {"name": "story"}).get_text() == story.strip() or story.strip() == ""
    assert page.find("textarea", {"name": "story"})["aria-describedby"].count("story-error") == 1


def test_a_story_of_exactly_5000_characters_is_accepted(client):
    response = client.post("/complaint/what-happened", data={"story": "x" * 5000})
    assert response.status_code == 302


def test_errors_are_in_dutch_by_default(client):
    page = soup(client.post("/complaint/what-happened", data={"story": ""}))
    assert errors_of(page) == ["Vertel wat er is gebeurd"]
    assert page.title.string.startswith("Fout:")


def test_control_characters_are_removed_but_line_breaks_stay(client, app):
    story = "First line\x00 of my story\r\nSecond line\x1b[31m in red"
    client.post("/complaint/what-happened", data={"story": story})
    draft = db.session.scalar(select(Draft))
    assert draft.data["story"] == "First line of my story\nSecond line[31m in red"


def test_choosing_nothing_gets_an_error_for_each_question(client):
    assert errors_of(soup(client.post("/complaint/about", data={}, headers=EN))) == [
        "Select what your complaint is about"]
    assert errors_of(soup(client.post("/complaint/wish", data={}, headers=EN))) == [
        "Select what you would like us to do"]


def test_a_category_that_does_not_exist_is_refused(client):
    page = soup(client.post("/complaint/about", data={"category": "../admin"}, headers=EN))
    assert errors_of(page) == ["Select what your complaint is about"]


@pytest.mark.parametrize("amount, ok", [("25", True), ("25,50", True), ("€ 1.250,00", True),
                                         ("twenty", False), ("-5", False), ("2000000", False)])
def test_an_amount_is_a_number_in_euros(client, amount, ok):
    response = client.post("/complaint/wish", data={"wish": "compensation", "amount": amount}, headers=EN)
    assert (response.status_code == 302) is ok
    if not ok:
        page = soup(response)
        assert errors_of(page)[0].startswith(("Enter the amount", "The amount must be"))
        assert page.find("input", {"name": "amount"})["value"] == amount


def test_something_else_asks_what(client):
    page = soup(client.post("/complaint/wish", data={"wish": "other", "wish_other": ""}, headers=EN))
    assert errors_of(page) == ["Tell us what you would like us to do"]


@pytest.mark.parametrize("email", ["fatima", "fatima@", "@example.com", "fatima example@example.com",
                                   "a" * 250 + "@example.com"])
def test_an_email_address_must_look_like_one(client, email):
    page = soup(client.post("/complaint/contact", headers=EN, data={
        "name": "Fatima", "email": email, "contact_by": "email", "language": "en"}))
    assert errors_of(page)[0] in ("Enter an email address in the correct format, like name@example.com",
                                  "Your email address must be 254 characters or less")
    assert page.find("input", {"name": "email"})["value"] == email


def test_contact_by_phone_needs_a_phone_number(client):
    page = soup(client.post("/complaint/contact", headers=EN, data={
        "name": "Fatima", "email": "f@example.com", "contact_by": "phone", "language": "en"}))
    assert errors_of(page) == ["Enter a phone number, or choose to be contacted by email"]


def test_all_errors_on_a_page_are_listed_in_the_order_of_the_fields(client):
    page = soup(client.post("/complaint/contact", headers=EN, data={"email": "nope"}))
    assert errors_of(page) == ["Enter your name", "Enter an email address in the correct format, like name@example.com"]


def test_skipping_to_check_answers_sends_you_to_the_first_open_question(client):
    response = client.get("/complaint/check")
    assert response.headers["Location"].endswith("/complaint/what-happened")
    client.post("/complaint/what-happened", data={"story": STORY})
    response = client.get("/complaint/check")
    assert response.headers["Location"].endswith("/complaint/about")


def test_an_unknown_draft_files_nothing(client):
    response = client.post("/complaint/check", data={"draft": "made-up"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Complaint.id))) == 0


def test_unknown_flows_and_steps_are_a_kind_404(client):
    for url in ("/complaint/nope", "/nope/what-happened", "/s/", "/compliment/wish"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Wij kunnen deze pagina niet vinden" in text_of(soup(response))


def test_a_wrong_method_gets_a_page_not_a_crash(client):
    response = client.delete("/complaint/what-happened")
    assert response.status_code == 405
    soup(response)


@pytest.fixture
def csrf_app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


REFUSED = "We could not take this form, so nothing has changed yet."


def test_a_forged_form_shows_the_question_again_with_what_was_typed(csrf_app_config, app, client):
    response = client.post("/complaint/what-happened", headers=EN,
                           data={"story": STORY, "happened_when": "yesterday", "csrf_token": "forged"})
    assert response.status_code == 400
    page = soup(response)
    text = text_of(page)
    assert REFUSED in text and "What you typed is still here: check it and send it again." in text
    assert "limited time" not in text, "no time limit applies: the page does not claim one"
    assert "Traceback" not in text and "CSRF" not in text
    assert page.find("textarea", {"name": "story"}).get_text() == STORY
    assert page.find("input", {"name": "happened_when"})["value"] == "yesterday"
    assert db.session.scalar(select(func.count(Draft.key))) == 0
    # The page carries a fresh token: sending it again works.
    token = page.find("input", {"name": "csrf_token"})["value"]
    again = client.post("/complaint/what-happened", data={"story": STORY, "csrf_token": token})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(Draft.key))) == 1


def test_a_forged_form_in_dutch_says_so_in_dutch(csrf_app_config, app, client):
    response = client.post("/complaint/what-happened", data={"story": STORY})
    assert response.status_code == 400
    assert "Wij konden dit formulier niet aannemen" in text_of(soup(response))


def test_a_form_refused_without_a_page_to_show_again_still_keeps_what_was_typed(csrf_app_config, app, client):
    """Check answers with no draft in the session: no page to show again, so the words are shown."""
    response = client.post("/complaint/check", data={"draft": "x"}, headers=EN)
    assert response.status_code == 400
    text = text_of(soup(response))
    assert "We could not take this form" in text and "Nothing has changed yet." in text
    assert "limited time" not in text


def test_with_the_token_from_the_page_the_form_works(csrf_app_config, app, client):
    page = soup(client.get("/complaint/what-happened"))
    token = page.find("input", {"name": "csrf_token"})["value"]
    response = client.post("/complaint/what-happened", data={"story": STORY, "csrf_token": token})
    assert response.status_code == 302


STORAGES = ["memory://"] + ([os.environ["TEST_REDIS_URL"]] if os.environ.get("TEST_REDIS_URL") else [])


@pytest.fixture(params=STORAGES, ids=lambda url: url.split(":")[0])
def limited_app_config(app_config, request):
    """Limits in memory (one server) and, when TEST_REDIS_URL is set, in Redis (several servers)."""
    if request.param.startswith("redis"):
        # The limiter is one object for the whole process and keeps the key prefix it was first
        # given, so counts of an earlier test would stay in the (test-only) Redis database.
        import redis

        redis.Redis.from_url(request.param).flushdb()
    app_config.update(RATELIMIT_ENABLED=True, FILING_LIMIT="2 per hour", FIND_LIMIT="2 per hour",
                      RATELIMIT_STORAGE_URI=request.param, RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    return app_config


def test_filing_is_rate_limited_with_a_polite_page(limited_app_config, app, client):
    for _ in range(2):
        walk_complaint_flow(client)
    response = walk_complaint_flow(client)
    assert response.status_code == 429
    text = text_of(soup(response))
    assert "U heeft veel verstuurd in korte tijd" in text
    assert db.session.scalar(select(func.count(Complaint.id))) == 2
    # The two filed drafts went with their filing; the refused one stays.
    assert db.session.scalar(select(func.count(Draft.key))) == 1, "the last answers are kept, not lost"


def shown_moments(seconds_from_now: float, language: str) -> set[str]:
    """How the 429 page writes a moment about this far ahead (it rounds up to a whole minute)."""
    from datetime import datetime, timedelta, timezone

    from babel.dates import format_datetime

    moment = datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)
    return {format_datetime(moment + timedelta(minutes=extra), "EEEE d MMMM y, HH:mm",
                            tzinfo="Europe/Amsterdam", locale=language) for extra in (-1, 0, 1, 2)}


def test_the_limit_page_says_when_you_can_send_again_within_the_hour(limited_app_config, app, client):
    data = {"reference": "AAAA-AAAA", "email": "a@example.com"}
    for _ in range(2):
        client.post("/find", data=data, headers=EN)
    response = client.post("/find", data=data, headers=EN)
    assert response.status_code == 429
    text = text_of(soup(response))
    assert "You can send it again from" in text
    assert any(moment in text for moment in shown_moments(3600, "en")), text


def test_the_limit_page_tells_the_day_when_the_day_limit_applies(limited_app_config, app, client):
    app.config["FIND_LIMIT"] = "10 per hour;2 per day"
    data = {"reference": "AAAA-AAAA", "email": "a@example.com"}
    for _ in range(2):
        client.post("/find", data=data)
    response = client.post("/find", data=data)
    assert response.status_code == 429
    text = text_of(soup(response))
    assert "over een uur" not in text.lower() and "in an hour" not in text.lower()
    assert "U kunt het opnieuw versturen vanaf" in text
    assert any(moment in text for moment in shown_moments(24 * 3600, "nl")), text


def test_when_hour_and_day_are_both_used_up_the_later_moment_is_told(limited_app_config, app, client):
    app.config["FIND_LIMIT"] = "2 per hour;2 per day"
    data = {"reference": "AAAA-AAAA", "email": "a@example.com"}
    for _ in range(2):
        client.post("/find", data=data, headers=EN)
    text = text_of(soup(client.post("/find", data=data, headers=EN)))
    assert any(moment in text for moment in shown_moments(24 * 3600, "en")), text


def test_answers_on_question_pages_are_rate_limited_so_drafts_cannot_pile_up(limited_app_config, app, client):
    app.config["QUESTION_LIMIT"] = "3 per hour"
    for _ in range(3):
        client.delete_cookie("session")  # a visitor without a session: every answer starts a draft
        assert client.post("/complaint/what-happened", data={"story": STORY}).status_code == 302
    client.delete_cookie("session")
    response = client.post("/compliment/message", data={"kind": "compliment", "story": STORY}, headers=EN)
    assert response.status_code == 429
    assert "You have sent a lot in a short time" in text_of(soup(response))
    assert db.session.scalar(select(func.count(Draft.key))) == 3
    assert client.get("/complaint/what-happened").status_code == 200, "reading a question is not limited"


def test_the_question_limit_is_generous_by_default(app):
    from limits import parse_many

    hourly = [item for item in parse_many(app.config["QUESTION_LIMIT"]) if item.GRANULARITY.name == "hour"]
    assert hourly and hourly[0].amount >= 100, "a few complaints an hour with some corrections fit easily"


def test_find_my_complaint_is_rate_limited(limited_app_config, app, client):
    data = {"reference": "AAAA-AAAA", "email": "a@example.com"}
    assert [client.post("/find", data=data).status_code for _ in range(3)] == [302, 302, 429]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    from portal import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_every_page_carries_the_security_headers(client):
    for url in ("/", "/complaint/what-happened", "/nope"):
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_the_session_cookie_is_http_only_and_same_site(client):
    client.post("/complaint/what-happened", data={"story": STORY})
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_a_filled_honeypot_gets_a_plain_error_and_no_filing(client):
    page = soup(client.post("/complaint/contact", headers=EN, data={
        "name": "Bot", "email": "bot@example.com", "contact_by": "email", "language": "en",
        "website": "http://spam.example"}))
    assert errors_of(page) == ["Leave the field 'Website' empty"]
    assert not page.find("input", {"name": "website"}).find_parent(attrs={"aria-hidden": "true"}), \
        "shown to the person, who can empty it"
    fresh = soup(client.get("/complaint/contact")).find("input", {"name": "website"})
    assert fresh["tabindex"] == "-1" and fresh.find_parent(attrs={"aria-hidden": "true"}), "hidden from people"


def test_too_many_open_complaints_from_one_address_get_a_polite_page(app_config, app, client, create_complaint):
    app.config["MAX_OPEN_PER_EMAIL"] = 2
    for _ in range(2):
        create_complaint(email="Busy@Example.com")
    response = walk_complaint_flow(client, email="busy@example.com")
    assert response.status_code == 429
    text = text_of(soup(response))
    assert "U heeft al 2 klachten bij ons openstaan" in text
    assert db.session.scalar(select(func.count(Complaint.id))) == 2
    assert db.session.scalar(select(func.count(Draft.key))) >= 1, "what they typed is kept"


def test_a_database_that_is_briefly_gone_loses_nothing_typed(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from portal.services import filing as service

    def database_gone(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("could not connect to server"))

    monkeypatch.setattr(service, "save_answers", database_gone)
    response = client.post("/complaint/what-happened", headers=EN,
                           data={"story": "My <b>parcel</b> never came, third time now."})
    assert response.status_code == 503
    page = soup(response)
    assert "The portal is busy for a moment" in text_of(page)
    assert "My <b>parcel</b> never came, third time now." in text_of(page), "shown as text, to copy"
    assert db.session.scalar(select(func.count(Draft.key))) == 0, "nothing half-written"


def public_posts(client, create_complaint):
    """Every form a customer sends, with what it would change if it were taken."""
    complaint, token = create_complaint()
    walk_complaint_flow_to_check(client)
    key = soup(client.get("/complaint/check")).find("input", {"name": "draft"})["value"]
    return complaint, {
        "check": ("/complaint/check", {"draft": key}),
        "status message": (f"/s/{token}", {"body": "My receipt number is 4411."}),
        "contact": (f"/s/{token}/contact", {"name": "Fatima", "email": "new@example.com",
                                            "contact_by": "email", "language": "en"}),
        "withdraw": (f"/s/{token}/withdraw", {}),
        "manager": (f"/s/{token}/manager", {"reason": "Nobody called me back."}),
        "find": ("/find", {"reference": complaint.reference, "email": "fatima@example.com"}),
    }


def walk_complaint_flow_to_check(client):
    client.post("/complaint/what-happened", data={"story": STORY})
    client.post("/complaint/about", data={"category": "delivery"})
    client.post("/complaint/wish", data={"wish": "listen"})
    client.post("/complaint/contact", data={"name": "Jan", "email": "jan@example.com",
                                            "contact_by": "email", "language": "nl"})


@pytest.mark.parametrize("form", ["check", "status message", "contact", "withdraw", "manager", "find"])
def test_every_public_form_refuses_a_forged_token_politely_and_changes_nothing(app, client, create_complaint, form):
    from portal.models import Event, Message, OutboxMail, StatusLink

    complaint, posts = public_posts(client, create_complaint)
    url, data = posts[form]
    before = (db.session.scalar(select(func.count(Complaint.id))), db.session.scalar(select(func.count(Event.id))),
              db.session.scalar(select(func.count(Message.id))), db.session.scalar(select(func.count(OutboxMail.id))),
              db.session.scalar(select(func.count(StatusLink.id))))
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(url, data={**data, "csrf_token": "forged"}, headers=EN)
    assert response.status_code == 400, form
    page = soup(response)
    text = text_of(page)
    assert "We could not take this form" in text, text
    assert "CSRF" not in text and "Traceback" not in text and "limited time" not in text
    for value in data.values():
        if value and form != "check":
            assert value in str(page), f"{form}: what was typed ({value!r}) is still on the page"
    db.session.expire_all()
    after = (db.session.scalar(select(func.count(Complaint.id))), db.session.scalar(select(func.count(Event.id))),
             db.session.scalar(select(func.count(Message.id))), db.session.scalar(select(func.count(OutboxMail.id))),
             db.session.scalar(select(func.count(StatusLink.id))))
    assert after == before, f"{form}: nothing written"
    complaint = db.session.get(Complaint, complaint.id)
    assert (complaint.status, complaint.email, complaint.escalated_at) == ("received", "fatima@example.com", None)
