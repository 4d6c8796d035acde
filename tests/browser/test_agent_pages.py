"""The agents' side in a real browser: the whole story from filing to a solved complaint, and axe-core on
every agent page (and the status-page states that come with it), in Dutch and English, at 390px too.

The server, its database and Chromium are shared per module (tests/browser/conftest.py). The stories take
fresh browser contexts; the page checks reuse one logged-in context per role and choose the language
through /language/<code>?next=… as a visitor does.
"""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from playwright.sync_api import expect
from sqlalchemy import select

from portal.services import filing
from portal.extensions import db
from portal.formatting import _when, _zone
from portal.models import Category, Complaint, OutboxMail, utcnow
from portal.services import complaints as service
from portal.services import mandate, people, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.browser.conftest import LOCALES, fill_complaint, keep_console_error, navigate
from tests.browser.test_accessibility import AXE, PHONE_WIDTH, WIDER_THAN_VIEWPORT, describe_violations
from tests.fixtures.complaints import answers
from tests.fixtures.people import person

pytestmark = pytest.mark.browser

STORY = "The parcel was left in the rain and the book inside is ruined. It was a present."
REPLY = "Dear Sam, I am sorry your book got wet. I send you a new copy today."
OFFER_TEXT = "We pay you back € 25,50 within 3 working days."
MONEY_150 = re.compile(r"€\s?150[.,]00")


# --- small steps, the way a person takes them --------------------------------------------------------

def press(page, locator, key: str = "Enter") -> None:
    """Focus a link or button and press a key on it, then wait for the page it loads."""
    navigate(page, locator.press, key)


def log_in(page, role: str) -> None:
    """Log in at /agent/login with the keyboard: type, type, Enter (field ids work in either language)."""
    page.goto("/agent/login")
    page.locator("#email").fill(f"{role}@gehoord.example")
    password = page.locator("#password")
    password.fill(f"demo-{role}")
    press(page, password)
    landing = {"manager": r"/insight/$", "colleague": r"/ambassador/$", "supervisor": r"/agent/desk$"}.get(
        role, r"/agent/$")
    expect(page).to_have_url(re.compile(landing))


def in_language(page, language: str, path: str):
    """Open `path` after choosing the language with the link every page has (/language/<code>?next=…)."""
    return page.goto(f"/language/{language}?next={quote(path, safe='/')}")


def status_path(page) -> str:
    """/s/<token> from the confirmation page's address."""
    match = re.search(r"(/s/[^/]+)/confirmation$", page.url)
    assert match, page.url
    return match.group(1)


def no_console_errors(*pages) -> None:
    problems = [problem for page in pages for problem in page.problems]
    assert problems == [], f"the browser console shows errors: {problems}"


# --- the whole story ----------------------------------------------------------------------------------

