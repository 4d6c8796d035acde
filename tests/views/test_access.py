"""Every route, for every kind of visitor: allowed, sent to the login page, or refused (never data)."""
import pytest

from portal.extensions import db
from portal.models import Offer
from portal.services import mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.fixtures.people import person

ROLES = ["anonymous", "customer", "agent", "supervisor", "admin", "manager", "colleague"]
# Who meets each need: supervisors can do what agents can, admins what supervisors can; a manager
# reads insight (as supervisors and admins do) and works no complaints; "staff" is anyone logged in.
MEETS = {"agent": {"agent", "supervisor", "admin"}, "supervisor": {"supervisor", "admin"}, "admin": {"admin"},
         "manager": {"manager", "supervisor", "admin"},
         "staff": {"agent", "supervisor", "admin", "manager", "colleague"}}
# Every route and who may use it ("anyone": no login; "token": anyone holding the complaint's secret
# link; else a need of MEETS). A new route must be added here, or the suite fails.
ROUTES = {
    "static": "anyone", "dev.outbox": "anyone", "dev.outbox_mail": "anyone",
    "public.start": "anyone", "public.rights": "anyone", "public.choose_language": "anyone",
    "public.privacy_statement": "anyone", "public.accessibility_statement": "anyone",
    "public.question": "anyone", "public.check_answers": "anyone", "public.send_answers": "anyone", "public.find":
          "anyone", "public.find_sent": "anyone",
    "public.status": "token", "public.status_confirmation": "token", "public.status_copy": "token",
    "public.status_contact": "token", "public.status_manager": "token", "public.status_withdraw": "token",
    "public.status_erase": "token", "public.status_links": "token",
    "public.answer_offer": "token", "public.answer_new_date": "token", "public.reopen": "token",
    "public.feedback": "token",
    "agent.login": "anyone", "agent.logout": "anyone", "agent.change_password": "staff",
    "agent.login_code": "anyone", "agent.forgot_password": "anyone", "agent.reset_password": "anyone",
    "agent.two_step_page": "staff", "agent.two_step_start": "staff", "agent.two_step_confirm": "staff",
    "agent.recovery_codes": "staff", "agent.two_step_off": "staff", "agent.erasure_request": "agent",
    "agent.notice_settings": "agent", "agent.clear_attention": "agent", "agent.shortcuts": "agent",
    "agent.bulk_action": "agent", "agent.save_view": "agent", "agent.remove_view": "agent",
    "admin.replies_page": "supervisor", "admin.reply_template_page": "supervisor",
    "admin.remove_reply_template": "supervisor",
    "agent.add_held_mail": "agent", "agent.set_aside_mail": "agent", "agent.file": "agent",
    "public.status_file": "token",
    "admin.force_password_reset": "admin", "admin.turn_off_two_step": "admin",
    "agent.queue_page": "agent", "agent.complaint_page": "agent", "agent.claim": "agent", "agent.reply": "agent",
    "agent.note": "agent", "agent.hand_over": "agent", "agent.classify": "agent", "agent.move_promise": "agent",
    "agent.mandate_page": "agent", "agent.new_complaint": "agent", "agent.carried_out": "agent", "agent.close": "agent",
    "agent.cosign_page": "supervisor", "agent.desk_page": "supervisor", "agent.cosign": "supervisor",
    "agent.refuse": "supervisor",
    "agent.manager_answer": "supervisor", "agent.readability": "agent",
    "admin.home": "admin", "admin.timelines_page": "admin", "admin.edit_timeline": "admin",
    "admin.timeline_version": "admin", "admin.restore_timeline": "admin", "admin.audit_page": "admin",
    "admin.organisation_page": "admin", "admin.calendar_page": "admin", "admin.add_closing_day": "admin",
    "admin.remove_closing_day": "admin", "admin.categories_page": "admin", "admin.category_page": "admin",
    "admin.people_page": "admin", "admin.new_person": "admin", "admin.person_page": "admin",
    "admin.erasure_page": "admin", "admin.confirm_erasure": "admin",
    "admin.improvements_page": "supervisor", "admin.improvement_page": "supervisor",
    "public.improvements": "anyone",
    "insight.overview": "manager", "insight.charter": "manager", "insight.complaints_return": "manager",
    "insight.export": "manager", "insight.chart": "manager", "admin.insight_settings": "admin",
    "insight.month": "manager", "insight.month_pdf": "manager", "insight.pick_story": "supervisor",
    "insight.remove_story": "supervisor", "insight.export_xlsx": "manager",
    "ambassador.pass_on": "staff", "ambassador.my_signals": "staff", "ambassador.join": "anyone",
    "ambassador.service_worker": "anyone", "ambassador.offline": "anyone",
    # The API checks its own bearer tokens (tests/views/test_api.py): to a browser it is "anyone".
    "api-docs.openapi_json": "anyone", "api.file": "anyone", "api.status": "anyone", "api.add_message": "anyone",
    "api.categories": "anyone", "api.list_filed": "anyone",
    "admin.integrations_page": "admin", "admin.revoke_integration": "admin", "admin.api_docs": "agent",
    "admin.add_webhook": "admin", "admin.remove_webhook": "admin",
}
NEEDS = {endpoint: need for endpoint, need in ROUTES.items() if need in MEETS}

