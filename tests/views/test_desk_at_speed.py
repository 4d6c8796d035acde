"""Working at speed (issue 18): reply templates the organisation owns, bulk actions with one summary,
saved views, "next complaint", and the switch that turns the keyboard shortcuts off."""
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Category, ReplyTemplate, SavedView
from portal.services import bulk, reply_templates, work
from portal.services.queue import QueueView, neighbours
from tests.conftest import EN, soup, text_of
from tests.fixtures.people import person


def flashes(page) -> list[str]:
    return [" ".join(p.get_text(" ").split()) for p in page.select(".notice p, .notice li")]


# --- reply templates ------------------------------------------------------------------------------

def test_a_template_with_an_unknown_placeholder_or_a_hedge_word_is_refused_and_jargon_only_warns(client, auth):
    assert auth.login("supervisor").status_code == 302, "supervisors write templates too"
    form = {"title": "Levering", "language": "nl", "scope": "all"}
    page = soup(client.post("/admin/replies/new", headers=EN, data={**form, "body": "Beste {voornaam}, sorry."}))
    assert "“{voornaam}” is not a placeholder we can fill in" in text_of(page) and "{first_name}" in text_of(page)
    page = soup(client.post("/admin/replies/new", headers=EN, data={**form, "body": "Beste {name, sorry."}))
    assert "A curly bracket is on its own" in text_of(page)
    page = soup(client.post("/admin/replies/new", headers=EN,
                            data={**form, "body": "Beste {first_name}, we doen het zo snel mogelijk."}))
    assert "zo snel mogelijk" in text_of(page) and "stops the saving" in text_of(page)
    assert db.session.scalar(select(ReplyTemplate).where(ReplyTemplate.title == "Levering")) is None
    response = client.post("/admin/replies/new", headers=EN, data={
        **form, "body": "Beste {first_name},\n\nDank u. Wij passen de prioriteitsstelling aan. Ik bel u op "
                        "{next_promise_date} over {reference}."})
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"], headers=EN))
    assert "The template “Levering” is saved" in text_of(page) and "prioriteitsstelling" in text_of(page)
    assert "Levering" in text_of(page)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reply_template_added"))
    assert event.subject == "Levering" and event.user.role == "supervisor"


def test_the_fitting_templates_come_first_filled_in_for_the_customer(app, client, auth, create_complaint):
    delivery = db.session.scalar(select(Category).where(Category.slug == "delivery"))
    supervisor = person("supervisor")
    for title, scope, language in [("Bezorging", f"category:{delivery.id}", "nl"), ("Voor klachten",
                                   "kind:complaint", "nl"), ("Compliment", "kind:compliment", "nl"),
                                   ("Delivery", f"category:{delivery.id}", "en")]:
        reply_templates.save(supervisor, None, {"title": title, "scope": scope, "language": language,
                                                "body": "Beste {first_name}, over {reference}: op "
                                                        "{next_promise_date} hoort u van {agent_name}."})
    db.session.commit()
    complaint, _ = create_complaint(language="nl", category="delivery", name="Fatima el Amrani")
    auth.login()
    client.post(f"/agent/complaints/{complaint.reference}/claim")
    page = soup(client.get(f"/agent/complaints/{complaint.reference}", headers=EN))
    titles = [a.get_text(" ", strip=True) for a in page.select("[data-reply-templates] a")]
    assert titles[:2] == ["1 Bezorging", "2 Voor klachten"], "its category's first, then its kind's"
    assert "Compliment" not in " ".join(titles) and "Delivery" not in " ".join(titles), "other kinds and languages"
    assert len(titles) == 5, "then the three for everything"
    text = page.select("[data-reply-templates] a")[0]["data-template-text"]
    due = min(p.due_at for p in complaint.promises)
    assert text.startswith(f"Beste Fatima, over {complaint.reference}: op ") and "Sanne de Vries" in text
    assert str(due.astimezone().year) in text and "{" not in text