def test_a_customer_files_an_agent_claims_replies_and_offers_within_the_mandate_and_the_customer_accepts(
        open_page, live_server):
    # The customer files through the web flow and keeps the status page.
    customer = open_page("en")
    fill_complaint(customer, email="story.within@example.com", story=STORY)
    press(customer, customer.get_by_role("button", name="Send your complaint"))
    expect(customer).to_have_url(re.compile(r"/s/[^/]+/confirmation$"))
    reference = customer.locator(".reference").inner_text().strip()
    status = status_path(customer)

    # The agent logs in (a fresh session), filters the queue and finds it unassigned.
    agent = open_page("en")
    agent.goto("/agent/")
    expect(agent).to_have_url(re.compile(r"/agent/login\?next="))
    expect(agent.get_by_role("heading", level=1)).to_have_text("Log in")
    agent.get_by_label("Email address").fill("agent@gehoord.example")
    password = agent.get_by_label("Password")
    password.fill("demo-agent")
    press(agent, password)
    expect(agent).to_have_url(re.compile(r"/agent/$"))
    expect(agent.get_by_role("heading", level=1)).to_have_text("Queue")
    press(agent, agent.get_by_role("link", name="Unassigned", exact=True))
    expect(agent.get_by_role("link", name="Unassigned", exact=True)).to_have_attribute("aria-current", "page")
    row = agent.locator("tbody tr").filter(has=agent.get_by_role("link", name=reference, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nobody yet")
    expect(row).to_contain_text(re.compile(r"due in \d+ working (hour|day)s?"))
    expect(row).to_contain_text(STORY[:40])

    # It opens on the customer's story, told as the facts; the agent claims it.
    press(agent, row.get_by_role("link", name=reference, exact=True))
    expect(agent).to_have_url(re.compile(rf"/agent/complaints/{reference}(\?view=\w+)?$"))
    expect(agent.locator("main .story-box").first).to_have_text(STORY)
    expect(agent.locator("main")).to_contain_text("we ask for no proof")
    press(agent, agent.get_by_role("button", name="Claim it: I handle this to the end"))
    expect(agent.locator("main")).to_contain_text("Sanne de Vries (you)")

    # The reply: written, sent with the keyboard, and on the customer's status page.
    agent.get_by_label("Your message to the customer").fill(REPLY)
    # As the agent types, the box says how easily it reads (the server counts the syllables).
    expect(agent.locator("#reply-readability")).to_contain_text(re.compile(r"Reading score \d+: easy to read"))
    press(agent, agent.get_by_role("button", name="Send to the customer"))
    expect(agent.locator(".notice[role=status]")).to_contain_text(
        "Your message is on the customer's page and is mailed.")
    expect(agent.locator("main .thread__body")).to_have_text([REPLY])
    customer.goto(status)
    expect(customer.locator("main .thread__body")).to_have_text([REPLY])
    expect(customer.locator("main .facts")).to_contain_text("Sanne de Vries")

    # The mandate screen: what they asked, the mandate, no proof; a refund within it.
    press(agent, agent.get_by_role("link", name="Put it right (mandate)"))
    expect(agent.get_by_role("heading", level=1)).to_have_text("Put it right")
    mandate_box = agent.locator("main .box")
    expect(mandate_box).to_contain_text("€100.00")
    expect(agent.locator("main input[type=file]")).to_have_count(0)
    refund = agent.get_by_role("radio", name="Money back (refund)")
    refund.press("Space")
    expect(refund).to_be_checked()
    agent.get_by_label("Amount in euros", exact=False).fill("25,50")
    agent.get_by_label("What the customer reads").fill(OFFER_TEXT)
    press(agent, agent.get_by_role("button", name="Offer this now"))
    expect(agent).to_have_url(re.compile(rf"/agent/complaints/{reference}(\?view=\w+)?$"))
    expect(agent.locator(".notice[role=status]")).to_contain_text("Your offer is on the customer's page")
    expect(agent.locator("main")).to_contain_text(re.compile(r"Money back \(refund\) €25\.50 · Offered"))

    # The customer reads "our proposal" and accepts it with the keyboard.
    customer.reload()
    expect(customer.get_by_role("heading", level=1)).to_have_text("We have made you a proposal")
    offer = customer.locator("#offer")
    expect(offer.get_by_role("heading", name="Our proposal")).to_be_visible()
    expect(offer).to_contain_text("€25.50")
    expect(offer).to_contain_text(OFFER_TEXT)
    expect(offer).to_contain_text("From Sanne de Vries")
    accept = offer.get_by_role("radio", name="Yes, I accept this")
    accept.press("Space")
    expect(accept).to_be_checked()
    press(customer, offer.get_by_role("button", name="Send my answer"))

    # Agreed: we carry it out by a dated promise; only the owner's "done" solves it.
    expect(customer.get_by_role("heading", level=1)).to_have_text("We are doing what we agreed with you")
    expect(customer.locator("#offer")).to_have_count(0)
    agent.reload()
    expect(agent.locator("main")).to_contain_text(re.compile(r"€25\.50 · Accepted"))
    carry_out = agent.locator("#carry-out")
    carry_out.get_by_label("Payment reference", exact=False).fill("PAY-2026-4411")
    press(agent, carry_out.get_by_role("button", name="Mark as done"))

    # Solved, for both of them; the customer reads the payment reference and may still open it again.
    customer.reload()
    expect(customer.get_by_role("heading", level=1)).to_have_text("Your complaint is solved")
    expect(customer.locator("#done")).to_contain_text("Payment reference: PAY-2026-4411")
    expect(customer.get_by_role("heading", name="Not solved after all?")).to_be_visible()
    expect(agent.locator("main .caption")).to_contain_text("Resolved")
    expect(agent.locator("main")).to_contain_text("It closes by itself on")
    expect(agent.locator("#carry-out")).to_have_count(0)
    no_console_errors(customer, agent)


def test_an_offer_waits_three_working_days_is_accepted_carried_out_and_closes_on_the_day_we_said(
        open_page, live_app):
    """Right 3 and 6: time the customer takes to answer is theirs. The clock really moves (time-machine
    moves it for the server and `flask portal tick` alike); no promise is missed while we wait, the
    paused ones move on by the waited working time, and it closes on the day the page announced."""
    with live_app.app_context():
        calendar = get_calendar()
        agent_person = person("agent")
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(language="en", email="three.days@example.com"))
        # Filed eleven days ago and answered since: "what we agreed is done" falls within the wait.
        filed = filing.file_draft(draft, calendar=calendar, now=utcnow() - timedelta(days=11))
        complaint = filed.complaint
        work.claim(complaint, agent_person)
        work.reply(complaint, agent_person, "Dear Sam, I am sorry. I look at it today.")
        mandate.make_offer(complaint, agent_person, remedy="refund", amount_cents=2550, text=OFFER_TEXT,
                           request_key=new_draft_key(), seen_counter=complaint.offer_counter, calendar=calendar)
        db.session.commit()
        reference, status = complaint.reference, f"/s/{filed.token}"
        offered_at = complaint.waiting_since
        three_days_later = calendar.add(offered_at, 3, "working_days")
        paused_before = {p.id: p.due_at for p in complaint.promises if p.state == "open"}
        # Without the pause, a promise would be missed in these three days.
        assert min(paused_before.values()) < three_days_later

    def tick() -> str:
        result = live_app.test_cli_runner().invoke(args=["portal", "tick"])
        assert result.exit_code == 0, result.output
        return result.output

    customer = open_page("en")
    customer.goto(status)
    expect(customer.get_by_role("heading", level=1)).to_have_text("We have made you a proposal")
    expect(customer.locator("#waiting")).to_contain_text("We are waiting for your answer since")
    expect(customer.locator("#offer")).to_contain_text("If you say yes, it is done by")

    with time_machine.travel(three_days_later, tick=True):
        # Three working days on: the due moments passed, but nothing is missed and no apology goes out.
        assert "0 promise(s) marked missed" in tick()
        customer.reload()
        expect(customer.locator("#waiting")).to_be_visible()
        expect(customer.locator("main")).not_to_contain_text("We did not keep")
        accept = customer.locator("#offer").get_by_role("radio", name="Yes, I accept this")
        accept.press("Space")
        press(customer, customer.locator("#offer").get_by_role("button", name="Send my answer"))
        expect(customer.get_by_role("heading", level=1)).to_have_text("We are doing what we agreed with you")
        expect(customer.locator("#waiting")).to_have_count(0)
        expect(customer.locator("#promises + *")).to_contain_text("because we waited for your answer")
        with live_app.app_context():
            complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
            moved = {p.id: p.due_at for p in complaint.promises if p.id in paused_before}
            assert all(moved[key] > due for key, due in paused_before.items() if key in moved)
            carry_out = next(p for p in complaint.promises if p.key == "resolved" and p.state == "open")
            expect(customer.locator("#promises + *")).to_contain_text(formatted(carry_out.due_at))

        # The agent (logged in afresh: three days is past the idle time) pays and marks it done.
        agent = open_page("en")
        log_in(agent, "agent")
        agent.goto(f"/agent/complaints/{reference}")
        agent.locator("#carry-out").get_by_label("Payment reference", exact=False).fill("PAY-2026-0003")
        press(agent, agent.locator("#carry-out").get_by_role("button", name="Mark as done"))
        customer.reload()
        expect(customer.get_by_role("heading", level=1)).to_have_text("Your complaint is solved")
        expect(customer.locator("#done")).to_contain_text("Payment reference: PAY-2026-0003")
        with live_app.app_context():
            complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
            closes_at = complaint.closes_at
            assert [p.label_en for p in complaint.promises if p.state == "missed"] == []
            assert db.session.scalars(select(OutboxMail).where(
                OutboxMail.complaint_id == complaint.id, OutboxMail.kind == "missed")).all() == []
            expect(customer.locator("#closing")).to_contain_text(
                f"If we hear nothing from you by {formatted(closes_at)}, we close it.")

    def status_now() -> str:
        with live_app.app_context():
            return db.session.scalar(select(Complaint.status).where(Complaint.reference == reference))

    with time_machine.travel(closes_at - timedelta(minutes=1), tick=True):
        tick()
        assert status_now() == "resolved", "not a minute early"
    with time_machine.travel(closes_at + timedelta(minutes=1), tick=True):
        assert "closed after being solved" in tick()
        assert status_now() == "closed"
        customer.reload()
        expect(customer.locator("main .lead")).to_have_text("It was solved, and we have closed it.")
    no_console_errors(customer, agent)


def formatted(moment) -> str:
    """A moment as an English page shows it."""
    return _when(moment, "en", _zone())


def test_an_offer_above_the_mandate_waits_for_a_supervisor_who_co_signs_in_their_own_session(
        open_page, live_server, live_app):
    with live_app.app_context():  # filed the way the web flow files it, to save time
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(email="story.above@example.com", language="en"))
        filed = filing.file_draft(draft, calendar=get_calendar())
        db.session.commit()
        reference, status = filed.complaint.reference, f"/s/{filed.token}"

    # The agent works in Dutch; the steps go by ids and form addresses, not by words.
    agent = open_page("nl")
    log_in(agent, "agent")
    expect(agent.locator("html")).to_have_attribute("lang", "nl")
    agent.goto(f"/agent/complaints/{reference}")
    press(agent, agent.locator("main form[action$='/claim'] button[type=submit]"))
    press(agent, agent.locator(f"main a[href$='/agent/complaints/{reference}/mandate']"))
    agent.locator("#remedy-3").press("Space")  # refund
    expect(agent.locator("#remedy-3")).to_be_checked()
    agent.locator("#amount").fill("150")
    agent.locator("#text").fill("Wij betalen u € 150 terug, binnen 3 werkdagen.")
    press(agent, agent.locator("main form button[type=submit]"))
    expect(agent).to_have_url(re.compile(rf"/agent/complaints/{reference}(\?view=\w+)?$"))
    expect(agent.locator(".notice[role=status]")).to_have_count(1)
    expect(agent.locator("main")).to_contain_text(MONEY_150)

    # The customer sees a dated promise for the decision, not the offer.
    customer = open_page("en")
    customer.goto(status)
    expect(customer.locator("#offer")).to_have_count(0)
    expect(customer.locator("main .timeline")).to_contain_text("You hear our decision about the compensation")

    # The supervisor, in their own session, co-signs from their queue.
    supervisor = open_page("nl")
    log_in(supervisor, "supervisor")
    desk_item = supervisor.locator("#desk-items > li").filter(has=supervisor.get_by_role("link", name=reference,
                                                                                          exact=True))
    expect(desk_item).to_contain_text("Dit past binnen je mandaat")
    press(supervisor, desk_item.get_by_role("link", name="Teken het of weiger het"))
    waiting = supervisor.locator("main .box").filter(
        has=supervisor.get_by_role("link", name=reference, exact=True))
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(MONEY_150)
    expect(waiting).to_contain_text("Sanne de Vries")
    press(supervisor, waiting.locator("form[action$='/cosign'] button[type=submit]"))
    expect(supervisor).to_have_url(re.compile(r"/agent/cosign(#offer-\d+)?$"))
    expect(supervisor.locator(".notice[role=status]")).to_have_count(1)
    expect(supervisor.locator("main .box").filter(
        has=supervisor.get_by_role("link", name=reference, exact=True))).to_have_count(0)

    # Now the customer sees the offer; the agent is still the owner.
    customer.reload()
    offer = customer.locator("#offer")
    expect(offer.get_by_role("heading", name="Our proposal")).to_be_visible()
    expect(offer).to_contain_text("€150.00")
    expect(offer).to_contain_text("From Sanne de Vries")
    expect(customer.locator("main .facts")).to_contain_text("Sanne de Vries")
    agent.reload()
    expect(agent.locator("main .box").first).to_contain_text("Sanne de Vries")
    expect(agent.locator("main")).to_contain_text("Ahmed Bakker")  # the co-signer, next to the offer
    no_console_errors(agent, customer, supervisor)


