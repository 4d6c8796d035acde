"""The ambassador app on a phone in a real Chromium: passed on with a thumb and without JavaScript,
and with JavaScript a lost connection loses nothing (the text stays in the browser, the installed
app shows its offline page)."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_agent_pages import log_in

pytestmark = pytest.mark.browser
WORDS = "Mijn internet valt steeds weg, en niemand belt terug."


@pytest.mark.parametrize("language,javascript", [("nl", False), ("en", False), ("nl", True), ("en", True)])
def test_a_colleague_on_a_phone_passes_on_what_they_heard(open_page, language, javascript):
    page = open_page(language, javascript=javascript)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "colleague")
    page.locator("#words").fill(WORDS)
    page.locator("label[for=where-0]").click()
    page.locator("label[for=outcome-0]").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(page.url.split("/ambassador/")[0] + "/ambassador/mine")
    expect(page.locator("main")).to_contain_text(WORDS)
    expect(page.locator(".notice")).to_contain_text(
        "We hebben geteld wat u hoorde" if language == "nl" else "We counted what you heard")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.problems


def test_without_a_connection_nothing_typed_is_lost(open_page):
    page = open_page("en")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "colleague")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)"), "the app's service worker runs"
    page.locator("#words").fill(WORDS)
    page.context.set_offline(True)
    page.goto("/ambassador/")
    expect(page.locator("h1")).to_have_text("No connection")
    page.context.set_offline(False)
    page.goto("/ambassador/")
    expect(page.locator("#words")).to_have_value(WORDS)
    page.locator("label[for=where-2]").click()
    page.locator("label[for=outcome-1]").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/ambassador/")
    expect(page.locator("#words")).to_have_value(""), "sent: the kept copy is gone"
    assert page.evaluate("fetch('/static/manifest.webmanifest').then(r => r.json()).then(m => m.start_url)") \
        == "/ambassador/"