def test_removing_a_template_asks_first(client, auth):
    template = db.session.scalars(select(ReplyTemplate).order_by(ReplyTemplate.id)).first()
    auth.login("admin")
    url = f"/admin/replies/{template.id}/remove"
    page = soup(client.post(url, headers=EN))
    assert f"Remove the template “{template.title}”?" in text_of(page)
    assert db.session.get(ReplyTemplate, template.id) is not None, "nothing removed before the yes"
    response = client.post(url, data={"confirm": "yes"})
    assert response.status_code == 302
    assert db.session.scalar(select(ReplyTemplate).where(ReplyTemplate.id == template.id)) is None


# --- bulk actions ---------------------------------------------------------------------------------

def test_a_bulk_hand_over_does_each_it_can_and_names_the_one_it_could_not(client, auth, create_complaint):
    agent, supervisor = person("agent"), person("supervisor")
    rows = [create_complaint()[0] for _ in range(3)]
    for complaint in rows:
        work.claim(complaint, agent)
    rows[1].status = "closed"  # closed meanwhile, by someone else
    db.session.commit()
    auth.login()
    response = client.post("/agent/complaints/bulk?view=mine", headers=EN, data={
        "action": "hand_over", "to": str(supervisor.id), "note": "Ik ben een week weg.",
        "ids": [str(c.id) for c in rows]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/agent/?view=mine")
    messages = flashes(soup(client.get(response.headers["Location"], headers=EN)))
    assert messages[0] == "2 handed over, 1 not:"
    assert messages[1].startswith(f"{rows[1].reference}: This complaint is no longer open")
    for complaint in rows:
        db.session.refresh(complaint)
    assert [c.owner_id for c in rows] == [supervisor.id, agent.id, supervisor.id]
    assert [len(c.notes) for c in rows] == [1, 0, 1], "the refused one keeps nothing of the attempt"


def test_a_bulk_action_needs_rows_and_what_it_needs(client, auth, create_complaint):
    complaint, _ = create_complaint()
    auth.login()
    page = soup(client.post("/agent/complaints/bulk", headers=EN, data={"action": "claim"}, follow_redirects=True))
    assert "Choose one or more complaints first" in text_of(page)
    page = soup(client.post("/agent/complaints/bulk", headers=EN, follow_redirects=True,
                            data={"action": "hand_over", "ids": [str(complaint.id)]}))
    assert "Choose a colleague and write a note" in text_of(page)
    page = soup(client.post("/agent/complaints/bulk", headers=EN, follow_redirects=True,
                            data={"action": "claim", "ids": [str(complaint.id)]}))
    assert "1 claimed." in flashes(page)
    db.session.refresh(complaint)
    assert complaint.owner_id == person("agent").id


def test_bulk_classify_and_claim_report_each_refusal_and_keep_the_rest(app, create_complaint):
    agent, supervisor = person("agent"), person("supervisor")
    first, second = create_complaint()[0], create_complaint()[0]
    work.claim(second, supervisor)
    result = bulk.apply("claim", [first.id, second.id, first.id], agent)
    assert result.done == [first.reference] and [ref for ref, _ in result.not_done] == [second.reference]
    result = bulk.apply("classify", [first.id, second.id], agent, handled_as="fix", root_cause="process")
    assert result.done == [first.reference, second.reference] and first.root_cause == "process"


# --- saved views ----------------------------------------------------------------------------------

def test_a_saved_view_is_mine_unless_shared_and_opens_its_filters(client, auth, create_complaint):
    delivery = db.session.scalar(select(Category).where(Category.slug == "delivery"))
    auth.login()
    response = client.post(f"/agent/views?view=unassigned&category={delivery.id}&kind=complaint", headers=EN,
                           data={"name": "Bezorging, los", "shared": "no"})
    assert response.headers["Location"].endswith(f"/agent/?view=unassigned&category={delivery.id}&kind=complaint")
    page = soup(client.get("/agent/", headers=EN))
    link = page.select_one(".saved-views a")
    assert link.get_text() == "Bezorging, los" and f"category={delivery.id}" in link["href"]
    auth.login("supervisor")
    assert soup(client.get("/agent/", headers=EN)).select_one(".saved-views") is None, "private"
    client.post("/agent/views?view=overdue", data={"name": "Te laat", "shared": "yes"})
    auth.login()
    names = [a.get_text() for a in soup(client.get("/agent/", headers=EN)).select(".saved-views a")]
    assert names == ["Bezorging, los", "Te laat"]
    shared = db.session.scalar(select(SavedView).where(SavedView.name == "Te laat"))
    page = soup(client.post(f"/agent/views/{shared.id}/remove", headers=EN, follow_redirects=True))
    assert f"Only {person('supervisor').name} can remove this view." in text_of(page)
    assert db.session.get(SavedView, shared.id) is not None
    page = soup(client.post("/agent/views", headers=EN, data={"name": "  ", "shared": "no"}, follow_redirects=True))
    assert "Give the view a name" in text_of(page)


# --- next complaint -------------------------------------------------------------------------------

def test_next_complaint_follows_the_queue_order_of_the_view_it_came_from(client, auth, create_complaint):
    first, second, third = (create_complaint()[0] for _ in range(3))
    agent = person("agent")
    order = [row.reference for row in (first, second, third)]
    view = QueueView("unassigned")
    assert [c.reference if c else None for c in neighbours(agent, view, second)] == [order[0], order[2]]
    auth.login()
    page = soup(client.get(f"/agent/complaints/{second.reference}?view=unassigned", headers=EN))
    assert page.select_one("[rel=next]")["href"].endswith(f"/agent/complaints/{third.reference}?view=unassigned")
    assert page.select_one("[data-shortcut-back]").get_text() == "Back to “Unassigned”"
    claimed = client.post(f"/agent/complaints/{second.reference}/claim?view=unassigned")
    assert claimed.headers["Location"].endswith(f"/agent/complaints/{second.reference}?view=unassigned")
    page = soup(client.get(claimed.headers["Location"], headers=EN))
    assert page.select_one("[rel=next]")["href"].endswith(f"{third.reference}?view=unassigned"), \
        "it left the view by the claim, and the next is still the one after it"
    response = client.post(f"/agent/complaints/{second.reference}/reply?view=unassigned", data={
        "reply-body": "Beste klant, ik bel u vandaag.", "reply-checked": "Beste klant, ik bel u vandaag.",
        "reply-then": "continue", "then_next": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/agent/complaints/{third.reference}?view=unassigned")
    db.session.refresh(second)
    assert [m.body for m in second.messages if m.author == "agent"] == ["Beste klant, ik bel u vandaag."]


# --- shortcuts ------------------------------------------------------------------------------------

def test_a_person_turns_the_shortcuts_off_and_no_key_does_anything_then(client, auth):
    auth.login()
    page = soup(client.get("/agent/", headers=EN))
    assert page.body["data-shortcuts"] == "on" and page.select_one("#shortcut-help")
    page = soup(client.get("/agent/shortcuts", headers=EN))
    assert "Press ? on those pages" in text_of(page)
    response = client.post("/agent/shortcuts", headers=EN, data={"shortcuts": "off"})
    assert response.status_code == 302 and person("agent").shortcuts_off
    assert "Keyboard shortcuts are off" in text_of(soup(client.get(response.headers["Location"], headers=EN)))
    page = soup(client.get("/agent/", headers=EN))
    assert not page.body.has_attr("data-shortcuts") and page.select_one("#shortcut-help") is None
    assert soup(client.get("/agent/shortcuts", headers=EN)).select_one("input[value=off]").has_attr("checked")


def test_next_and_previous_walk_the_whole_order_also_past_complaints_without_a_date(app, create_complaint):
    from datetime import timedelta

    from portal.models import utcnow

    agent = person("agent")
    early = create_complaint(now=utcnow() - timedelta(days=3))[0]
    first, second = create_complaint()[0], create_complaint()[0]  # the same due moment: by id
    done = [create_complaint()[0] for _ in range(2)]
    for complaint in done:  # withdrawn: no promise owed, no date, at the end of "Everything"
        complaint.status = "withdrawn"
        for promise in complaint.promises:
            promise.state = "ended"
    db.session.commit()
    assert [c.next_due_at for c in done] == [None, None] and first.next_due_at == second.next_due_at
    order = [early, first, second, *done]
    view = QueueView("all")
    for number, complaint in enumerate(order):
        before, after = neighbours(agent, view, complaint)
        assert before is (order[number - 1] if number else None), complaint.reference
        assert after is (order[number + 1] if number + 1 < len(order) else None), complaint.reference
