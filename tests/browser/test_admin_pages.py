"""The admins' side in a real browser: a promise-timeline is changed (a hedge word is refused, the fixed text
is saved) and only complaints filed afterwards get the new dates; and axe-core on every admin page and on the
public "you said, we did" page, in Dutch and English, at 390px too.

The server, its database and Chromium are shared per module (tests/browser/conftest.py); the logged-in
contexts per role come from tests/browser/test_agent_pages.py. The story takes fresh contexts of its own.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import select

from portal.services import filing
from portal.extensions import db
from portal.formatting import when
from portal.models import Complaint, utcnow
from portal.services import promise_editor as editor
from portal.services import audit, categories, improvements, timelines, work
from portal.services import organisation as organisation_settings
from portal.services.organisation import get_calendar, get_organisation
from portal.services.people import create_user
from tests.browser.conftest import fill_complaint
from tests.browser.test_accessibility import AXE, PHONE_WIDTH, WIDER_THAN_VIEWPORT, describe_violations
from tests.browser.test_agent_pages import in_language, log_in, no_console_errors, page_as, press  # noqa: F401
from tests.fixtures.complaints import answers
from tests.fixtures.people import person

pytestmark = pytest.mark.browser

EDITOR = "/admin/timelines/complaint/general"
HEDGE = "We aim to contact you as soon as possible"
OLD_LABEL = "A person has read your complaint and contacts you"
NEW_LABEL = "A person has read your complaint and calls or mails you"
DATE_TIME = re.compile(r"\d{1,2} \w+ 20\d\d, \d\d:\d\d")


# --- what the app itself says a date is ----------------------------------------------------------------

def shown(app, moment, language: str = "en") -> str:
    """A moment as the pages show it ('Thursday 5 March 2026, 17:00'), in the organisation's zone."""
    with app.test_request_context("/"), force_locale(language):
        return when(moment)


def general_complaint_timeline(app) -> tuple[int, list[dict]]:
    with app.app_context():
        current = timelines.current_timeline("complaint", None)
        return current.version, editor.steps_of(current)


def first_due(app, steps: list[dict], filed_at) -> str:
    """The first date these steps promise for something filed at `filed_at`, as shown."""
    with app.app_context():
        return shown(app, editor.preview(steps, filed_at, get_calendar())[0])


def preview_row(page, number: int = 0):
    return page.locator(".editor__preview .preview-steps > li").nth(number)


def timeline_of(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("main .timeline__item").all_inner_texts()]


# --- the whole story -----------------------------------------------------------------------------------

