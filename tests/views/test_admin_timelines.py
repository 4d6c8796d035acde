"""Admins edit promise-timelines: plain promises only, a live preview, versions that never touch old promises."""
from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, PromiseTimeline, User
from portal.services import promise_editor as editor
from portal.services import timelines
from portal.services.organisation import get_calendar
from tests.conftest import EN, soup, text_of

URL = "/admin/timelines/complaint/general"


def form_data(page) -> dict:
    """Everything the edit form would send as it is."""
    form = page.find("main").find("form")
    data = {}
    for tag in form.find_all(["input", "textarea", "select"]):
        if not tag.get("name") or tag.get("type") == "submit":
            continue
        if tag.name == "textarea":
            data[tag["name"]] = tag.get_text()
        elif tag.name == "select":
            chosen = tag.find("option", selected=True) or tag.find("option")
            data[tag["name"]] = chosen["value"]
        else:
            data[tag["name"]] = tag.get("value", "")
    return data


def test_the_editor_shows_the_steps_and_the_dates_a_customer_would_see(client, auth):
    assert auth.login("admin").status_code == 302
    page = soup(client.get(URL, headers=EN))
    text = text_of(page)
    assert "A person has read your complaint and contacts you" in text
    assert "before a long weekend" in text
    rows = page.select(".editor__preview .preview-steps > li")
    assert len(rows) == 3 and all("2026" in row.get_text() or "2027" in row.get_text() for row in rows)
    assert not page.select("input[type=text][name$=-key]"), "technical keys are not shown to the admin"


def test_a_hedge_word_blocks_saving_and_the_fixed_text_is_saved_as_a_new_version(client, create_complaint, auth):
    before, _ = create_complaint()
    old_dates = [p.due_at for p in before.promises]
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    data["steps-0-label_en"] = "We aim to contact you as soon as possible"
    data["steps-0-offset_amount"] = "2"
    response = client.post(URL, headers=EN, data={**data, "action": "save"})
    text = text_of(soup(response))
    assert "Not saved yet" in text and "stops the saving" in text and "as soon as possible" in text
    assert db.session.scalar(select(db.func.max(PromiseTimeline.version))
                             .where(PromiseTimeline.kind == "complaint", PromiseTimeline.category_id.is_(None))) == 1
    data["steps-0-label_en"] = "A person has read your complaint and contacts you"
    response = client.post(URL, data={**data, "action": "save"})
    assert response.status_code == 302
    current = timelines.current_timeline("complaint", None)
    assert current.version == 2 and current.steps[0].offset_amount == 2
    db.session.refresh(before)
    assert [p.due_at for p in before.promises] == old_dates, "promises already made never change"
    after, _ = create_complaint(category="other")
    new_steps = editor.steps_of(current)
    assert [p.due_at for p in after.promises] == editor.preview(new_steps, after.created_at, get_calendar())
    assert [p.due_at for p in after.promises] != editor.preview(editor.steps_of(before.timeline), after.created_at,
                                                                get_calendar()), "the new complaint has the new dates"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "timeline_saved"))
    assert event.user.role == "admin" and event.before[0]["offset_amount"] == 1 and event.after[0]["offset_amount"] == 2


def test_bad_offsets_no_steps_and_too_late_steps_get_clear_errors(app):
    from flask_babel import force_locale

    with force_locale("en"):
        check_bad_offsets()


def check_bad_offsets():
    calendar = get_calendar()
    step = dict(key="contact", offset_amount=0, offset_unit="working_days", relative_to="filing",
                label_nl="Iemand belt u", label_en="A person calls you")
    result = editor.check([step], calendar, 6)
    assert result.blocks_saving and "1 or more" in str(result.steps[0].errors[0][1])
    assert editor.check([dict(step, offset_amount=-3)], calendar, 6).blocks_saving
    assert "at least one step" in str(editor.check([], calendar, 6).errors[0])
    late = editor.check([dict(step, offset_amount=40)], calendar, 6)
    assert late.blocks_saving and "6 weeks" in str(late.steps[0].errors[0][1])
    assert not editor.check([dict(step, offset_amount=10)], calendar, 6).blocks_saving
    huge = editor.check([dict(step, offset_amount=10**12)], calendar, 6)  # answered at once, not after years of days
    assert huge.blocks_saving and "6 weeks" in str(huge.steps[0].errors[0][1])
    assert editor.preview([dict(step, offset_amount=10**12)], editor.utcnow(), calendar) == [None]


