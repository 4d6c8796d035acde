"""A kept status page is shown again only while it is still true (portal/page_cache.py).

The whole suite runs with the cache on, so every status page test also checks it; these tests
change a complaint in the ways the pages do not (other services, plain SQL, time) and look again.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from portal.extensions import db
from portal.models import Category, Complaint, User, utcnow
from portal.services import work
from tests.conftest import soup, text_of

EN = {"Accept-Language": "en"}


@pytest.fixture
def statements(app):
    """Counts the SQL statements of the requests made inside `with statements:`."""
    class Counter:
        count = 0

        def __enter__(self):
            self.count = 0
            event.listen(db.engine, "before_cursor_execute", self._one)
            return self

        def _one(self, *_args):
            self.count += 1

        def __exit__(self, *_exc):
            event.remove(db.engine, "before_cursor_execute", self._one)

    return Counter()


def page_text(client, token, **headers) -> str:
    response = client.get(f"/s/{token}", headers=headers)
    assert response.status_code == 200
    return text_of(soup(response))


def agent() -> User:
    return db.session.scalar(select(User).where(User.role == "agent"))


def test_a_page_read_again_is_not_built_again(client, create_complaint, statements):
    _complaint, token = create_complaint()
    with statements:
        first = client.get(f"/s/{token}").get_data(as_text=True)
    built = statements.count
    with statements:
        again = client.get(f"/s/{token}").get_data(as_text=True)
    assert again == first
    assert built >= 4 and statements.count == 1, (built, statements.count)


def test_a_reply_from_the_team_shows_at_once(client, create_complaint):
    complaint, token = create_complaint()
    assert "No messages yet." in page_text(client, token, **EN)
    work.claim(complaint, agent())
    work.reply(complaint, agent(), "We send a new book today.")
    db.session.commit()
    text = page_text(client, token, **EN)
    assert "We send a new book today." in text and "No messages yet." not in text
    assert agent().name in text, "the contact person"


def test_a_change_made_with_plain_sql_shows_at_once(client, create_complaint):
    complaint, token = create_complaint()
    assert "Not kept" not in page_text(client, token, **EN)
    # As the tick or a script would: no ORM object changes, the database's trigger sees it.
    db.session.execute(text("UPDATE promises SET state = 'missed' WHERE complaint_id = :id"), {"id": complaint.id})
    db.session.commit()
    assert "Not kept" in page_text(client, token, **EN)


def test_a_new_name_for_the_contact_person_or_a_new_category_text_shows_at_once(client, create_complaint):
    complaint, token = create_complaint(category="delivery")
    work.claim(complaint, agent())
    db.session.commit()
    page_text(client, token, **EN)
    agent().name = "Noor Visser-de Jong"
    category = db.session.get(Category, complaint.category_id)
    category.can_do_en = "We send you a new one within a week."
    db.session.commit()
    text = page_text(client, token, **EN)
    assert "Noor Visser-de Jong" in text
    assert "We send you a new one within a week." in text


def test_each_language_has_its_own_page(client, create_complaint):
    _complaint, token = create_complaint()
    assert "What we promised you" in page_text(client, token, **EN)
    assert "Wat wij u beloofden" in page_text(client, token)
    assert "What we promised you" in page_text(client, token, **EN)


def test_the_button_to_open_it_again_goes_when_the_30_days_are_over(client, create_complaint, monkeypatch):
    complaint, token = create_complaint()
    complaint.status, complaint.resolved_at = "resolved", utcnow() - timedelta(days=29)
    db.session.commit()
    assert "Not solved after all?" in page_text(client, token, **EN)
    later = utcnow() + timedelta(days=2)
    monkeypatch.setattr("portal.page_cache.utcnow", lambda: later)
    monkeypatch.setattr("portal.services.work.utcnow", lambda: later)
    assert "Not solved after all?" not in page_text(client, token, **EN)


def test_a_link_that_stopped_working_is_not_shown_from_memory(client, create_complaint):
    complaint, token = create_complaint()
    page_text(client, token)
    db.session.execute(text("DELETE FROM status_links WHERE complaint_id = :id"), {"id": complaint.id})
    db.session.commit()
    assert client.get(f"/s/{token}").status_code == 404


def test_the_notices_after_a_change_are_shown_on_a_kept_page(client, create_complaint):
    _complaint, token = create_complaint()
    page_text(client, token, **EN)
    response = client.get(f"/s/{token}?changed=1", headers=EN)
    assert "We have saved your new details." in text_of(soup(response))
    assert "We have saved your new details." not in page_text(client, token, **EN)


def test_every_visitor_of_a_kept_page_gets_their_own_form_token_and_can_send(app, create_complaint):
    app.config["WTF_CSRF_ENABLED"] = True
    complaint, token = create_complaint()
    first, second = app.test_client(), app.test_client()

    def form_token(client):
        page = client.get(f"/s/{token}", headers=EN).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    first_token, second_token = form_token(first), form_token(second)
    assert first_token != second_token
    assert "\x00" not in first_token + second_token
    response = second.post(f"/s/{token}", data={"body": "Here is the receipt number: 4411.",
                                                "csrf_token": second_token}, headers=EN)
    assert response.status_code == 302
    assert "Here is the receipt number: 4411." in page_text(first, token, **EN)
    assert db.session.scalar(select(Complaint.id)) == complaint.id


def test_the_cache_keeps_within_its_page_count_and_its_characters():
    from portal.page_cache import PageCache

    cache = PageCache(size=3, max_characters=1_000)
    for number in range(5):
        cache.put(("page", number), 1, until=100.0, html="x" * 50, now=0.0)
    assert len(cache) == 3 and cache.get(("page", 0), 1, now=1.0) is None
    assert cache.get(("page", 4), 1, now=1.0) == "x" * 50
    cache.put(("long",), 1, until=100.0, html="y" * 101, now=1.0)  # over a tenth of the whole: not kept
    assert cache.get(("long",), 1, now=1.0) is None
    for number in range(3):
        cache.put(("page", number), 1, until=100.0, html="z" * 90, now=1.0)
    assert cache._characters <= 1_000 and len(cache) == 3


def test_a_page_past_its_time_leaves_memory_even_when_nobody_asks_for_it():
    from portal.page_cache import SWEEP_SECONDS, PageCache

    cache = PageCache(size=10)
    cache.put(("status", "erased-link", "nl"), 1, until=10.0, html="Fatima's story", now=0.0)
    cache.put(("start", "nl"), 1, until=10_000.0, html="start", now=0.0)
    assert cache.get(("start", "nl"), 1, now=10.0 + SWEEP_SECONDS) == "start"
    assert len(cache) == 1, "the other page went at the sweep, though nobody asked for it"
    cache.put(("late",), 1, until=5.0, html="already past", now=6.0)
    assert len(cache) == 1