def test_an_admin_changes_a_timeline_a_hedge_is_refused_and_only_new_complaints_get_the_new_dates(
        open_page, live_app, live_server):
    # A complaint is filed before anything changes; its customer keeps the status page.
    with live_app.app_context():
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(email="story.before@example.com", language="en"))
        before = filing.file_draft(draft, calendar=get_calendar())
        db.session.commit()
        before_status, before_dues = f"/s/{before.token}", [p.due_at for p in before.complaint.promises]
    version, old_steps = general_complaint_timeline(live_app)
    new_steps = [dict(step) for step in old_steps]
    new_steps[0].update(offset_amount=2, label_en=NEW_LABEL)

    old_customer = open_page("en")
    old_customer.goto(before_status)
    before_timeline = timeline_of(old_customer)
    expect(old_customer.locator("main .timeline__label").first).to_have_text(OLD_LABEL)
    expect(old_customer.locator("main .timeline__when").first).to_contain_text(shown(live_app, before_dues[0]))

    # The admin logs in and opens the general complaint timeline from the list.
    admin = open_page("en")
    log_in(admin, "admin")
    press(admin, admin.locator("header nav").get_by_role("link", name="Admin", exact=True))
    expect(admin).to_have_url(re.compile(r"/admin/$"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Admin overview")
    press(admin, admin.locator("main .filters").get_by_role("link", name="Promise-timelines", exact=True))
    expect(admin).to_have_url(re.compile(r"/admin/timelines$"))
    press(admin, admin.get_by_role("link", name="Complaint (general)", exact=True))
    expect(admin).to_have_url(re.compile(rf"{EDITOR}$"))
    expect(admin.locator("#steps-0-label_en")).to_have_value(OLD_LABEL)
    expect(admin.locator("#steps-0-offset_amount")).to_have_value(str(old_steps[0]["offset_amount"]))

    # The preview shows real dates: filed now, and filed on the Friday before a long weekend.
    rows = admin.locator(".editor__preview .preview-steps > li")
    expect(rows).to_have_count(len(old_steps))
    for number in range(len(old_steps)):
        expect(rows.nth(number).locator("dd").nth(0)).to_have_text(DATE_TIME)
        expect(rows.nth(number).locator("dd").nth(1)).to_have_text(DATE_TIME)
    old_first = preview_row(admin).locator("dd").nth(0).inner_text()

    # A hedge in step 1 and a later date: saving is refused, and the hedge is named.
    admin.locator("#steps-0-label_en").fill(HEDGE)
    admin.locator("#steps-0-offset_amount").fill("2")
    moment = utcnow()
    press(admin, admin.get_by_role("button", name="Save as a new version"))
    expect(admin.locator(".notice--error[role=alert]")).to_contain_text("Not saved yet")
    step_one = admin.locator("#step-0")
    expect(step_one.locator(".error-message")).to_contain_text(["as soon as possible"])
    expect(step_one).to_contain_text("“as soon as possible”")
    expect(step_one).to_contain_text("stops the saving")
    expect(admin.locator("#steps-0-label_en")).to_have_value(HEDGE)  # nothing the admin typed is lost
    assert general_complaint_timeline(live_app)[0] == version, "a refused timeline is not saved"

    # The preview already shows the later date the new offset gives.
    hedged = [dict(step) for step in new_steps]
    hedged[0]["label_en"] = HEDGE
    expected_first = {first_due(live_app, hedged, moment), first_due(live_app, hedged, utcnow())}
    preview_first = preview_row(admin).locator("dd").nth(0).inner_text()
    assert preview_first in expected_first and preview_first != old_first, (preview_first, expected_first, old_first)

    # The fixed text is saved as a new version; the editor says so and lists it.
    admin.locator("#steps-0-label_en").fill(NEW_LABEL)
    press(admin, admin.get_by_role("button", name="Save as a new version"))
    expect(admin).to_have_url(re.compile(rf"{EDITOR}$"))
    expect(admin.locator(".notice[role=status]")).to_contain_text(f"Saved as version {version + 1}.")
    expect(admin.locator("#steps-0-label_en")).to_have_value(NEW_LABEL)
    expect(admin.locator("#steps-0-offset_amount")).to_have_value("2")
    expect(admin.locator("main .list").get_by_role("link", name=f"Version {version + 1}", exact=True)).to_be_visible()
    assert general_complaint_timeline(live_app) == (version + 1, new_steps)

    # A complaint filed now, through the web flow, gets the new first date and text.
    new_customer = open_page("en")
    fill_complaint(new_customer, email="story.after@example.com")
    press(new_customer, new_customer.get_by_role("button", name="Send your complaint"))
    expect(new_customer).to_have_url(re.compile(r"/s/[^/]+/confirmation$"))
    reference = new_customer.locator(".reference").inner_text().strip()
    with live_app.app_context():
        after = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
        after_filed, after_due = after.created_at, after.promises[0].due_at
    new_date, old_rule_date = shown(live_app, after_due), first_due(live_app, old_steps, after_filed)
    assert new_date == first_due(live_app, new_steps, after_filed), "filing uses the new version"
    assert new_date != old_rule_date
    first = new_customer.locator("main .timeline__item").first
    expect(first.locator(".timeline__when")).to_contain_text(new_date)
    expect(first.locator(".timeline__label")).to_have_text(NEW_LABEL)
    new_customer.goto(re.sub(r"/confirmation$", "", new_customer.url))
    expect(new_customer.locator("main .timeline__item").first.locator(".timeline__when")).to_contain_text(new_date)

    # The older complaint keeps its own dates and texts.
    old_customer.reload()
    assert timeline_of(old_customer) == before_timeline
    expect(old_customer.locator("main .timeline__when").first).to_contain_text(shown(live_app, before_dues[0]))
    expect(old_customer.locator("main .timeline__label").first).to_have_text(OLD_LABEL)
    with live_app.app_context():
        kept = db.session.scalar(select(Complaint).where(Complaint.reference == before.complaint.reference))
        assert [p.due_at for p in kept.promises] == before_dues

    # The new version's page shows what changed.
    press(admin, admin.locator("main .list").get_by_role("link", name=f"Version {version + 1}", exact=True))
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Version {version + 1}")
    diff = admin.locator("main #changes")
    expect(diff).to_contain_text(f"Step 1 (“{NEW_LABEL}”) was “within {old_steps[0]['offset_amount']} working day")
    expect(diff).to_contain_text("is now “within 2 working days of filing”")
    expect(diff).to_contain_text(f"Step 1: the English promise was “{OLD_LABEL}”, is now “{NEW_LABEL}”.")
    expect(diff).not_to_contain_text("Step 2")  # only what changed

    # The older version comes back, as a newer version.
    press(admin, admin.get_by_role("link", name="Back"))
    press(admin, admin.locator("main .list").get_by_role("link", name=f"Version {version}", exact=True))
    press(admin, admin.get_by_role("button", name="Bring this version back (as a new version)"))
    expect(admin).to_have_url(re.compile(rf"{EDITOR}$"))
    expect(admin.locator(".notice[role=status]")).to_contain_text(
        f"Version {version} is back, as version {version + 2}.")
    expect(admin.locator("#steps-0-label_en")).to_have_value(OLD_LABEL)
    expect(admin.locator("#steps-0-offset_amount")).to_have_value(str(old_steps[0]["offset_amount"]))
    assert general_complaint_timeline(live_app) == (version + 2, old_steps)

    # The audit names who did it.
    press(admin, admin.get_by_role("link", name="Back"))
    press(admin, admin.get_by_role("link", name="What changed, by whom"))
    expect(admin.locator("main tbody")).to_contain_text(
        f"saved a new version of the promise-timeline complaint/general v{version + 1}.")
    expect(admin.locator("main tbody")).to_contain_text(
        f"saved a new version of the promise-timeline complaint/general v{version + 2}.")
    no_console_errors(old_customer, admin, new_customer)


# --- a world with something to show on every admin page ------------------------------------------------

@pytest.fixture(scope="module")
def admin_world(live_app) -> dict:
    """Changes made through the services, so every admin page has rows, versions and an audit to show.

    Nothing here touches the general complaint timeline or the calendar's next weeks: the story owns those.
    """
    with live_app.app_context():
        calendar, organisation = get_calendar(), get_organisation()
        admin, supervisor, agent = person("admin"), person("supervisor"), person("agent")

        # A second version of the suggestion timeline: its page has a difference to show.
        steps = editor.steps_of(timelines.current_timeline("suggestion", None))
        steps[0]["offset_amount"] += 2
        steps[0]["explanation_en"] = "You get a real answer, also if we do not carry out your suggestion."
        suggestion = editor.save("suggestion", None, steps, admin, calendar, organisation.max_handling_weeks)

        # The demo agent owns an open complaint, so cannot be switched off yet.
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(email="world.owned@example.com"))
        owned = filing.file_draft(draft, calendar=calendar).complaint
        work.claim(owned, agent)

        # A category, a person and a far-away closing day: each one an audit event.
        categories.save_category(admin, None, dict(
            name_nl="Website en app", name_en="Website and app", hint_nl="Inloggen, bestellen, betalen",
            hint_en="Logging in, ordering, paying", can_do_nl="Wij lossen fouten op.", can_do_en="We fix faults.",
            cannot_do_nl="", cannot_do_en="", disagree_nl="", disagree_en="", disagree_url="", active=True))
        noor = create_user(email="noor.visser@example.com", name="Noor Visser", password="a-long-password",
                           role="agent", mandate_per_complaint_cents=15_000, monthly_budget_cents=300_000)
        audit.audit(admin, "person_created", noor.email, after=dict(role=noor.role, mandate=15_000))
        today = calendar.local_date(utcnow())
        organisation_settings.add_closing_day(admin, today + timedelta(days=300), "12:00", "Personeelsdag", today)
        organisation.colleague_domains = "winkel.example"  # colleagues may join the ambassador app

        # "You said, we did": one published (a customer is told), one not public yet.
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, answers(email="world.wet@example.com", language="en"))
        wet = filing.file_draft(draft, calendar=calendar).complaint
        published = improvements.save_improvement(supervisor, None, dict(
            title_nl="Pakketten blijven droog", title_en="Parcels stay dry",
            body_nl="Bezorgers leggen pakketten nu in een droge box bij de deur.",
            body_en="Drivers now leave parcels in a dry box by the door.", since=today - timedelta(days=10)),
            [wet.reference]).improvement
        improvements.publish_improvement(supervisor, published)
        draft_improvement = improvements.save_improvement(supervisor, None, dict(
            title_nl="Sneller terugbellen", title_en="Calling back sooner",
            body_nl="Wij bellen binnen een werkdag terug.", body_en="We call back within one working day.",
            since=today), []).improvement
        db.session.commit()
        return {"suggestion_version": suggestion.id, "agent": agent.id, "noor": noor.id,
                "published": published.id, "draft": draft_improvement.id, "owned": owned.reference,
                "past_day": (today - timedelta(days=3)).isoformat()}