def test_adding_moving_and_removing_steps(client, auth):
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    page = soup(client.post(URL, data={**data, "action": "add"}))
    assert len(page.select("fieldset[id^=step-]")) == 4
    data = form_data(page)
    page = soup(client.post(URL, data={**data, "action": "up-1"}))
    assert page.find("input", {"name": "steps-0-key"})["value"] == "proposal"
    data = form_data(page)
    page = soup(client.post(URL, data={**data, "action": "remove-3"}))
    assert len(page.select("fieldset[id^=step-]")) == 3
    assert timelines.current_timeline("complaint", None).version == 1, "nothing saved by editing"


def test_a_new_step_gets_its_key_made_for_it_and_old_keys_never_change(client, auth):
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    data = form_data(soup(client.post(URL, data={**data, "action": "add"})))
    assert data["steps-3-key"] == "", "no key while the step is being written"
    data.update({"steps-3-label_nl": "U krijgt een vragenlijst", "steps-3-label_en": "You get a short survey",
                 "steps-3-offset_amount": "10"})
    assert client.post(URL, data={**data, "action": "save"}).status_code == 302
    keys = [step.key for step in timelines.current_timeline("complaint", None).steps]
    assert keys == ["contact", "proposal", "resolved", "you_get_a_short_survey"]
    steps = editor.with_keys([dict(key="", label_en="Contact"), dict(key="contact"), dict(key="", label_en="")])
    assert [step["key"] for step in steps] == ["contact_2", "contact", "step"]


def test_the_preview_equals_what_filing_really_produces(app, create_complaint):
    calendar = get_calendar()
    friday = editor.holiday_friday(calendar, editor.utcnow())
    steps = editor.steps_of(timelines.current_timeline("complaint", None))
    complaint, _ = create_complaint(category="other", now=friday)
    assert editor.preview(steps, friday, calendar) == [p.due_at for p in complaint.promises]
    assert friday.weekday() == 4 and (friday.hour, friday.minute) == (16, 55)
    assert not calendar.is_working_day(friday.date() + timedelta(days=3)), "the Monday after is a day off"


def test_a_version_shows_what_changed_and_an_older_one_comes_back_as_new(client, auth):
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    data["steps-1-offset_amount"] = "4"
    client.post(URL, data={**data, "action": "save"})
    second = timelines.current_timeline("complaint", None)
    page = soup(client.get(f"/admin/timelines/versions/{second.id}", headers=EN))
    changes = [li.get_text(" ", strip=True) for li in page.select("#changes li")]
    assert changes == ["Step 2 (“You get our proposal or our answer”) was “within 5 working days of filing”, "
                       "is now “within 4 working days of filing”."]
    dutch = [li.get_text(" ", strip=True) for li in soup(client.get(f"/admin/timelines/versions/{second.id}"))
             .select("#changes li")]
    assert dutch == ["Stap 2 (“U krijgt ons voorstel of ons antwoord”) was “binnen 5 werkdagen na het indienen”, "
                     "is nu “binnen 4 werkdagen na het indienen”."]
    assert "working_days" not in page.get_text() and "proposal:" not in page.get_text()
    first = db.session.scalar(select(PromiseTimeline).where(PromiseTimeline.kind == "complaint",
                                                            PromiseTimeline.category_id.is_(None),
                                                            PromiseTimeline.version == 1))
    client.post(f"/admin/timelines/versions/{first.id}/restore")
    third = timelines.current_timeline("complaint", None)
    assert third.version == 3 and [s.offset_amount for s in third.steps] == [1, 5, 10]


