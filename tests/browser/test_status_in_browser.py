"""The status page in a real browser: a page kept after it was built still takes each visitor's message."""
import uuid

import pytest
from playwright.sync_api import expect

from portal.services import filing
from portal.extensions import db
from portal.services.organisation import get_calendar
from tests.browser.conftest import navigate
from tests.fixtures.complaints import answers

pytestmark = pytest.mark.browser


@pytest.fixture
def status_path(live_app):
    with live_app.app_context():
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(email="kept.page@example.com"))
        filed = filing.file_draft(draft, calendar=get_calendar())
        db.session.commit()
        return f"/s/{filed.token}"


def test_two_visitors_of_a_kept_status_page_each_send_a_message(open_page, status_path):
    first = open_page("nl", javascript=False)
    second = open_page("en")
    for page in (first, second, first, second):  # the second visit of each is a kept page
        page.goto(status_path)
    expect(first.locator("main")).to_contain_text("Nog geen berichten.")
    # The page speaks the language the complaint was filed in, even to an English browser; the
    # second visitor switches, and the choice holds on the kept page.
    expect(second.locator("html")).to_have_attribute("lang", "nl")
    navigate(second, second.locator(".header__language").get_by_role("link", name="English").click)
    expect(second.locator("html")).to_have_attribute("lang", "en")

    second.get_by_label("Add information or reply").fill("The receipt number is 4411.")
    navigate(second, second.get_by_role("button", name="Send message").click)
    expect(second.locator(".thread")).to_contain_text("The receipt number is 4411.")

    first.goto(status_path)
    expect(first.locator(".thread")).to_contain_text("The receipt number is 4411.")
    first.get_by_label("Iets toevoegen of reageren").fill("En de foto stuur ik morgen.")
    navigate(first, first.get_by_role("button", name="Verstuur bericht").click)
    expect(first.locator(".thread")).to_contain_text("En de foto stuur ik morgen.")
    second.goto(status_path)
    expect(second.locator(".thread")).to_contain_text("En de foto stuur ik morgen.")
    assert first.problems == [] and second.problems == []


@pytest.fixture
def solved_path(live_app):
    """A complaint the owner solved with an answer: the resolution mail asked the three questions."""
    from portal.services import work
    from tests.fixtures.people import person

    with live_app.app_context():
        draft = filing.start_draft("complaint")
        # Each test its own address: an address is asked at most once in 30 days.
        filing.save_answers(draft, answers(email=f"asked.once.{uuid.uuid4().hex[:8]}@example.com", language="en"))
        filed = filing.file_draft(draft, calendar=get_calendar())
        agent = person("agent")
        work.claim(filed.complaint, agent)
        work.reply(filed.complaint, agent, "I hear you, and I passed it on to the drivers.", resolves=True)
        db.session.commit()
        return f"/s/{filed.token}"


@pytest.mark.parametrize("javascript", [False, True])
def test_the_customer_answers_the_three_questions_with_the_keyboard(open_page, solved_path, javascript):
    page = open_page("en", javascript=javascript)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{solved_path}/feedback?solved=no")  # as from the mail's "No" link
    expect(page.get_by_role("radio", name="No").first).to_be_checked()
    page.get_by_role("group", name="Is your complaint solved?").get_by_role("radio", name="Partly").focus()
    page.keyboard.press("Space")
    page.get_by_role("radio", name="Badly", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("group", name="Would you come back to us?").get_by_role("radio", name="I do not know yet").check()
    page.get_by_label("Anything else you want to tell us? (optional)").fill("The book is still wet.")
    page.get_by_role("button", name="Send my answers").focus()
    navigate(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("h1")).to_have_text("Thank you for your answer")
    expect(page.locator("#answers")).to_contain_text("Partly")
    expect(page.locator("#answers")).to_contain_text("The book is still wet.")
    page.get_by_label("Why do you want to open it again?").fill("The book is still wet, and I need it.")
    navigate(page, page.get_by_role("button", name="Open it again").click)
    expect(page.locator("h1")).to_have_text("A person is working on your complaint")
    assert page.problems == []
