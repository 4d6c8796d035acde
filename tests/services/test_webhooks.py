"""Webhooks to a real receiver on loopback: signed, one delivery per event, and what a receiver that
was down missed arrives once when it is back (services/webhooks.py)."""
import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import WebhookDelivery, utcnow
from portal.services import integrations, webhooks, work
from portal.services.errors import SettingError
from portal.states import MailStatus
from tests.fixtures.people import person


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Receiver:
    """An HTTP server on loopback that keeps every delivery whose signature is right."""

    def __init__(self, port: int, secret: str = ""):
        self.port, self.secret, self.received, self.bad, self.server = port, secret, [], 0, None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                if hmac.compare_digest(expected, self.headers.get("X-Gehoord-Signature", "")):
                    receiver.received.append((self.headers["X-Gehoord-Event"], json.loads(body)))
                    self.send_response(204)
                else:
                    receiver.bad += 1
                    self.send_response(401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def hooked(app):
    admin = person("admin")
    integration, _token = integrations.create_integration(admin, "Chatbot", ["status:read"])
    port = free_port()
    hook, secret = webhooks.add_webhook(admin, integration, f"http://127.0.0.1:{port}/gehoord",
                                        ["filed", "promise_kept", "closed"])
    db.session.commit()
    receiver = Receiver(port, secret)
    yield hook, receiver
    receiver.stop()


def test_a_receiver_that_was_down_gets_each_event_once_when_it_is_back(hooked, create_complaint):
    hook, receiver = hooked
    complaint, _token = create_complaint()
    work.claim(complaint, person("agent"))
    work.reply(complaint, person("agent"), "Wij kijken ernaar en bellen u morgen.")  # keeps "contact"
    db.session.commit()
    assert webhooks.collect() == 2, "filed and the kept promise: the events it asked for"
    db.session.commit()
    assert webhooks.send_due() == (0, 2), "nobody listens yet"
    db.session.commit()
    deliveries = db.session.scalars(select(WebhookDelivery)).all()
    assert all(d.status == MailStatus.PENDING and d.attempts == 1 and d.last_error for d in deliveries)
    receiver.start()
    assert webhooks.send_due() == (0, 0), "not due yet: back-off"
    later = utcnow() + timedelta(minutes=5)
    assert webhooks.send_due(later) == (2, 0)
    assert webhooks.send_due(later + timedelta(hours=1)) == (0, 0), "delivered once, never again"
    assert webhooks.collect() == 0, "each event is read once"
    assert sorted(kind for kind, _body in receiver.received) == ["filed", "promise_kept"]
    [(_kind, filed)] = [item for item in receiver.received if item[0] == "filed"]
    assert filed["reference"] == complaint.reference and filed["status_now"] == "in_progress"
    assert "fatima" not in json.dumps(receiver.received).lower(), "no name or address in a payload"
    assert receiver.bad == 0


def test_a_wrong_secret_is_refused_by_the_receiver_and_the_delivery_is_tried_again(hooked, create_complaint):
    hook, receiver = hooked
    receiver.secret = "not-the-secret"
    receiver.start()
    create_complaint()
    webhooks.collect()
    db.session.commit()
    assert webhooks.send_due() == (0, 1) and receiver.bad == 1


def test_a_removed_webhook_or_a_revoked_integration_gets_nothing(hooked, create_complaint):
    hook, receiver = hooked
    receiver.start()
    create_complaint()
    webhooks.collect()
    integrations.revoke(person("admin"), hook.integration)
    db.session.commit()
    assert webhooks.send_due() == (0, 0) and receiver.received == []
    assert db.session.scalar(select(WebhookDelivery.status)) == MailStatus.CANCELLED


def test_an_address_must_be_https_except_on_this_machine(app):
    admin = person("admin")
    integration, _token = integrations.create_integration(admin, "App", ["status:read"])
    for url in ("http://example.com/hook", "ftp://example.com", "nonsense"):
        with pytest.raises(SettingError) as refused:
            webhooks.add_webhook(admin, integration, url, ["filed"])
        assert refused.value.field == "url"
    with pytest.raises(SettingError) as refused:
        webhooks.add_webhook(admin, integration, "https://example.com/hook", ["everything"])
    assert refused.value.field == "events"
