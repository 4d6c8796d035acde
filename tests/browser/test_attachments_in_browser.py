"""A customer files a complaint with a photo in Chromium, sees it on the status page, and the agent
sees it on theirs; the photo's preview shows before sending; axe finds nothing on these pages."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import navigate, send_form
from tests.browser.test_agent_pages import log_in, no_console_errors, status_path
from tests.services.test_attachments import a_photo

pytestmark = pytest.mark.browser


def no_axe_findings(page) -> None:
    found = Axe().run(page).response["violations"]
    assert found == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]


def test_a_photo_filed_with_the_story_is_on_the_status_page_and_on_the_agents_page(open_page, tmp_path):
    photo = tmp_path / "doos-in-de-regen.jpg"
    photo.write_bytes(a_photo())
    page = open_page("nl")
    page.goto("/complaint/what-happened")
    page.locator("#story").fill("Het pakket stond in de regen. De doos is helemaal nat.")
    page.locator("#files").set_input_files(str(photo))
    expect(page.locator("[data-file-preview-list] li")).to_contain_text("doos-in-de-regen.jpg")
    expect(page.locator(".file-preview__thumb")).to_have_count(1)
    no_axe_findings(page)
    send_form(page)
    page.locator("#category-0").check()
    send_form(page)
    page.locator("#wish-0").check()
    send_form(page)
    page.locator("#name").fill("Sam de Vries")
    page.locator("#email").fill("sam.foto@example.com")
    send_form(page)
    expect(page.locator(".summary").first).to_contain_text("doos-in-de-regen.jpg")
    no_axe_findings(page)
    send_form(page)
    status = status_path(page)
    page.goto(status)
    picture = page.locator(".attachments__thumb")
    expect(picture).to_have_count(1)
    expect(picture).to_have_attribute("alt", re.compile("doos-in-de-regen.jpg"))
    assert page.evaluate("document.querySelector('.attachments__thumb').naturalWidth") > 0, "the picture loads"
    no_axe_findings(page)
    reference = re.search(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", page.content()).group(0)

    agent = open_page("nl")
    log_in(agent, "agent")
    agent.goto(f"/agent/complaints/{reference}")
    expect(agent.locator(".attachments__thumb")).to_have_count(1)
    assert agent.evaluate("document.querySelector('.attachments__thumb').naturalWidth") > 0
    no_axe_findings(agent)
    no_console_errors(page, agent)


def test_a_photo_goes_with_a_message_without_javascript(open_page, tmp_path):
    from tests.browser.conftest import fill_complaint

    photo = tmp_path / "bon.jpg"
    photo.write_bytes(a_photo(with_gps=False))
    page = open_page("en", javascript=False)
    fill_complaint(page, email="no.js@example.com")
    send_form(page)
    page.goto(status_path(page))
    page.locator("#body").fill("Here is the receipt.")
    page.locator("#files").set_input_files(str(photo))
    navigate(page, page.get_by_role("button", name="Send message").click)
    expect(page.locator(".thread .attachments__thumb")).to_have_count(1)