# --- complaints in every state the pages can show ------------------------------------------------

def _closing_time_after(calendar, moment, days=7):
    day = calendar.local_date(moment) + timedelta(days=days)
    while calendar.opening_interval(day) is None:
        day += timedelta(days=1)
    return calendar.opening_interval(day)[1]


def _proposal(complaint):
    return next(p for p in complaint.promises if p.key == "proposal" and p.state == "open")


@pytest.fixture(scope="module")
def world(live_app) -> dict:
    """References, tokens and ids of complaints in the states the agent pages and status page show."""
    with live_app.app_context():
        calendar = get_calendar()
        agent = person("agent")
        delivery = db.session.scalar(select(Category).where(Category.slug == "delivery"))

        def file(story, email, now=None, **overrides):
            draft = filing.start_draft("complaint")
            filing.save_answers(draft, answers(story=story, email=email, **overrides))
            return filing.file_draft(draft, calendar=calendar, now=now)

        def offer(complaint, remedy, cents, text):
            return mandate.make_offer(complaint, agent, remedy=remedy, amount_cents=cents, text=text,
                                 request_key=new_draft_key(), seen_counter=complaint.offer_counter,
                                 calendar=calendar)

        unclaimed = file("Mijn pakket is nooit aangekomen. De bezorger zegt dat het bij de buren ligt.",
                         "a.unclaimed@example.com")
        late = file("De rekening is twee keer afgeschreven en niemand belt terug.", "a.late@example.com",
                    now=utcnow() - timedelta(days=20), category="invoice", wish="fix", wish_amount_cents=None,
                    amount="")
        escalated = file("De medewerker aan de balie was onbeleefd tegen mijn moeder.", "a.escalated@example.com",
                         category="service", wish="explanation", wish_amount_cents=None, amount="")
        service.ask_for_manager(escalated.complaint, "Ik wil dat een leidinggevende dit leest.", calendar)

        # Claimed, with a message each way, a note, a moved promise, a classification and an open offer.
        claimed = file("Het boek kwam nat en gescheurd aan. Het was een cadeau voor mijn dochter.",
                       "a.claimed@example.com")
        complaint = claimed.complaint
        work.claim(complaint, agent)
        service.add_customer_message(complaint, "Ik heb nog een foto van de doos, als u die wilt zien.")
        work.reply(complaint, agent, "Beste Fatima, het spijt me dat uw boek nat werd. Ik stuur vandaag een nieuw.")
        work.add_note(complaint, agent, "Klant belde ook. Graag na 18:00 uur terugbellen.")
        proposal = _proposal(complaint)
        work.extend_promise(proposal, agent, calendar.local_date(_closing_time_after(calendar, proposal.due_at)),
                            "Het magazijn zoekt uit wat er met uw pakket gebeurde.")
        work.classify(complaint, agent, handled_as="fix", root_cause="system", chance_to_improve=True,
                      improvement_note="Bezorgers hebben een droge plek nodig.")
        offer(complaint, "refund", 2000, "Wij betalen u € 20 terug, binnen 3 werkdagen.")

        # Claimed and nothing else yet: for the forms and their errors.
        ready = file("De monteur kwam niet op de afgesproken dag en belde niet af.", "a.ready@example.com",
                     category="product")
        work.claim(ready.complaint, agent)
        first_move = _proposal(ready.complaint)

        # An offer above the mandate, waiting for a supervisor.
        above = file("Mijn fiets is bij de reparatie kwijtgeraakt.", "a.above@example.com",
                     category="product", amount="300", wish_amount_cents=30_000)
        work.claim(above.complaint, agent)
        waiting = offer(above.complaint, "refund", 15_000, "Wij betalen u € 150 terug voor de kwijte fiets.")

        # The same promise moved twice: the customer is asked about the second date.
        asked = file("Het nieuwe boek is nog steeds niet bezorgd.", "a.asked@example.com")
        work.claim(asked.complaint, agent)
        proposal = _proposal(asked.complaint)
        moved = work.extend_promise(proposal, agent, calendar.local_date(_closing_time_after(calendar,
                                                                                             proposal.due_at)),
                                    "Het magazijn zoekt uw pakket.")
        work.extend_promise(moved, agent, calendar.local_date(_closing_time_after(calendar, moved.due_at)),
                            "Wij wachten op de vervoerder.")

        # Solved: the customer accepted an apology.
        solved = file("De klantenservice hing twee keer op.", "a.solved@example.com", category="service",
                      wish="explanation", wish_amount_cents=None, amount="")
        work.claim(solved.complaint, agent)
        apology = offer(solved.complaint, "apology", 0, "Het spijt ons echt. Wij spreken het team erop aan.")
        mandate.accept(solved.complaint, apology)
        # ... and then said it was only partly solved (the answers show on the complaint page).
        from portal.services import satisfaction

        satisfaction.record_answer(solved.complaint, "partly", 3, "maybe",
                                   "Het excuus was fijn, het team belt nog steeds niet.")

        # Someone with two-step login on, for the page that asks for the code.
        two_step = people.create_user(email="two.step@example.com", name="Tessa", password="two-step-password")
        two_step.two_step_secret, two_step.two_step_since = "JBSWY3DPEHPK3PXP", utcnow()

        db.session.commit()
        return {
            "unclaimed": unclaimed.complaint.reference, "late": late.complaint.reference,
            "escalated": escalated.complaint.reference, "claimed": complaint.reference,
            "claimed_token": claimed.token, "ready": ready.complaint.reference,
            "first_move": first_move.id, "moved_once": moved.id, "asked": asked.complaint.reference,
            "asked_token": asked.token, "above": above.complaint.reference, "above_token": above.token,
            "waiting": waiting.id, "solved_token": solved.token, "delivery": delivery.id,
            "solved": solved.complaint.reference,
        }


