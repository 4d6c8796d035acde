"""/admin/ is an overview: what is set up, and what needs attention with a link to fix it."""
from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import ClosingDay, PromiseTimeline, utcnow
from portal.services import timelines
from portal.services.organisation import get_calendar, get_organisation
from tests.conftest import EN, soup


def words(page) -> str:
    return " ".join(page.get_text(" ").split())


def test_a_fresh_set_up_needs_no_attention_and_says_what_is_there(client, auth):
    auth.login("admin")
    page = soup(client.get("/admin/", headers=EN))
    assert page.h1.get_text(strip=True) == "Admin overview"
    assert page.select_one("#attention").get_text(strip=True) == "Nothing needs your attention."
    text = words(page)
    assert "categories customers can choose" in text and "None in the next 60 days." in text
    assert page.select_one("header a[href='/admin/']").get_text(strip=True) == "Admin"


def test_the_overview_lists_what_needs_attention_with_a_link_each(client, auth, create_user):
    noor = create_user(role="agent", name="Noor Visser", mandate=0, budget=0)
    create_user(role="agent", name="Piet Smit", mandate=50, budget=500)
    suggestion = timelines.current_timeline("suggestion", None)
    db.session.delete(suggestion)
    organisation = get_organisation()
    today = get_calendar().local_date(utcnow())
    db.session.add(ClosingDay(organisation_id=organisation.id, day=today + timedelta(days=10), reason="Personeelsdag"))
    db.session.add(ClosingDay(organisation_id=organisation.id, day=today + timedelta(days=90), reason="Later"))
    db.session.commit()
    assert db.session.get(PromiseTimeline, suggestion.id) is None
    auth.login("admin")
    page = soup(client.get("/admin/", headers=EN))
    items = [words(li) for li in page.select("#attention li")]
    assert items == [
        "Idea or suggestion: there is no promise-timeline, so customers get no dates. Make the timeline",
        "Noor Visser works complaints but has no mandate, so every offer waits for a co-sign. "
        "Give Noor Visser a mandate"]
    assert page.select_one("#attention a[href$='/admin/timelines/suggestion/general']") is not None
    assert page.select_one(f"#attention a[href$='/admin/people/{noor.id}']") is not None
    text = words(page)
    assert "In the next 60 days: 1 closing day." in text and "Personeelsdag" in text and "Later" not in text
    dutch = words(soup(client.get("/admin/")))
    assert "Noor Visser behandelt klachten maar heeft geen mandaat" in dutch


def test_removing_a_closing_day_asks_first_and_reports_after(client, auth):
    organisation = get_organisation()
    today = get_calendar().local_date(utcnow())
    closing = ClosingDay(organisation_id=organisation.id, day=today + timedelta(days=20), reason="Heidag")
    db.session.add(closing)
    db.session.commit()
    closing_id = closing.id
    auth.login("admin")
    url = f"/admin/calendar/closing-days/{closing_id}/remove"
    asked = soup(client.post(url, headers=EN))
    assert asked.h1.get_text(strip=True).startswith("Remove the closing day")
    assert asked.find("button", string=lambda s: s and "Yes, remove it" in s) is not None
    assert asked.find("a", string="No, keep it")["href"].startswith("/admin/calendar")
    assert db.session.get(ClosingDay, closing.id) is not None, "asking removes nothing"
    done = client.post(url, data={"confirm": "yes"}, headers=EN)
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(ClosingDay).where(ClosingDay.id == closing_id)) is None
    page = words(soup(client.get("/admin/calendar", headers=EN)))
    assert "The closing day" in page and "is removed." in page