# --- how to arrive at each page -------------------------------------------------------------------------

def visit(path, status=200):
    def arrive(page, world, language):
        response = in_language(page, language, path.format(**world))
        assert response.status == status, f"{page.url} answered {response.status}, expected {status}"
    return arrive


def submit(path, button="main form button[type=submit]", fill=None, check=(), then=".error-summary",
           status=None):
    """Open the page, fill in what is given, press the button, and see the answer (`then` is visible)."""
    def arrive(page, world, language):
        in_language(page, language, path.format(**world))
        for selector in check:
            page.locator(selector).check()
        for selector, value in (fill or {}).items():
            page.locator(selector).fill(value.format(**world))
        with page.expect_navigation() as navigation:
            page.locator(button).first.click()
        if status is not None:
            assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"
        expect(page.locator(then).first).to_be_visible()
    return arrive


def editor_button(value: str) -> str:
    return f"main form button[name=action][value={value}]"


def open_details(path):
    def arrive(page, world, language):
        visit(path)(page, world, language)
        page.locator("main details > summary").first.click()
        expect(page.locator("main details[open]").first).to_be_visible()
    return arrive


CALENDAR_FORM = "main form:not([action]) button[type=submit]"
CLOSING_FORM = "main form[action$='/admin/calendar/closing-days'] button[type=submit]"
CATEGORY = {"#name_nl": "Bezorging", "#name_en": "Delivery again"}