@pytest.fixture(scope="module")
def page_as(browser, live_server):
    """page_as(role) → the page of one browser context per role ("anonymous", "agent", "supervisor").

    Agents and supervisors log in once, through the login form with CSRF on; every check then picks its
    language with /language/<code>?next=….
    """
    pages = {}

    def page_as(role):
        if role not in pages:
            context = browser.new_context(base_url=live_server.url, locale=LOCALES["nl"])
            context.set_default_timeout(10_000)
            page = pages[role] = context.new_page()
            page.problems = []
            page.on("console", lambda message, page=page: keep_console_error(page, message))
            page.on("pageerror", lambda error, page=page: page.problems.append(str(error)))
            if role != "anonymous":
                page.set_viewport_size({"width": 1280, "height": 900})
                log_in(page, role)
        page = pages[role]
        page.problems = []
        page.set_viewport_size({"width": 1280, "height": 900})
        return page

    yield page_as
    for page in pages.values():
        page.context.close()


# --- how to arrive at each page -------------------------------------------------------------------------

def visit(path, status=200):
    def arrive(page, world, language):
        response = in_language(page, language, path.format(**world))
        assert response.status == status, f"{page.url} answered {response.status}, expected {status}"
    return arrive


def submit(path, form="main form", fill=None, check=(), open_first=None, then=".error-summary", status=None,
           button=None):
    """Open the page, fill in what is given, send the form, and see the answer (an error summary).

    `status`, when given, is the HTTP status the answer must have."""
    def arrive(page, world, language):
        in_language(page, language, path.format(**world))
        if open_first:
            page.locator(open_first.format(**world)).click()
        for selector in check:
            page.locator(selector).check()
        for selector, value in (fill or {}).items():
            page.locator(selector).fill(value)
        with page.expect_navigation() as navigation:
            chosen = f"[name={button}]" if button else ""
            page.locator(f"{form.format(**world)} button[type=submit]{chosen}").first.click()
        if status is not None:
            assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"
        expect(page.locator(then)).to_be_visible()
    return arrive


