"""The status page in a real browser: a page kept after it was built still takes each visitor's message."""
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