def test_a_category_gets_its_own_timeline(client, auth):
    assert auth.login("admin").status_code == 302
    url = "/admin/timelines/complaint/delivery"
    data = form_data(soup(client.get(url)))
    data["steps-0-offset_amount"] = "3"
    data["steps-0-offset_unit"] = "working_hours"
    assert client.post(url, data={**data, "action": "save"}).status_code == 302
    delivery = timelines.current_timeline("complaint", db.session.scalar(
        select(PromiseTimeline.category_id).where(PromiseTimeline.category_id.is_not(None))))
    assert delivery.steps[0].offset_unit == "working_hours"
    assert timelines.current_timeline("complaint", None).version == 1, "the general one is untouched"


def test_only_admins_edit(client, auth):
    auth.login("agent")
    assert client.get(URL).status_code == 403
    assert db.session.scalar(select(User).where(User.role == "admin")) is not None


def test_the_preview_keeps_one_row_per_step_when_one_step_has_no_valid_offset(client, auth):
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    data["steps-0-offset_amount"] = ""
    page = soup(client.post(URL, headers=EN, data={**data, "action": "preview"}))
    rows = page.select(".editor__preview .preview-steps > li")
    cells = [[row.strong.get_text(" ", strip=True)] + [dd.get_text(" ", strip=True) for dd in row.find_all("dd")]
             for row in rows]
    assert cells[0][0] == "A person has read your complaint and contacts you" and cells[0][1:] == ["–", "–"]
    assert cells[2][0] == "What we agreed with you has been done" and "20" in cells[2][1] and "20" in cells[2][2]
    steps = editor.steps_of(timelines.current_timeline("complaint", None))
    assert editor.preview([dict(steps[0], offset_amount=None)] + steps[1:], editor.utcnow(), get_calendar())[0] is None


def test_an_unknown_counting_start_is_refused(client, auth):
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    data["steps-1-relative_to"] = "the-moon"
    response = client.post(URL, headers=EN, data={**data, "action": "save"})
    assert response.status_code == 200 and "Choose from filing or from the step before" in text_of(soup(response))
    assert timelines.current_timeline("complaint", None).version == 1, "nothing saved"
    data["steps-1-relative_to"] = "previous"
    assert client.post(URL, data={**data, "action": "save"}).status_code == 302
    assert timelines.current_timeline("complaint", None).steps[1].relative_to == "previous"


def test_a_closing_day_on_a_promised_date_does_not_move_that_promise(client, create_complaint, auth):
    from datetime import timedelta as days

    complaint, _ = create_complaint()
    dates = [p.due_at for p in complaint.promises]
    calendar = get_calendar()
    promised_day = calendar.local_date(dates[0])
    assert auth.login("admin").status_code == 302
    response = client.post("/admin/calendar/closing-days",
                           data={"closing-day": promised_day.isoformat(), "closing-closed_from": "",
                                 "closing-reason": "Staff day"})
    assert response.status_code == 302
    db.session.refresh(complaint)
    assert [p.due_at for p in complaint.promises] == dates, "a promise made is kept as it was made"
    from portal.services.organisation import _forget_cached_organisation

    _forget_cached_organisation()  # this test's own app context still holds the calendar of before
    db.session.expire_all()
    newer, _ = create_complaint(now=complaint.created_at + days(seconds=1))
    assert get_calendar().local_date(newer.promises[0].due_at) != promised_day, "new promises skip the closing day"


def test_saving_without_a_change_makes_no_version(client, auth):
    assert auth.login("admin").status_code == 302
    data = form_data(soup(client.get(URL)))
    response = client.post(URL, data={**data, "action": "save"}, headers=EN)
    assert response.status_code == 302
    page = soup(client.get(URL, headers=EN))
    assert "Nothing changed, so no new version was made." in page.get_text()
    assert timelines.current_timeline("complaint", None).version == 1
    first = timelines.current_timeline("complaint", None)
    client.post(f"/admin/timelines/versions/{first.id}/restore")
    assert timelines.current_timeline("complaint", None).version == 1, "bringing back the current one: no version"


def test_offsets_read_with_their_plural_right(client, auth):
    assert auth.login("admin").status_code == 302
    text = " ".join(soup(client.get("/admin/timelines")).get_text(" ").split())
    assert "1 werkdag ·" in text and "5 werkdagen" in text and "1 werkdagen" not in text
    text = " ".join(soup(client.get("/admin/timelines", headers=EN)).get_text(" ").split())
    assert "1 working day ·" in text and "1 working days" not in text