def search_by_keyboard(words):
    """Tab to the search box from the top of the queue, type, press Enter: no mouse, no JavaScript needed."""
    def arrive(page, world, language):
        in_language(page, language, "/agent/")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "q":
                break
        page.keyboard.type(words)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("main tbody")).to_contain_text(world["claimed"])
    return arrive


COMPLAINT = "/agent/complaints/{ready}"
MOVE_FIRST = "/agent/complaints/{ready}/promises/{first_move}/move"
REFUSE = "main form[action$='/agent/offers/{waiting}/refuse']"


def password_then_code(send_code=False):
    """Tessa's password on the login page; the page that asks for her code (and its errors)."""
    def arrive(page, world, language):
        in_language(page, language, "/agent/login")
        page.locator("#email").fill("two.step@example.com")
        page.locator("#password").fill("two-step-password")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#code")).to_be_visible()
        if send_code:
            page.locator("main form button[type=submit]").click()
            expect(page.locator(".error-summary")).to_be_visible()
    return arrive


def scan_code(send_empty=False):
    """Start setting up two-step login: the QR code (and the confirm form's errors)."""
    def arrive(page, world, language):
        in_language(page, language, "/agent/two-step")
        if page.locator("main form[action$='/two-step/start']").count():
            page.locator("main form[action$='/two-step/start'] button").click()
        expect(page.locator(".qr-code svg")).to_be_visible()
        if send_empty:
            page.locator("main form[action$='/two-step/confirm'] button").click()
            expect(page.locator(".error-summary")).to_be_visible()
    return arrive

