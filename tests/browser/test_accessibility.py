"""axe-core finds nothing on any customer page, in Dutch and English, and no page scrolls sideways on a phone."""
import itertools
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal.services import filing
from portal.extensions import db
from portal.models import utcnow
from portal.services import complaints as service
from portal.services import lifecycle, mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.browser.conftest import LOCALES, fill_complaint, fill_compliment, keep_console_error, send_form
from tests.fixtures.complaints import answers
from tests.fixtures.people import person

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
AXE = Axe()


@pytest.fixture(scope="module")
def filed(live_app) -> dict:
    """Per language, status tokens of complaints in the states a customer can find them in.

    A status page speaks the language its customer chose for the complaint, so each language has
    complaints of its own."""
    addresses = itertools.count()

    def file(language, kind="complaint", now=None, **overrides):
        # One address may have ten open complaints; "find" looks up the first by Fatima's address.
        number = next(addresses)
        overrides.setdefault("email", "fatima@example.com" if number == 0 else f"visitor{number}@example.com")
        draft = filing.start_draft(kind)
        filing.save_answers(draft, answers(language=language, **overrides))
        return filing.file_draft(draft, calendar=get_calendar(), now=now)

    def file_all(language):
        complaint = file(language)
        compliment = file(language, "compliment", category=None, wish=None)
        late = file(language, now=utcnow() - timedelta(days=60), category="other")
        late.complaint.promises[0].state = "kept"
        late.complaint.promises[0].kept_at = late.complaint.created_at + timedelta(hours=2)
        service.mark_missed_promises()
        withdrawn = file(language)
        service.withdraw(withdrawn.complaint)
        offered, agreed, done, closed = (owned(language) for _ in range(4))
        for filed_one in (offered, agreed, done):
            make_offer(filed_one.complaint)
        mandate.accept(agreed.complaint, agreed.complaint.offers[-1], calendar=get_calendar())
        mandate.accept(done.complaint, done.complaint.offers[-1], calendar=get_calendar())
        lifecycle.mark_carried_out(done.complaint, done.complaint.offers[-1], agent, "Betaling 2026-4411",
                                   calendar=get_calendar())
        lifecycle.close_by_owner(closed.complaint, agent, "Wij hebben het pakket opnieuw gestuurd.",
                                 customer_agreed=True)
        return {"complaint": complaint.token, "compliment": compliment.token, "late": late.token,
                "withdrawn": withdrawn.token, "reference": complaint.complaint.reference,
                "offered": offered.token, "agreed": agreed.token, "done": done.token, "closed": closed.token}

    def owned(language):
        filed_one = file(language)
        work.claim(filed_one.complaint, agent)
        return filed_one

    def make_offer(complaint):
        mandate.make_offer(complaint, agent, remedy="refund", amount_cents=2500,
                           text="Wij betalen u de 25 euro terug.", request_key=new_draft_key(),
                           seen_counter=complaint.offer_counter, calendar=get_calendar())

    with live_app.app_context():
        agent = person("agent")
        tokens = {language: file_all(language) for language in ("nl", "en")}
        db.session.commit()
        return tokens


@pytest.fixture(scope="module")
def page_in(browser, live_server):
    """page_in(language) → the page of one browser context per language, with no cookies left over.

    Clearing the cookies forgets the session (drafts, a language choice), so every test starts as a
    new visitor would, without paying for a new context each time.
    """
    pages = {}

    def page_in(language):
        if language not in pages:
            context = browser.new_context(base_url=live_server.url, locale=LOCALES[language])
            context.set_default_timeout(10_000)
            page = pages[language] = context.new_page()
            page.on("console", lambda message, page=page: keep_console_error(page, message))
            page.on("pageerror", lambda error, page=page: page.problems.append(str(error)))
        page = pages[language]
        page.problems = []
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        return page

    yield page_in
    for page in pages.values():
        page.context.close()


# --- how to arrive at each page, in whichever language the browser speaks ------------------------

def visit(path):
    def arrive(page, filed):
        page.goto(path.format(**filed))
    return arrive


def send_empty(path):
    def arrive(page, filed):
        page.goto(path.format(**filed))
        send_form(page)
        expect(page.locator(".error-summary")).to_be_visible()
    return arrive


def send_filled(path, fields: dict, radio: str | None = None, errors: bool = True):
    def arrive(page, filed):
        page.goto(path.format(**filed))
        if radio:
            page.locator(radio).check()
        for selector, value in fields.items():
            page.locator(selector).fill(value.format(**filed))
        send_form(page)
        if errors:
            expect(page.locator(".error-summary")).to_be_visible()
    return arrive


def choose(path, radio):
    def arrive(page, filed):
        page.goto(path.format(**filed))
        page.locator(radio).check()
    return arrive


def answer_feedback(page, filed):
    """'Partly solved': the thank-you page offers to open it again."""
    page.goto("/s/{done}/feedback".format(**filed))
    for choice in ("#solved-1", "#treatment-3", "#come_back-1"):
        page.locator(choice).check()
    send_form(page)
    expect(page.locator("#reopen form")).to_be_visible()


def check_complaint(page, filed):
    fill_complaint(page)


def sent_already(page, filed):
    """Back after sending: the page says it was sent and links to the status page."""
    fill_complaint(page)
    send_form(page)
    page.go_back()
    assert page.url.endswith("/complaint/check"), page.url
    expect(page.locator("main a.button[href^='/s/']")).to_be_visible()  # "Go to your page", no form
    expect(page.locator("main form")).to_have_count(0)


def check_compliment(page, filed):
    fill_compliment(page)


