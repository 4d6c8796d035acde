"""The API as another system uses it: bearer tokens with scopes, the same filing as the web,
problem+json errors, Idempotency-Key, and the OpenAPI document checked by schemathesis."""
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Complaint, OutboxMail
from portal.services import integrations
from tests.conftest import EN
from tests.fixtures.people import person

FILING = {"story": "Mijn pakket is niet bezorgd, maar de website zegt van wel.", "category": "delivery",
          "wish": "fix", "name": "Fatima el Amrani", "email": "fatima@example.com", "language": "nl"}


@pytest.fixture
def token(app):
    def make(*scopes):
        _integration, value = integrations.create_integration(person("admin"), "Chatbot",
                                                             scopes or list(integrations.SCOPES))
        db.session.commit()
        return value
    return make


def bearer(value):
    return {"Authorization": f"Bearer {value}"}


def test_without_a_valid_token_nothing_opens_and_the_answer_is_problem_json(client, token):
    for headers in ({}, bearer("ghd_wrong"), {"Authorization": "Basic abc"}):
        response = client.post("/api/v1/complaints", json=FILING, headers=headers)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
        assert response.json["status"] == 401 and "Bearer" in response.json["detail"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0
    reader = token("categories:read")
    refused = client.post("/api/v1/complaints", json=FILING, headers=bearer(reader))
    assert refused.status_code == 403 and "complaints:write" in refused.json["detail"]


def test_a_revoked_token_stops_at_once(client, token):
    value = token()
    assert client.get("/api/v1/categories", headers=bearer(value)).status_code == 200
    [integration] = integrations.integrations()
    integrations.revoke(person("admin"), integration)
    db.session.commit()
    assert client.get("/api/v1/categories", headers=bearer(value)).status_code == 401


def test_filing_is_the_same_as_on_the_web_and_an_idempotency_key_files_once(client, token):
    value = token()
    headers = {**bearer(value), "Idempotency-Key": "chat-42"}
    first = client.post("/api/v1/complaints", json=FILING, headers=headers)
    assert first.status_code == 201, first.json
    body = first.json
    assert body["status"] == "received" and body["promises"] and body["status_url"].startswith("http")
    again = client.post("/api/v1/complaints", json=FILING, headers=headers)
    assert again.status_code == 200 and again.json == body, "the first answer, not a second complaint"
    [complaint] = db.session.scalars(select(Complaint)).all()
    assert complaint.channel == "api" and complaint.reference == body["reference"]
    assert db.session.scalar(select(OutboxMail.recipient)) == "fatima@example.com", "the same confirmation mail"
    other = client.post("/api/v1/complaints", json={**FILING, "story": "Iets heel anders dan net."}, headers=headers)
    assert other.status_code == 422 and other.json["errors"][0]["field"] == "Idempotency-Key"


def test_what_to_fix_is_named_per_field(client, token):
    value = token()
    response = client.post("/api/v1/complaints", json={**FILING, "email": "fatima@", "category": "weather"},
                           headers=bearer(value))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert {e["field"] for e in response.json["errors"]} == {"email", "category"}
    missing = client.post("/api/v1/complaints", json={"story": 5}, headers=bearer(value))
    assert missing.status_code == 422 and {e["field"] for e in missing.json["errors"]} >= {"name", "email", "story"}


def test_the_status_needs_the_customers_address_and_a_message_is_added(client, token):
    value = token()
    reference = client.post("/api/v1/complaints", json=FILING, headers=bearer(value)).json["reference"]
    wrong = client.get(f"/api/v1/complaints/{reference}", headers={**bearer(value), "Customer-Email": "x@example.com"})
    unknown = client.get("/api/v1/complaints/NOPE-NOPE", headers={**bearer(value), "Customer-Email": "x@example.com"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json["detail"] == unknown.json["detail"]
    found = client.get(f"/api/v1/complaints/{reference.lower()}",
                       headers={**bearer(value), "Customer-Email": "Fatima@Example.com"})
    assert found.status_code == 200 and found.json["reference"] == reference
    assert all({"label", "due_at", "state"} <= set(p) for p in found.json["promises"])
    added = client.post(f"/api/v1/complaints/{reference}/messages",
                        json={"email": "fatima@example.com", "body": "Ik heb nog een foto."}, headers=bearer(value))
    assert added.status_code == 201
    complaint = db.session.scalar(select(Complaint))
    assert [m.body for m in complaint.messages] == ["Ik heb nog een foto."]


def test_categories_say_what_would_be_promised_if_filed_now(client, token):
    response = client.get("/api/v1/categories", headers=bearer(token("categories:read")))
    assert response.status_code == 200
    delivery = next(c for c in response.json if c["slug"] == "delivery")
    assert delivery["promises_if_filed_now"] and delivery["we_cannot"]


def test_every_call_is_in_the_audit(client, token):
    value = token("categories:read")
    client.get("/api/v1/categories", headers=bearer(value))
    client.post("/api/v1/complaints", json=FILING, headers=bearer(value))  # refused: no scope
    calls = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "api_call")).all()
    assert [(c.subject, c.after["status"]) for c in calls] == [
        ("Chatbot: GET /api/v1/categories", 200), ("Chatbot: POST /api/v1/complaints", 403)]


def test_an_admin_makes_an_integration_and_sees_its_token_once(client, auth):
    auth.login("admin")
    client.get("/language/en")
    made = client.post("/admin/integrations", data={"name": "Telefooncentrale", "scopes": ["status:read"]})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "Copy it now: it is not shown again." in page
    token = page.split('<code class="token">')[1].split("</code>")[0]
    assert token.startswith("ghd_") and token not in client.get("/admin/integrations").get_data(as_text=True)
    wrong = client.post("/admin/integrations", data={"name": ""})
    assert wrong.status_code == 400 and "Choose what this integration may do" in wrong.get_data(as_text=True)
    docs = client.get("/admin/integrations/docs").get_data(as_text=True)
    assert "POST /api/v1/complaints" in docs and "Idempotency-Key" in docs


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(client, auth, token):
    token("status:read")
    [integration] = integrations.integrations()
    auth.login("admin")
    client.get("/language/en")
    wrong = client.post(f"/admin/integrations/{integration.id}/webhooks",
                        data={"url": "http://example.com/hook", "events": ["filed"]})
    assert wrong.status_code == 400 and "Write an https:// address" in wrong.get_data(as_text=True)
    made = client.post(f"/admin/integrations/{integration.id}/webhooks",
                       data={"url": "https://chat.example.com/gehoord", "events": ["filed", "closed"]})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "Copy it now: it is not shown again." in page
    secret = page.split('<code class="token">')[1].split("</code>")[0]
    assert secret not in client.get("/admin/integrations").get_data(as_text=True)
    from portal.models import Webhook

    hook = db.session.scalar(select(Webhook))
    assert hook.events == ["closed", "filed"]
    asked = client.post(f"/admin/webhooks/{hook.id}/remove", headers=EN)
    assert asked.status_code == 200 and "Remove the webhook to" in asked.get_data(as_text=True)
    db.session.refresh(hook)
    assert hook.removed_at is None, "the first press only asks"
    assert client.post(f"/admin/webhooks/{hook.id}/remove", data={"confirm": "yes"}).status_code == 302
    db.session.refresh(hook)
    assert hook.removed_at is not None


def test_an_integration_lists_what_it_filed_a_page_at_a_time(client, token):
    value = token()
    other = token()
    references = [client.post("/api/v1/complaints", json={**FILING, "email": f"klant{n}@example.com"},
                              headers=bearer(value)).json["reference"] for n in range(5)]
    client.post("/api/v1/complaints", json={**FILING, "email": "ander@example.com"}, headers=bearer(other))
    first = client.get("/api/v1/complaints?limit=2", headers=bearer(value)).json
    assert [c["reference"] for c in first["items"]] == references[::-1][:2] and first["next"]
    client.post("/api/v1/complaints", json={**FILING, "email": "laat@example.com"}, headers=bearer(value))
    second = client.get(f"/api/v1/complaints?limit=2&after={first['next']}", headers=bearer(value)).json
    assert [c["reference"] for c in second["items"]] == references[::-1][2:4], "a new one does not shift the pages"
    third = client.get(f"/api/v1/complaints?limit=2&after={second['next']}", headers=bearer(value)).json
    assert [c["reference"] for c in third["items"]] == references[:1] and third["next"] is None
    wrong = client.get("/api/v1/complaints?after=nonsense!", headers=bearer(value))
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "after"


def test_the_same_message_with_the_same_key_is_added_once(client, token):
    value = token()
    reference = client.post("/api/v1/complaints", json=FILING, headers=bearer(value)).json["reference"]
    headers = {**bearer(value), "Idempotency-Key": "msg-1"}
    message = {"email": "fatima@example.com", "body": "Ik heb nog een foto."}
    assert client.post(f"/api/v1/complaints/{reference}/messages", json=message, headers=headers).status_code == 201
    assert client.post(f"/api/v1/complaints/{reference}/messages", json=message, headers=headers).status_code == 200
    assert len(db.session.scalar(select(Complaint)).messages) == 1


@pytest.fixture
def limited_api_config(app_config):
    import uuid

    app_config.update(RATELIMIT_ENABLED=True, API_LIMIT="2 per minute", RATELIMIT_STORAGE_URI="memory://",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    return app_config


def test_each_token_has_its_own_rate_limit_and_is_told_so_plainly(limited_api_config, app, client, token):
    busy, calm = token("categories:read"), token("categories:read")
    assert [client.get("/api/v1/categories", headers=bearer(busy)).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/categories", headers=bearer(busy))
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert refused.json["status"] == 429
    assert client.get("/api/v1/categories", headers=bearer(calm)).status_code == 200, "another token is not slowed"


def test_a_broken_body_or_an_unknown_address_is_problem_json_too(client, token):
    value = token()
    broken = client.post("/api/v1/complaints", data="{not json", headers={**bearer(value),
                                                                          "Content-Type": "application/json"})
    assert broken.status_code in (400, 422) and broken.mimetype == "application/problem+json"
    unknown = client.get("/api/v1/nothing-here", headers=bearer(value))
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    assert client.get("/no-such-page").mimetype == "text/html", "the portal's own pages stay kind HTML"