def tick_rows_and_save_a_view():
    def arrive(page, world, language):
        in_language(page, language, "/agent/?view=open")
        page.locator("main details:has(form[action*='/views']) > summary").click()
        page.locator("#name").fill("Alles open " + language)
        navigate(page, page.locator("main form[action$='/views'] button[type=submit]").click)
        expect(page.locator(".saved-views a").first).to_be_visible()
        page.locator("[data-pick]").first.check(force=True)
    return arrive


def bulk_claim_with_one_owned():
    def arrive(page, world, language):
        in_language(page, language, "/agent/?view=mine")  # all owned already: each is named with its reason
        for box in page.locator("[data-pick]").all()[:3]:
            box.check(force=True)
        page.locator("#bulk input[value=claim]").check(force=True)
        navigate(page, page.locator("#bulk button[type=submit]").click)
        expect(page.locator(".notice--error").first).to_be_visible()
    return arrive


def shortcut_list():
    def arrive(page, world, language):
        in_language(page, language, "/agent/")
        page.locator("main h1").click()
        page.keyboard.press("?")
        expect(page.locator("#shortcut-help")).to_be_visible()
    return arrive


PAGES = {
    # Logging in.
    "login": ("anonymous", visit("/agent/login")),
    "login-errors": ("anonymous", submit("/agent/login", status=200)),
    "change-password": ("agent", visit("/agent/password")),
    "login-code": ("anonymous", password_then_code()),
    "login-code-errors": ("anonymous", password_then_code(send_code=True)),
    "forgot-password": ("anonymous", visit("/agent/forgot-password")),
    "forgot-password-errors": ("anonymous", submit("/agent/forgot-password", status=400)),
    "forgot-password-sent": ("anonymous", submit("/agent/forgot-password", fill={"#email": "nobody@example.com"},
                                                 then="main h1", status=200)),
    "reset-link-that-no-longer-works": ("anonymous", visit("/agent/reset-password/an-old-link", status=404)),
    "two-step": ("agent", visit("/agent/two-step")),
    "two-step-scan": ("supervisor", scan_code()),
    "two-step-scan-errors": ("supervisor", scan_code(send_empty=True)),
    "notifications": ("agent", visit("/agent/notifications")),
    "erasure-request": ("agent", visit("/agent/erasure-request?which={unclaimed}")),
    "erasure-request-errors": ("agent", submit("/agent/erasure-request", status=400)),
    "change-password-errors": ("agent", submit("/agent/password", status=400)),
    "login-wrong-password": ("anonymous", submit(
        "/agent/login", fill={"#email": "agent@gehoord.example", "#password": "geraden"}, then="#password-error",
        status=200)),
    # The queue.
    "queue": ("agent", visit("/agent/")),
    "queue-overdue": ("agent", visit("/agent/?view=overdue")),
    "queue-escalated": ("agent", visit("/agent/?view=escalated")),
    "queue-category-and-kind": ("agent", visit("/agent/?view=open&category={delivery}&kind=complaint")),
    "queue-nothing-here": ("agent", visit("/agent/?view=all&kind=suggestion")),
    # The search: results, no hits, and a search that cannot mean anything (its sentence at the field).
    "search-results": ("agent", visit("/agent/?q=pakket")),
    "search-no-hits": ("agent", visit("/agent/?q=olifant")),
    "search-refused": ("agent", visit("/agent/?q=%21%21%21", status=400)),
    "search-typed-and-sent-by-keyboard": ("agent", search_by_keyboard("nat gescheurd")),
    # One complaint.
    "complaint-unclaimed": ("agent", visit("/agent/complaints/{unclaimed}")),
    "complaint-overdue": ("agent", visit("/agent/complaints/{late}")),
    "complaint-escalated": ("agent", visit("/agent/complaints/{escalated}")),
    "complaint-with-the-customers-answers-afterwards": ("agent", visit("/agent/complaints/{solved}")),
    "complaint-escalated-for-a-manager": ("supervisor", visit("/agent/complaints/{escalated}")),
    "complaint-manager-answer-errors": ("supervisor", submit(
        "/agent/complaints/{escalated}", form="main form[action$='/manager-answer']", status=400)),
    "queue-escalated-for-a-manager": ("supervisor", visit("/agent/?view=escalated")),
    "complaint-reply-how-does-it-read": ("agent", submit(
        COMPLAINT, form="main form[action$='/reply']", then="#reply-readability", status=200,
        fill={"#reply-body": "Het spijt me. Wij sturen u vandaag een nieuw boek."}, button="preview")),
    "complaint-claimed-with-messages-notes-promises-offer": ("agent", visit("/agent/complaints/{claimed}")),
    "complaint-reply-from-a-template": ("agent", visit(COMPLAINT + "?start=1")),
    "complaint-in-a-view-with-previous-and-next": ("agent", visit("/agent/complaints/{claimed}?view=mine")),
    "queue-with-saved-views-and-rows-ticked": ("agent", tick_rows_and_save_a_view()),
    "queue-bulk-summary-with-one-not-done": ("agent", bulk_claim_with_one_owned()),
    "shortcuts": ("agent", visit("/agent/shortcuts")),
    "shortcut-list-under-the-question-mark": ("agent", shortcut_list()),
    "complaint-reply-errors": ("agent", submit(COMPLAINT, form="main form[action$='/reply']", status=400)),
    "complaint-reply-lint-warning": ("agent", submit(
        COMPLAINT, form="main form[action$='/reply']", then="#lint", status=200,
        fill={"#reply-body": "Normaal gesproken betalen wij binnen een week terug."})),
    "complaint-hand-over-errors": ("agent", submit(
        COMPLAINT, form="main form[action$='/hand-over']",
        open_first="main details:has(form[action$='/hand-over']) > summary")),
    "complaint-close-errors": ("agent", submit(
        COMPLAINT, form="main form[action$='/close']",
        open_first="main details:has(form[action$='/close']) > summary")),
    "complaint-classify-errors": ("agent", submit(COMPLAINT, form="main form[action$='/classify']", status=400)),
    # The mandate screen.
    "mandate": ("agent", visit(COMPLAINT + "/mandate")),
    "mandate-errors": ("agent", submit(COMPLAINT + "/mandate", status=400)),
    "mandate-amount-error": ("agent", submit(
        COMPLAINT + "/mandate", check=["#remedy-3"], fill={"#amount": "veel", "#text": "Wij betalen u terug."})),
    "mandate-with-an-offer": ("agent", visit("/agent/complaints/{claimed}/mandate")),
    # Moving a date.
    "move": ("agent", visit(MOVE_FIRST)),
    "move-errors": ("agent", submit(MOVE_FIRST)),
    "move-a-second-time": ("agent", visit("/agent/complaints/{asked}/promises/{moved_once}/move")),
    # Co-signing, as a supervisor.
    "cosign-with-a-waiting-offer": ("supervisor", visit("/agent/cosign")),
    "cosign-refuse-errors": ("supervisor", submit(
        "/agent/cosign", form=REFUSE, open_first="main .box:has(" + REFUSE.removeprefix("main ") + ") summary")),
    # Filing for a customer.
    "new": ("agent", visit("/agent/new")),
    "new-errors": ("agent", submit("/agent/new", status=400)),
    "new-wrong-email-and-phone": ("agent", submit(
        "/agent/new", check=["#channel-0", "#wish-0", "#language-1"],
        fill={"#story": "Zij belde: de rekening is te hoog.", "#name": "Mevrouw Jansen", "#email": "jansen@",
              "#phone": "bel me"})),
    # A page that is not for the agent's role.
    "forbidden-cosign-for-an-agent": ("agent", visit("/agent/cosign", status=403)),
    # The customer's status page, in the states the agents' work brings.
    "status-open-offer": ("anonymous", visit("/s/{claimed_token}")),
    "status-offer-answer-errors": ("anonymous", submit("/s/{claimed_token}", form="main form[action*='/offer/']")),
    "status-waiting-for-a-cosign": ("anonymous", visit("/s/{above_token}")),
    "status-second-new-date-proposed": ("anonymous", visit("/s/{asked_token}")),
    "status-new-date-answer-errors": ("anonymous", submit("/s/{asked_token}", form="main form[action*='/date/']")),
    "status-resolved-with-reopen": ("anonymous", visit("/s/{solved_token}")),
    "status-reopen-errors": ("anonymous", submit("/s/{solved_token}", form="main form[action$='/reopen']")),
}