PAGES = {
    # The overview, then the promise-timelines.
    "overview": ("admin", visit("/admin/")),
    "timelines": ("admin", visit("/admin/timelines")),
    "timeline-editor": ("admin", visit(EDITOR)),
    "timeline-editor-category": ("admin", visit("/admin/timelines/complaint/delivery")),
    "timeline-editor-hedge-error": ("admin", submit(
        EDITOR, button=editor_button("save"), fill={"#steps-0-label_en": HEDGE, "#steps-0-offset_amount": "2"},
        then="#step-0 .error-message:has-text('as soon as possible')", status=200)),
    "timeline-editor-after-add-a-step": ("admin", submit(
        EDITOR, button=editor_button("add"), then="#step-3 #steps-3-offset_amount", status=200)),
    "timeline-version": ("admin", visit("/admin/timelines/versions/{suggestion_version}")),
    # Calendar.
    "calendar": ("admin", visit("/admin/calendar")),
    "calendar-errors": ("admin", submit(
        "/admin/calendar", button=CALENDAR_FORM, status=400, then="#hours_0-error",
        fill={"#timezone": "Mars/Olympus", "#holiday_country": "XX", "#hours_0": "9 to 5"})),
    "calendar-closing-day-in-the-past": ("admin", submit(
        "/admin/calendar", button=CLOSING_FORM, fill={"#closing-day": "{past_day}"}, then=".notice--error")),
    # Categories.
    "categories": ("admin", visit("/admin/categories")),
    "category-new": ("admin", visit("/admin/categories/new")),
    "category-new-errors": ("admin", submit("/admin/categories/new", status=400)),
    "category-new-duplicate-name": ("admin", submit(
        "/admin/categories/new", fill=CATEGORY, then="#name_nl-error", status=400)),
    "category-edit": ("admin", visit("/admin/categories/delivery")),
    # People.
    "people": ("admin", visit("/admin/people")),
    "person-new": ("admin", visit("/admin/people/new")),
    "person-new-errors": ("admin", submit(
        "/admin/people/new", fill={"#mandate": "", "#budget": ""}, status=400)),
    "person-new-wrong-email-and-short-password": ("admin", submit(
        "/admin/people/new", fill={"#name": "Kees", "#email": "kees@", "#password": "kort"}, then="#email-error",
        status=400)),
    "person-new-email-taken": ("admin", submit(
        "/admin/people/new", fill={"#name": "Sanne", "#email": "agent@gehoord.example",
                                   "#password": "a-long-password"}, then="#email-error", status=400)),
    "person": ("admin", visit("/admin/people/{agent}")),
    "person-still-owns-open-complaints": ("admin", submit(
        "/admin/people/{agent}", check=["#active-1"], then="#active-error", status=400)),
    # Organisation.
    "organisation": ("admin", visit("/admin/organisation")),
    "organisation-errors": ("admin", submit(
        "/admin/organisation", status=400, then="#contact_email-error",
        fill={"#contact_email": "not-an-address", "#contact_postal": "", "#max_handling_weeks": "0"})),
    # You said, we did.
    "improvements": ("admin", visit("/admin/improvements")),
    "improvements-as-a-supervisor": ("supervisor", visit("/admin/improvements")),
    "improvement-new": ("admin", visit("/admin/improvements/new")),
    "improvement-new-errors": ("admin", submit(
        "/admin/improvements/new", button="main form button[value=save]", status=400)),
    "improvement-new-unknown-reference": ("supervisor", submit(
        "/admin/improvements/new", button="main form button[value=save]", then="#references-error", status=400,
        fill={"#title_nl": "Droog", "#title_en": "Dry", "#body_nl": "Een box.", "#body_en": "A box.",
              "#since": "2026-11-01", "#references": "{owned} NOPE-NOPE"})),
    "improvement-published": ("admin", visit("/admin/improvements/{published}")),
    "improvement-not-public-yet": ("supervisor", visit("/admin/improvements/{draft}")),
    # Reply templates, by admins and supervisors.
    "reply-templates": ("admin", visit("/admin/replies")),
    "reply-templates-as-a-supervisor": ("supervisor", visit("/admin/replies")),
    "reply-template": ("admin", open_details("/admin/replies/1")),
    "reply-template-new-errors": ("supervisor", submit(
        "/admin/replies/new", status=400,
        fill={"#title": "Levering", "#body": "Beste {{voornaam}}, zo snel mogelijk."})),
    "reply-template-remove-asks-first": ("admin", submit(
        "/admin/replies/2", button="main form[action$='/remove'] button", then="main h1", status=200)),
    # What changed, by whom.
    "audit": ("admin", visit("/admin/audit")),
    "audit-before-and-after-open": ("admin", open_details("/admin/audit")),
    "audit-filtered": ("admin", visit("/admin/audit?action=login&from=2026-01-01")),
    "audit-bad-date": ("admin", visit("/admin/audit?from=31-12-2026")),
    # The public page.
    "public-you-said-we-did": ("anonymous", visit("/you-said-we-did")),
    # Every colleague an ambassador.
    "ambassador-pass-on": ("colleague", visit("/ambassador/")),
    "ambassador-errors": ("colleague", submit(
        "/ambassador/", button="main form button[type=submit]", fill={"#email": "fatima@"}, status=400)),
    "ambassador-mine": ("colleague", visit("/ambassador/mine")),
    "ambassador-join": ("anonymous", visit("/ambassador/join")),
    "ambassador-offline": ("anonymous", visit("/ambassador/offline")),
    "ambassador-join-errors": ("anonymous", submit("/ambassador/join", status=400)),
    "ambassador-join-sent": ("anonymous", submit(
        "/ambassador/join", fill={"#name": "Noor", "#email": "noor@winkel.example"}, then="main h1", status=200)),
    # Insight: what the complaints teach us.
    "insight-overview": ("manager", visit("/insight/")),
    "insight-settings": ("admin", visit("/admin/insight")),
    "integrations": ("admin", visit("/admin/integrations")),
    "integrations-errors": ("admin", submit("/admin/integrations", status=400)),
    "integration-made-token-shown-once": ("admin", submit(
        "/admin/integrations", fill={"#name": "Chatbot"}, check=["#scopes-0"], then="code.token", status=200)),
    "api-docs": ("admin", visit("/admin/integrations/docs")),
    "insight-month": ("manager", visit("/insight/month/2026-11")),
    "insight-month-as-a-supervisor-who-picks": ("supervisor", visit("/insight/month/2026-11")),
    "insight-month-unknown-reference": ("supervisor", submit(
        "/insight/month/2026-11", button="main form[action$='/stories'] button[type=submit]",
        fill={"#reference": "NOPE-NOPE"},
        then=".notice--error", status=200)),
    "insight-settings-errors": ("admin", submit(
        "/admin/insight", fill={"#cost_per_hour": "veel", "#target_promises_kept": "120"}, status=400,
        then="#target_promises_kept-error")),
    "insight-overview-a-year-as-a-supervisor": ("supervisor", visit("/insight/?from=2026-01-01&to=2026-12-31")),
    "insight-charter": ("manager", visit("/insight/charter")),
    "insight-return": ("manager", visit("/insight/return")),
    "insight-bad-date-and-filter": ("manager", visit("/insight/?from=31-12-2026&kind=rant", status=400)),
}