# What a visitor who may use a route gets, with the world below and an empty form: the page (200),
# a redirect after the action (302), the form again with its errors (400), or 404 where the id in the
# path belongs to nothing. Exact, so a permitted page that breaks (a 500, a wrong redirect) is caught.
# The routes are visited in this order: the agents' first, the customer's last, withdrawing at the end.
EXPECTED = {
    ("agent.change_password", "GET", "/agent/password"): 200,
    ("agent.change_password", "POST", "/agent/password"): 400,
    ("agent.queue_page", "GET", "/agent/"): 200,
    ("agent.login_code", "GET", "/agent/login/code"): 302,
    ("agent.login_code", "POST", "/agent/login/code"): 302,
    ("agent.forgot_password", "GET", "/agent/forgot-password"): 200,
    ("agent.forgot_password", "POST", "/agent/forgot-password"): 400,
    ("agent.reset_password", "GET", "/agent/reset-password/<token>"): 404,
    ("agent.reset_password", "POST", "/agent/reset-password/<token>"): 404,
    ("agent.two_step_page", "GET", "/agent/two-step"): 200,
    ("agent.two_step_start", "POST", "/agent/two-step/start"): 302,
    ("agent.two_step_confirm", "POST", "/agent/two-step/confirm"): 400,
    ("agent.recovery_codes", "POST", "/agent/two-step/codes"): 400,
    ("agent.two_step_off", "POST", "/agent/two-step/off"): 400,
    ("agent.erasure_request", "GET", "/agent/erasure-request"): 200,
    ("agent.notice_settings", "GET", "/agent/notifications"): 200,
    ("agent.clear_attention", "POST", "/agent/complaints/<reference>/seen"): 302,
    ("agent.file", "GET", "/agent/files/<int:attachment_id>"): 404,
    ("agent.add_held_mail", "POST", "/agent/complaints/<reference>/mails/<int:inbound_id>/add"): 404,
    ("agent.set_aside_mail", "POST", "/agent/complaints/<reference>/mails/<int:inbound_id>/set-aside"): 404,
    ("agent.notice_settings", "POST", "/agent/notifications"): 400,
    ("agent.erasure_request", "POST", "/agent/erasure-request"): 400,
    ("admin.force_password_reset", "POST", "/admin/people/<int:person_id>/force-reset"): 302,
    ("admin.turn_off_two_step", "POST", "/admin/people/<int:person_id>/two-step-off"): 400,
    ("agent.complaint_page", "GET", "/agent/complaints/<reference>"): 200,
    ("agent.claim", "POST", "/agent/complaints/<reference>/claim"): 302,
    ("agent.reply", "POST", "/agent/complaints/<reference>/reply"): 400,
    ("agent.note", "POST", "/agent/complaints/<reference>/note"): 400,
    ("agent.hand_over", "POST", "/agent/complaints/<reference>/hand-over"): 400,
    ("agent.classify", "POST", "/agent/complaints/<reference>/classify"): 400,
    ("agent.move_promise", "GET", "/agent/complaints/<reference>/promises/<int:promise_id>/move"): 200,
    ("agent.move_promise", "POST", "/agent/complaints/<reference>/promises/<int:promise_id>/move"): 400,
    ("agent.carried_out", "POST", "/agent/complaints/<reference>/offers/<int:offer_id>/done"): 400,
    ("agent.close", "POST", "/agent/complaints/<reference>/close"): 400,
    ("agent.manager_answer", "POST", "/agent/complaints/<reference>/manager-answer"): 400,
    ("agent.readability", "POST", "/agent/readability"): 400,
    ("agent.mandate_page", "GET", "/agent/complaints/<reference>/mandate"): 200,
    ("agent.mandate_page", "POST", "/agent/complaints/<reference>/mandate"): 400,
    ("agent.cosign_page", "GET", "/agent/cosign"): 200,
    ("agent.desk_page", "GET", "/agent/desk"): 200,
    ("agent.shortcuts", "GET", "/agent/shortcuts"): 200,
    ("agent.shortcuts", "POST", "/agent/shortcuts"): 400,
    ("agent.bulk_action", "POST", "/agent/complaints/bulk"): 302,
    ("agent.save_view", "POST", "/agent/views"): 302,
    ("agent.remove_view", "POST", "/agent/views/<int:view_id>/remove"): 404,
    ("admin.replies_page", "GET", "/admin/replies"): 200,
    ("admin.reply_template_page", "GET", "/admin/replies/new"): 200,
    ("admin.reply_template_page", "POST", "/admin/replies/new"): 400,
    ("admin.reply_template_page", "GET", "/admin/replies/<int:template_id>"): 404,
    ("admin.reply_template_page", "POST", "/admin/replies/<int:template_id>"): 404,
    ("admin.remove_reply_template", "POST", "/admin/replies/<int:template_id>/remove"): 404,
    ("agent.cosign", "POST", "/agent/offers/<int:offer_id>/cosign"): 302,
    ("agent.refuse", "POST", "/agent/offers/<int:offer_id>/refuse"): 400,
    ("agent.new_complaint", "GET", "/agent/new"): 200,
    ("agent.new_complaint", "POST", "/agent/new"): 400,
    ("admin.home", "GET", "/admin/"): 200,
    ("admin.timelines_page", "GET", "/admin/timelines"): 200,
    ("admin.edit_timeline", "GET", "/admin/timelines/<kind>/<category>"): 200,
    ("admin.edit_timeline", "POST", "/admin/timelines/<kind>/<category>"): 200,
    ("admin.timeline_version", "GET", "/admin/timelines/versions/<int:timeline_id>"): 200,
    ("admin.restore_timeline", "POST", "/admin/timelines/versions/<int:timeline_id>/restore"): 302,
    ("admin.audit_page", "GET", "/admin/audit"): 200,
    ("admin.organisation_page", "GET", "/admin/organisation"): 200,
    ("admin.organisation_page", "POST", "/admin/organisation"): 400,
    ("admin.calendar_page", "GET", "/admin/calendar"): 200,
    ("admin.calendar_page", "POST", "/admin/calendar"): 400,
    ("admin.add_closing_day", "POST", "/admin/calendar/closing-days"): 302,
    ("admin.remove_closing_day", "POST", "/admin/calendar/closing-days/<int:closing_id>/remove"): 404,
    ("admin.categories_page", "GET", "/admin/categories"): 200,
    ("admin.category_page", "GET", "/admin/categories/new"): 200,
    ("admin.category_page", "POST", "/admin/categories/new"): 400,
    ("admin.category_page", "GET", "/admin/categories/<slug>"): 404,
    ("admin.category_page", "POST", "/admin/categories/<slug>"): 404,
    ("admin.people_page", "GET", "/admin/people"): 200,
    ("admin.erasure_page", "GET", "/admin/erasure"): 200,
    ("admin.confirm_erasure", "POST", "/admin/erasure/<int:complaint_id>/confirm"): 404,
    ("admin.new_person", "GET", "/admin/people/new"): 200,
    ("admin.new_person", "POST", "/admin/people/new"): 400,
    ("admin.person_page", "GET", "/admin/people/<int:person_id>"): 200,
    ("admin.person_page", "POST", "/admin/people/<int:person_id>"): 400,
    ("admin.improvements_page", "GET", "/admin/improvements"): 200,
    ("admin.improvement_page", "GET", "/admin/improvements/new"): 200,
    ("admin.improvement_page", "POST", "/admin/improvements/new"): 400,
    ("admin.improvement_page", "GET", "/admin/improvements/<int:improvement_id>"): 404,
    ("admin.improvement_page", "POST", "/admin/improvements/<int:improvement_id>"): 404,
    ("admin.insight_settings", "GET", "/admin/insight"): 200,
    ("admin.insight_settings", "POST", "/admin/insight"): 400,
    ("ambassador.pass_on", "GET", "/ambassador/"): 200,
    ("ambassador.pass_on", "POST", "/ambassador/"): 400,
    ("ambassador.my_signals", "GET", "/ambassador/mine"): 200,
    ("ambassador.join", "GET", "/ambassador/join"): 200,
    ("ambassador.service_worker", "GET", "/ambassador/sw.js"): 200,
    ("ambassador.offline", "GET", "/ambassador/offline"): 200,
    ("api-docs.openapi_json", "GET", "/api/v1/openapi.json"): 200,
    ("api.file", "POST", "/api/v1/complaints"): 401,
    ("api.status", "GET", "/api/v1/complaints/<reference>"): 401,
    ("api.add_message", "POST", "/api/v1/complaints/<reference>/messages"): 401,
    ("api.categories", "GET", "/api/v1/categories"): 401,
    ("api.list_filed", "GET", "/api/v1/complaints"): 401,
    ("admin.integrations_page", "GET", "/admin/integrations"): 200,
    ("admin.integrations_page", "POST", "/admin/integrations"): 400,
    ("admin.revoke_integration", "POST", "/admin/integrations/<int:integration_id>/revoke"): 404,
    ("admin.api_docs", "GET", "/admin/integrations/docs"): 200,
    ("admin.add_webhook", "POST", "/admin/integrations/<int:integration_id>/webhooks"): 404,
    ("admin.remove_webhook", "POST", "/admin/webhooks/<int:webhook_id>/remove"): 404,
    ("ambassador.join", "POST", "/ambassador/join"): 200,
    ("insight.overview", "GET", "/insight/"): 200,
    ("insight.month", "GET", "/insight/month/<month>"): 200,
    ("insight.export_xlsx", "GET", "/insight/export.xlsx"): 200,
    ("insight.month_pdf", "GET", "/insight/month/<month>.pdf"): 200,
    ("insight.pick_story", "POST", "/insight/month/<month>/stories"): 302,
    ("insight.remove_story", "POST", "/insight/month/<month>/stories/<int:story_id>/remove"): 404,
    ("insight.charter", "GET", "/insight/charter"): 200,
    ("insight.complaints_return", "GET", "/insight/return"): 200,
    ("insight.export", "GET", "/insight/export.csv"): 200,
    ("insight.chart", "GET", "/insight/chart/<name>.svg"): 200,
    ("public.start", "GET", "/"): 200,
    ("public.choose_language", "GET", "/language/<code>"): 302,
    ("public.rights", "GET", "/rights"): 200,
    ("public.privacy_statement", "GET", "/privacy"): 200,
    ("public.accessibility_statement", "GET", "/accessibility"): 200,
    ("public.improvements", "GET", "/you-said-we-did"): 200,
    ("public.question", "GET", "/<flow_name>/<slug>"): 200,
    ("public.question", "POST", "/<flow_name>/<slug>"): 200,
    ("public.check_answers", "GET", "/<flow_name>/check"): 302,
    ("public.send_answers", "POST", "/<flow_name>/check"): 302,
    ("public.status_confirmation", "GET", "/s/<token>/confirmation"): 200,
    ("public.status_copy", "GET", "/s/<token>/copy.txt"): 200,
    ("public.answer_offer", "POST", "/s/<token>/offer/<int:offer_id>"): 200,
    ("public.status_file", "GET", "/s/<token>/files/<int:attachment_id>"): 404,
    ("public.answer_new_date", "POST", "/s/<token>/date/<int:promise_id>"): 200,
    ("public.reopen", "POST", "/s/<token>/reopen"): 200,
    ("public.status", "GET", "/s/<token>"): 200,
    ("public.status", "POST", "/s/<token>"): 200,
    # The questions after it ended: the test's complaint is open, so there is nothing to answer yet.
    ("public.feedback", "GET", "/s/<token>/feedback"): 404,
    ("public.feedback", "POST", "/s/<token>/feedback"): 404,
    ("public.status_contact", "GET", "/s/<token>/contact"): 200,
    ("public.status_contact", "POST", "/s/<token>/contact"): 200,
    ("public.status_manager", "GET", "/s/<token>/manager"): 200,
    ("public.status_manager", "POST", "/s/<token>/manager"): 302,
    ("public.find", "GET", "/find"): 200,
    ("public.find", "POST", "/find"): 200,
    ("public.find_sent", "GET", "/find/sent"): 200,
    ("public.status_withdraw", "GET", "/s/<token>/withdraw"): 200,
    ("public.status_erase", "GET", "/s/<token>/erase"): 200,
    ("public.status_links", "GET", "/s/<token>/links"): 200,
    ("public.status_links", "POST", "/s/<token>/links"): 302,
    ("public.status_erase", "POST", "/s/<token>/erase"): 302,
    ("public.status_withdraw", "POST", "/s/<token>/withdraw"): 302,
}


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
    agent = person("agent")
    complaint, token = create_complaint()
    work.claim(complaint, agent)
    offer = mandate.make_offer(complaint, agent, remedy="refund", amount_cents=50_000, text="Back.",
                          request_key=new_draft_key(), seen_counter=0, calendar=get_calendar())
    db.session.commit()
    return dict(reference=complaint.reference, token=token, promise_id=complaint.promises[0].id,
                offer_id=offer.id, flow_name="complaint", slug="what-happened", code="en",
                mail_id=1, kind="complaint", category="delivery", timeline_id=complaint.timeline_id,
                slug_category="delivery", closing_id=999, person_id=agent.id, improvement_id=999,
                complaint_id=999, name="signals", month="2026-11", story_id=999, integration_id=999, webhook_id=999,
                inbound_id=999, attachment_id=999, view_id=999, template_id=999)