@pytest.mark.parametrize("language,name", [pytest.param(language, name, id=f"{language}-{name}")
                                           for language in ("nl", "en") for name in PAGES])
def test_the_agent_page_has_no_axe_violations_and_fits_a_phone(page_as, world, language, name):
    role, arrive = PAGES[name]
    page = page_as(role)
    arrive(page, world, language)
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


def test_the_world_shows_what_the_page_checks_are_about(page_as, world):
    """The states are really there, so a clean axe run means something."""
    agent, customer = page_as("agent"), page_as("anonymous")
    in_language(agent, "en", f"/agent/complaints/{world['claimed']}")
    main = agent.locator("main")
    for text in ("Ik heb nog een foto van de doos", "Klant belde ook", "Moved", "Offered"):
        expect(main).to_contain_text(text)
    in_language(agent, "en", "/agent/?view=overdue")
    expect(agent.locator("main tbody")).to_contain_text(re.compile(r"\d+ working days? overdue"))
    in_language(customer, "en", f"/s/{world['asked_token']}")
    expect(customer.locator("main .timeline")).to_contain_text("Your answer is needed")
    in_language(customer, "en", f"/s/{world['claimed_token']}")
    expect(customer.get_by_role("heading", name="Our proposal")).to_be_visible()
    in_language(customer, "en", f"/s/{world['solved_token']}")
    expect(customer.get_by_role("heading", name="Not solved after all?")).to_be_visible()
    supervisor = page_as("supervisor")
    in_language(supervisor, "en", "/agent/cosign")
    expect(supervisor.locator("main")).to_contain_text(world["above"])