@pytest.mark.parametrize("language,name", [pytest.param(language, name, id=f"{language}-{name}")
                                           for language in ("nl", "en") for name in PAGES])
def test_the_admin_page_has_no_axe_violations_and_fits_a_phone(page_as, admin_world, language, name):
    role, arrive = PAGES[name]
    page = page_as(role)
    arrive(page, admin_world, language)
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


def test_the_world_shows_what_the_admin_page_checks_are_about(page_as, admin_world):
    """The states are really there, so a clean axe run means something."""
    admin, visitor = page_as("admin"), page_as("anonymous")
    in_language(admin, "en", "/admin/timelines/versions/{suggestion_version}".format(**admin_world))
    expect(admin.locator("main #changes")).to_contain_text("is now “within 7 working days of filing”")
    in_language(admin, "en", "/admin/calendar")
    expect(admin.locator("main")).to_contain_text("Personeelsdag")
    in_language(admin, "en", "/admin/people/{agent}".format(**admin_world))
    expect(admin.locator("main")).to_contain_text("Owns 1 open complaint")
    in_language(admin, "en", "/admin/people")
    expect(admin.locator("main tbody")).to_contain_text("Noor Visser")
    in_language(admin, "en", "/admin/improvements")
    expect(admin.locator("main .list")).to_contain_text("Parcels stay dry · published")
    expect(admin.locator("main .list")).to_contain_text("Calling back sooner · not public yet")
    in_language(admin, "en", "/admin/audit")
    for sentence in ("saved a new version of the promise-timeline", "saved the category", "as Agent.",
                     "added the closing day", "published the improvement"):
        expect(admin.locator("main tbody")).to_contain_text(sentence)
    in_language(visitor, "en", "/you-said-we-did")
    expect(visitor.locator("main section.box")).to_have_count(1)
    expect(visitor.locator("main")).to_contain_text("Drivers now leave parcels in a dry box by the door.")
    expect(visitor.locator("main")).not_to_contain_text("Calling back sooner")
    no_console_errors(admin, visitor)
