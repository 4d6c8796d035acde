"""Every route, for every kind of visitor: allowed, sent to the login page, or refused (never data)."""
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Grant, User
from portal.services import mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key

ROLES = ["anonymous", "customer", "agent", "supervisor", "admin"]
# Every route and the lowest role that may use it ("anyone": no login; "token": anyone holding the
# complaint's secret link). A new route must be added here, or the suite fails.
ROUTES = {
    "static": "anyone", "dev.outbox": "anyone", "dev.outbox_mail": "anyone",
    "public.start": "anyone", "public.rights": "anyone", "public.choose_language": "anyone",
    "public.question": "anyone", "public.check": "anyone", "public.find": "anyone", "public.find_sent": "anyone",
    "public.status": "token", "public.status_confirmation": "token", "public.status_copy": "token",
    "public.status_contact": "token", "public.status_manager": "token", "public.status_withdraw": "token",
    "public.answer_offer": "token", "public.answer_new_date": "token", "public.reopen": "token",
    "agent.login": "anyone", "agent.logout": "anyone",
    "agent.queue_page": "agent", "agent.complaint_page": "agent", "agent.claim": "agent", "agent.reply": "agent",
    "agent.note": "agent", "agent.hand_over": "agent", "agent.classify": "agent", "agent.move_promise": "agent",
    "agent.mandate_page": "agent", "agent.new_complaint": "agent",
    "agent.cosign_page": "supervisor", "agent.cosign": "supervisor", "agent.refuse": "supervisor",
    "admin.home": "admin", "admin.timelines_page": "admin", "admin.edit_timeline": "admin",
    "admin.timeline_version": "admin", "admin.restore_timeline": "admin", "admin.audit_page": "admin",
    "admin.organisation_page": "admin", "admin.calendar_page": "admin", "admin.add_closing_day": "admin",
    "admin.remove_closing_day": "admin", "admin.categories_page": "admin", "admin.category_page": "admin",
    "admin.people_page": "admin", "admin.new_person": "admin", "admin.person_page": "admin",
    "admin.erasure_page": "admin", "admin.confirm_erasure": "admin",
    "admin.improvements_page": "supervisor", "admin.improvement_page": "supervisor",
    "public.improvements": "anyone",
}
NEEDS = {endpoint: need for endpoint, need in ROUTES.items() if need in ROLES}


def test_every_route_has_an_entry_in_the_access_list(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ROUTES.keys() == set(), "add the new routes to ROUTES with who may use them"
    assert ROUTES.keys() - endpoints == set(), "remove routes that no longer exist"


def test_a_wrong_secret_link_opens_nothing(client, world):
    for endpoint, need in ROUTES.items():
        if need == "token":
            rule = next(r for r in client.application.url_map.iter_rules() if r.endpoint == endpoint)
            values = {name: world[name] for name in rule.arguments}
            values["token"] = "x" * 32
            path = rule.build(values, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                assert client.open(path, method=method).status_code == 404, (endpoint, method)


@pytest.fixture
def world(app, create_complaint):
    """A complaint owned by the agent, with an offer waiting for a co-sign."""
    agent = db.session.scalar(select(User).where(User.role == "agent"))
    complaint, token = create_complaint()
    work.claim(complaint, agent)
    grant = mandate.offer(complaint, agent, remedy="refund", amount_cents=50_000, text="Back.",
                          request_key=new_draft_key(), seen_counter=0, calendar=get_calendar())
    db.session.commit()
    return dict(reference=complaint.reference, token=token, promise_id=complaint.promises[0].id,
                grant_id=grant.id, flow_name="complaint", slug="what-happened", code="en",
                mail_id=1, kind="complaint", category="delivery", timeline_id=complaint.timeline_id,
                slug_category="delivery", closing_id=999, person_id=agent.id, improvement_id=999,
                complaint_id=999)


def urls(app, world):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("dev."):
            continue
        values = {name: world[name] for name in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def log_in(client, role):
    if role in ("agent", "supervisor", "admin"):
        response = client.post("/agent/login", data={"email": f"{role}@gehoord.example", "password": f"demo-{role}"})
        assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, client, world, role):
    log_in(client, role)
    if role == "customer":
        client.get(f"/s/{world['token']}")  # a customer with their secret link is still no agent
    checked = 0
    for endpoint, method, path in urls(app, world):
        if endpoint in ("agent.logout", "agent.login"):
            continue
        response = client.open(path, method=method)
        body = response.get_data(as_text=True)
        if endpoint.startswith(("agent.", "admin.")):
            need = NEEDS.get(endpoint, "agent")
            if role in ("anonymous", "customer"):
                assert response.status_code == 302 and "/agent/login" in response.headers["Location"], \
                    (endpoint, method, role)
            elif ROLES.index(role) < ROLES.index(need):
                assert response.status_code == 403, (endpoint, method, role)
                assert world["reference"] not in body
            else:
                assert response.status_code in (200, 302, 400, 404), (endpoint, method, role, response.status_code)
        else:
            assert response.status_code < 500, (endpoint, method, role)
        checked += 1
    assert checked > 30


def test_a_grant_of_one_complaint_cannot_be_answered_through_another(client, world, create_complaint):
    _other, other_token = create_complaint()
    grant = db.session.get(Grant, world["grant_id"])
    response = client.post(f"/s/{other_token}/offer/{grant.id}", data={"offer-answer": "accept"})
    assert response.status_code == 404