def test_shortcuts_move_tick_search_claim_and_reply_and_stay_quiet_while_typing(browser, live_server, live_app):
    with live_app.app_context():
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(story="De lamp die ik kocht doet het niet.", email="keys@example.com"))
        reference = filing.file_draft(draft, calendar=get_calendar()).complaint.reference
        db.session.commit()
    context = browser.new_context(base_url=live_server.url, locale=LOCALES["en"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "agent")
    in_language(page, "en", "/agent/?view=unassigned")
    rows = page.locator("tr[data-row]")
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile("row--current"))
    expect(rows.nth(0).locator("[data-row-link]")).to_be_focused()
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile("row--current"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("row--current"))
    page.keyboard.press("x")
    expect(rows.nth(0).locator("[data-pick]")).to_be_checked()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("jkx?")
    expect(page.locator("#q")).to_have_value("jkx?")
    expect(rows.nth(0)).to_have_class(re.compile("row--current")), "typing in a field moves nothing"
    expect(page.locator("#shortcut-help")).to_be_hidden()
    page.locator("main h1").click()
    page.keyboard.press("?")
    expect(page.locator("#shortcut-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#shortcut-help")).to_be_hidden()

    in_language(page, "en", f"/agent/complaints/{reference}?view=unassigned")
    page.locator("main h1").click()
    navigate(page, page.keyboard.press, "c")
    expect(page.locator(".case__glance")).to_contain_text("(you)")
    page.locator("main h1").click()
    page.keyboard.press("r")
    reply = page.locator("#reply-body")
    expect(reply).to_be_focused()
    page.keyboard.type("1 ")
    expect(reply).to_have_value("1 "), "a number typed in the reply box is a number"
    page.locator("main h1").click()
    page.once("dialog", lambda dialog: dialog.accept())  # "replace what you wrote?"
    page.keyboard.press("1")
    expect(reply).to_have_value(re.compile(r"^Beste Fatima el Amrani,"))
    expect(reply).to_be_focused()

    page.goto("/agent/shortcuts")
    page.locator("input[name=shortcuts][value=off]").check(force=True)
    navigate(page, page.locator("main form button[type=submit]").click)
    in_language(page, "en", "/agent/?view=unassigned")
    page.locator("main h1").click()
    page.keyboard.press("j")
    page.keyboard.press("?")
    expect(page.locator("tr.row--current")).to_have_count(0)
    expect(page.locator("#shortcut-help")).to_have_count(0)
    with live_app.app_context():
        people.set_shortcuts(person("agent"), on=True)  # as the other checks of this module expect
        db.session.commit()
    context.close()
