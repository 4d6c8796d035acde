"""A customer files a complaint in a real browser and follows it: keyboard, no JavaScript, two languages."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fill_complaint, navigate

pytestmark = pytest.mark.browser

STORY_NL = "Het pakket stond in de regen. Het boek erin is helemaal kapot."
STORY_EN = "The parcel was left in the rain and the book inside is ruined."
REFERENCE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")  # no 0, O, 1, I or L
WORKDAYS = {"nl": "maandag|dinsdag|woensdag|donderdag|vrijdag",
            "en": "Monday|Tuesday|Wednesday|Thursday|Friday"}
MONTHS = {"nl": "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december",
          "en": "January|February|March|April|May|June|July|August|September|October|November|December"}
BY = {"nl": "Uiterlijk", "en": "By"}


def dated_promise(language: str) -> re.Pattern:
    """'Uiterlijk dinsdag 24 november 2026, 17:00': a working day, a date and a time."""
    return re.compile(rf"^{BY[language]} ({WORKDAYS[language]}) \d{{1,2}} ({MONTHS[language]}) "
                      rf"\d{{4}}, \d{{2}}:\d{{2}}$")


def press_enter_on(page, locator):
    navigate(page, locator.press, "Enter")


def tab_to_and_press(page, button):
    """Leave the field with Tab, as a keyboard user does; the button must be next in line."""
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    navigate(page, page.keyboard.press, "Enter")


def promise_dates(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(".timeline__when").all_inner_texts()]


def test_a_customer_files_a_complaint_in_dutch_with_the_keyboard_and_opens_the_status_page(
        open_page, live_server):
    page = open_page("nl")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    press_enter_on(page, page.get_by_role("button", name="Begin uw klacht"))

    # Step 1: what happened, in their own words.
    expect(page.get_by_text("Stap 1 van 4")).to_be_visible()
    expect(page.get_by_text("U hoeft niets te bewijzen.")).to_be_visible()
    page.get_by_label("Wat is er gebeurd?", exact=True).fill(STORY_NL)
    when = page.get_by_label("Wanneer is het gebeurd? (niet verplicht)")
    when.fill("vorige week dinsdag")
    press_enter_on(page, when)

    # Step 2: a category, chosen with the space bar.
    expect(page.get_by_text("Stap 2 van 4")).to_be_visible()
    page.get_by_role("radio", name="Bezorging", exact=True).press("Space")
    expect(page.get_by_role("radio", name="Bezorging", exact=True)).to_be_checked()
    tab_to_and_press(page, page.get_by_role("button", name="Verder"))

    # Step 3: compensation, which reveals the amount question.
    expect(page.get_by_text("Stap 3 van 4")).to_be_visible()
    amount = page.get_by_label("Als u een vergoeding wilt: aan welk bedrag denkt u? (niet verplicht)")
    expect(amount).to_be_hidden()
    page.get_by_role("radio", name="Een vergoeding").press("Space")
    expect(amount).to_be_visible()
    amount.fill("25,50")
    press_enter_on(page, amount)

    # Step 4: how we reach them; the language is already Dutch.
    expect(page.get_by_text("Stap 4 van 4")).to_be_visible()
    expect(page.get_by_role("radio", name="Nederlands")).to_be_checked()
    page.get_by_label("Uw naam").fill("Fatima el Amrani")
    email = page.get_by_label("E-mailadres")
    email.fill("fatima.keyboard@example.com")
    press_enter_on(page, email)

    # Check your answers.
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw antwoorden voordat u ze verstuurt")
    main = page.locator("main")
    for answer in (STORY_NL, "vorige week dinsdag", "Bezorging", "Een vergoeding: € 25,50",
                   "Fatima el Amrani", "fatima.keyboard@example.com", "Nederlands"):
        expect(main).to_contain_text(answer)
    press_enter_on(page, page.get_by_role("button", name="Verstuur uw klacht"))

    # The confirmation: a reference, dated promises, the status link, where the mail went.
    expect(page).to_have_url(re.compile(r"/s/[^/]+/confirmation$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wij hebben uw klacht ontvangen")
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    expect(main).to_contain_text("Wij hebben dit ook gestuurd naar fatima.keyboard@example.com.")
    expect(page.get_by_role("heading", name="Wat er nu gebeurt")).to_be_visible()
    promised = promise_dates(page)
    assert len(promised) >= 3, promised
    for text in promised:
        assert dated_promise("nl").match(text), text
    expect(page.get_by_role("button", name="Print deze pagina")).to_be_visible()
    assert live_server.count_complaints(reference=reference) == 1

    # The status page, through the link on the confirmation.
    status_link = page.locator(".status-link a")
    expect(status_link).to_have_text(re.compile(r"^http://127\.0\.0\.1:\d+/s/[^/]+$"))
    press_enter_on(page, status_link)
    expect(page).to_have_url(re.compile(r"/s/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wij hebben uw klacht ontvangen")
    expect(main).to_contain_text(reference)
    expect(page.get_by_role("heading", name="Wat wij u beloofden")).to_be_visible()
    assert promise_dates(page) == promised
    expect(page.locator(".story-box")).to_have_text(STORY_NL)
    assert page.problems == [], "the browser console shows errors"


def test_without_javascript_a_customer_files_a_complaint_in_english(open_page, live_server):
    page = open_page("nl", javascript=False)
    page.goto("/")
    navigate(page, page.get_by_role("link", name="English").click)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    navigate(page, page.get_by_role("button", name="Start your complaint").click)

    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    page.get_by_label("What happened?", exact=True).fill(STORY_EN)
    navigate(page, page.get_by_role("button", name="Continue").click)

    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    page.get_by_role("radio", name="Something else").check()
    navigate(page, page.get_by_role("button", name="Continue").click)

    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    page.get_by_role("radio", name="Something else").check()
    # Without JavaScript the follow-up question is simply there.
    page.get_by_label("If something else: what would you like us to do? (optional)").fill(
        "Please deliver a new copy of the book.")
    navigate(page, page.get_by_role("button", name="Continue").click)

    expect(page.get_by_text("Step 4 of 4")).to_be_visible()
    expect(page.get_by_role("radio", name="English")).to_be_checked()
    page.get_by_label("Your name").fill("Sam Jones")
    page.get_by_label("Email address").fill("sam.nojs@example.com")
    navigate(page, page.get_by_role("button", name="Continue").click)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before you send them")
    main = page.locator("main")
    for answer in (STORY_EN, "Something else (Please deliver a new copy of the book.)", "Sam Jones",
                   "sam.nojs@example.com", "English"):
        expect(main).to_contain_text(answer)
    navigate(page, page.get_by_role("button", name="Send your complaint").click)

    expect(page).to_have_url(re.compile(r"/s/[^/]+/confirmation$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("We have received your complaint")
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    expect(main).to_contain_text("We have also sent this to sam.nojs@example.com.")
    promised = promise_dates(page)
    assert len(promised) >= 3, promised
    for text in promised:
        assert dated_promise("en").match(text), text
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()  # it needs JavaScript
    assert live_server.count_complaints(reference=reference) == 1

    navigate(page, page.locator(".status-link a").click)
    expect(page.get_by_role("heading", name="What we promised you")).to_be_visible()
    expect(main).to_contain_text(reference)
    assert promise_dates(page) == promised
    expect(page.locator(".story-box")).to_have_text(STORY_EN)
    assert page.problems == [], "the browser console shows errors"


def test_a_double_click_on_send_files_one_complaint(open_page, live_server):
    email = "double.click@example.com"
    page = open_page("nl")
    fill_complaint(page, email)
    page.get_by_role("button", name="Verstuur uw klacht").dblclick()
    expect(page).to_have_url(re.compile(r"/s/[^/]+/confirmation$"))
    expect(page.locator(".reference")).to_have_text(REFERENCE)
    live_server.wait_until_idle()
    assert live_server.count_complaints(email=email) == 1


def test_without_javascript_a_second_click_while_the_server_is_busy_files_nothing_new(
        open_page, live_server, monkeypatch):
    """Without JavaScript nothing stops the second click; the server must make it harmless."""
    email = "impatient.click@example.com"
    page = open_page("nl", javascript=False)
    fill_complaint(page, email)
    monkeypatch.setitem(live_server.slow_posts, "/complaint/check", 1.0)
    before = len(live_server.requests)
    send = page.get_by_role("button", name="Verstuur uw klacht")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)  # the first send is on its way; the customer clicks again
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/s/[^/]+/confirmation$"), timeout=15_000)
    expect(page.locator(".reference")).to_have_text(REFERENCE)
    live_server.wait_until_idle()
    sends = live_server.requests[before:].count(("POST", "/complaint/check"))
    assert sends == 2, f"the browser sent {sends} time(s); this test needs two sends to mean anything"
    assert live_server.count_complaints(email=email) == 1


def test_going_back_keeps_the_answers(open_page):
    page = open_page("nl")
    page.goto("/complaint/what-happened")
    page.get_by_label("Wat is er gebeurd?", exact=True).fill(STORY_NL)
    page.get_by_label("Wanneer is het gebeurd? (niet verplicht)").fill("3 november")
    navigate(page, page.get_by_role("button", name="Verder").click)
    page.get_by_role("radio", name="Een product").check()
    navigate(page, page.get_by_role("button", name="Verder").click)
    expect(page.get_by_text("Stap 3 van 4")).to_be_visible()

    # The back link on the page.
    navigate(page, page.get_by_role("link", name="Terug").click)
    expect(page.get_by_text("Stap 2 van 4")).to_be_visible()
    expect(page.get_by_role("radio", name="Een product")).to_be_checked()
    navigate(page, page.get_by_role("link", name="Terug").click)
    expect(page.get_by_text("Stap 1 van 4")).to_be_visible()
    expect(page.get_by_label("Wat is er gebeurd?", exact=True)).to_have_value(STORY_NL)
    expect(page.get_by_label("Wanneer is het gebeurd? (niet verplicht)")).to_have_value("3 november")

    # The browser's own Back button, from the third question.
    navigate(page, page.get_by_role("button", name="Verder").click)
    navigate(page, page.get_by_role("button", name="Verder").click)
    expect(page.get_by_text("Stap 3 van 4")).to_be_visible()
    page.go_back()
    expect(page.get_by_text("Stap 2 van 4")).to_be_visible()
    expect(page.get_by_role("radio", name="Een product")).to_be_checked()