def urls(app, world):
    """Every (endpoint, method, rule, path); the customer's routes last, so withdrawing comes at the end."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("dev."):
            continue
        values = {name: world[name] for name in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule, path))
    return sorted(found, key=lambda row: (row[0].startswith("public."), row[0] == "public.status_withdraw"))


def test_every_route_has_an_expected_status(app, world):
    routes = {(endpoint, method, rule) for endpoint, method, rule, _path in urls(app, world)}
    routes -= {(e, m, r) for e, m, r in routes if e in ("agent.login", "agent.logout")}
    assert routes == EXPECTED.keys(), "say in EXPECTED what a permitted visitor gets"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, client, auth, world, role):
    if role in MEETS["staff"]:
        assert auth.login(role).status_code == 302
    if role == "customer":
        client.get(f"/s/{world['token']}")  # a customer with their secret link is still no agent
    checked = 0
    for endpoint, method, rule, path in urls(app, world):
        if endpoint in ("agent.logout", "agent.login"):
            continue
        response = client.open(path, method=method)
        body = response.get_data().decode("utf-8", "replace")  # a PDF is no text
        need = NEEDS.get(endpoint)  # None: anyone may open it (a secret link, the login's own pages)
        if need and role in ("anonymous", "customer"):
            assert response.status_code == 302 and "/agent/login" in response.headers["Location"], \
                (endpoint, method, role)
        elif need and role not in MEETS[need]:
            assert response.status_code == 403, (endpoint, method, role)
            assert world["reference"] not in body
        else:
            assert response.status_code == EXPECTED[endpoint, method, rule], \
                (endpoint, method, role, response.status_code)
            if response.status_code == 302 and need:
                assert "/agent/login" not in response.headers["Location"], (endpoint, method, role)
        checked += 1
    assert checked > 30


def test_the_right_secret_link_opens_the_customers_own_pages(client, world, create_complaint):
    other, _other_token = create_complaint()
    for path in ("/s/{token}", "/s/{token}/confirmation", "/s/{token}/contact", "/s/{token}/manager",
                 "/s/{token}/withdraw"):
        response = client.get(path.format(token=world["token"]))
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert world["reference"] in body and other.reference not in body, path
    copy = client.get(f"/s/{world['token']}/copy.txt")
    assert copy.status_code == 200 and world["reference"] in copy.get_data(as_text=True)
    withdrawn = client.post(f"/s/{world['token']}/withdraw")
    assert withdrawn.status_code == 302 and withdrawn.headers["Location"] == f"/s/{world['token']}"
    assert db.session.get(Offer, world["offer_id"]).complaint.status == "withdrawn"


def test_a_grant_of_one_complaint_cannot_be_answered_through_another(client, world, create_complaint):
    _other, other_token = create_complaint()
    offer = db.session.get(Offer, world["offer_id"])
    response = client.post(f"/s/{other_token}/offer/{offer.id}", data={"offer-answer": "accept"})
    assert response.status_code == 404