PAGES = {
    "start": visit("/"),
    "complaint-what-happened": visit("/complaint/what-happened"),
    "complaint-what-happened-errors": send_empty("/complaint/what-happened"),
    "complaint-what-happened-too-short": send_filled("/complaint/what-happened", {"#story": "Kapot"}),
    "complaint-about": visit("/complaint/about"),
    "complaint-about-errors": send_empty("/complaint/about"),
    "complaint-wish": visit("/complaint/wish"),
    "complaint-wish-compensation-chosen": choose("/complaint/wish", "#wish-1"),
    "complaint-wish-errors": send_empty("/complaint/wish"),
    "complaint-wish-amount-error": send_filled("/complaint/wish", {"#amount": "veel"}, radio="#wish-1"),
    "complaint-wish-amount-two-ways": send_filled("/complaint/wish", {"#amount": "100.001"}, radio="#wish-1"),
    "complaint-wish-something-else-error": send_filled("/complaint/wish", {}, radio="#wish-4"),
    "complaint-contact": visit("/complaint/contact"),
    "complaint-contact-errors": send_empty("/complaint/contact"),
    "complaint-contact-wrong-email-and-phone": send_filled(
        "/complaint/contact", {"#name": "Sam", "#email": "sam@", "#phone": "bel me"}, radio="#contact_by-1"),
    "complaint-check": check_complaint,
    "complaint-confirmation": visit("/s/{complaint}/confirmation"),
    "status": visit("/s/{complaint}"),
    "status-message-errors": send_empty("/s/{complaint}"),
    "status-message-sent": send_filled("/s/{complaint}", {"#body": "Ik heb nog een foto van de doos."},
                                       errors=False),
    "status-kept-and-missed-promises": visit("/s/{late}"),
    "status-withdrawn": visit("/s/{withdrawn}"),
    "status-offer-waits-for-you": visit("/s/{offered}"),
    "status-agreed-and-being-carried-out": visit("/s/{agreed}"),
    "status-done-and-closing": visit("/s/{done}"),
    "status-closed-by-us": visit("/s/{closed}"),
    "status-sent-already-on-back": sent_already,
    "feedback-from-the-mail-link": visit("/s/{done}/feedback?solved=partly"),
    "feedback-errors": send_empty("/s/{done}/feedback"),
    "feedback-too-long": send_filled("/s/{done}/feedback", {"#comment": "x" * 2001}, radio="#solved-0"),
    "feedback-not-solved-offers-to-reopen": answer_feedback,
    "feedback-answered-already": visit("/s/{done}/feedback"),
    "status-contact": visit("/s/{complaint}/contact"),
    "status-contact-errors": send_filled("/s/{complaint}/contact", {"#name": "", "#email": ""}),
    "status-manager": visit("/s/{complaint}/manager"),
    "status-withdraw": visit("/s/{complaint}/withdraw"),
    "status-erase": visit("/s/{complaint}/erase"),
    "status-links": visit("/s/{complaint}/links"),
    "status-withdraw-when-withdrawn": visit("/s/{withdrawn}/withdraw"),
    "find": visit("/find"),
    "find-errors": send_empty("/find"),
    "find-sent": send_filled("/find", {"#reference": "{reference}", "#email": "fatima@example.com"},
                             errors=False),
    "rights": visit("/rights"),
    "privacy": visit("/privacy"),
    "accessibility": visit("/accessibility"),
    "compliment-message": visit("/compliment/message"),
    "compliment-message-errors": send_empty("/compliment/message"),
    "compliment-contact": visit("/compliment/contact"),
    "compliment-contact-errors": send_empty("/compliment/contact"),
    "compliment-check": check_compliment,
    "compliment-confirmation": visit("/s/{compliment}/confirmation"),
    "compliment-status": visit("/s/{compliment}"),
    "not-found": visit("/no-such-page"),
    "not-found-status-link": visit("/s/this-link-does-not-exist"),
}


# --- what a failure says -------------------------------------------------------------------------

def describe_violations(violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} violation(s)"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {' '.join(map(str, node['target']))}: {summary}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


WIDER_THAN_VIEWPORT = """width => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .slice(0, 8)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
       (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
       ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)')"""


@pytest.mark.parametrize("language,name", [pytest.param(language, name, id=f"{language}-{name}")
                                           for language in ("nl", "en") for name in PAGES])
def test_the_page_has_no_axe_violations_and_fits_a_phone(page_in, filed, language, name):
    page = page_in(language)
    PAGES[name](page, filed[language])
    expect(page.locator("html")).to_have_attribute("lang", language)

    problems = [f"the browser console says: {problem}" for problem in page.problems]
    violations = AXE.run(page).response["violations"]
    if violations:
        problems.append(describe_violations(violations))

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        wide = page.evaluate(WIDER_THAN_VIEWPORT, PHONE_WIDTH)
        problems.append(f"at {PHONE_WIDTH}px the page is {width}px wide, so it scrolls sideways; "
                        f"too wide: {', '.join(wide)}")
    assert not problems, f"page {name!r} in {language!r} ({page.url}):\n" + "\n".join(problems)


def test_the_checks_themselves_catch_a_broken_page(page_in):
    """The checks above would speak up: an unlabelled field, a too-wide block and a script the
    Content-Security-Policy blocks are all found."""
    page = page_in("en")
    page.goto("/rights")
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.append(document.createElement('input'));
        const wide = document.createElement('div');
        wide.style.width = '600px';
        wide.textContent = 'wide';
        main.append(wide);
        const inline = document.createElement('script');
        inline.textContent = 'document.title = "changed";';
        document.body.append(inline);
    }""")
    assert any("Content Security Policy" in problem for problem in page.problems), page.problems
    violations = AXE.run(page).response["violations"]
    assert "label" in {violation["id"] for violation in violations}
    assert "input" in describe_violations(violations)  # the report names the element
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE_WIDTH
