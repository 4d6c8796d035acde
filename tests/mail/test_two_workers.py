"""Several mail workers share the outbox on PostgreSQL: each mail goes out exactly once."""
import os
import re
import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxMail, StatusLink
from portal.services.complaints import complaint_for_token
from portal.services.outbox import queue_mail, send_pending
from tests.mail import SmtpServer, free_port, mail_settings

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="SKIP LOCKED needs PostgreSQL; on SQLite one worker is enough (docs/deploy.md)")

SMTP_PORT = free_port()


@pytest.fixture
def app_config(app_config):
    app_config.update(mail_settings(SMTP_PORT))
    return app_config


def run_two_workers(app) -> SmtpServer:
    """Two mail workers started at the same moment, each in its own thread and session; returns
    the SMTP server they both sent to."""
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        with app.app_context():
            try:
                barrier.wait()
                send_pending(limit=100)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    with SmtpServer(SMTP_PORT) as smtp:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    return smtp


def test_two_workers_at_once_send_every_mail_exactly_once(app):
    for number in range(40):
        queue_mail("link", f"customer{number}@example.com", "nl", lambda: "Test", None,
                   status_url="http://portal.test/s/x")
    db.session.commit()
    smtp = run_two_workers(app)
    recipients = sorted(mail.rcpt_tos[0] for mail in smtp.received)
    assert recipients == sorted(f"customer{n}@example.com" for n in range(40)), "each once, none twice"
    db.session.expire_all()
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.status == "sent")) == 40


def test_two_workers_write_each_waiting_confirmation_once_and_send_it_once(app, create_complaint):
    """Confirmations wait in the outbox unwritten: the worker that claims one writes it (with a new
    status link) and commits it before anyone sends it, so the other never writes a second."""
    complaints = [create_complaint(email=f"filer{number}@example.com")[0] for number in range(20)]
    ids = {complaint.id: complaint.email for complaint in complaints}
    db.session.commit()
    smtp = run_two_workers(app)
    assert sorted(mail.rcpt_tos[0] for mail in smtp.received) == sorted(ids.values()), "each once, none twice"
    db.session.expire_all()
    links = dict(db.session.execute(select(StatusLink.complaint_id, func.count(StatusLink.id))
                                    .group_by(StatusLink.complaint_id)).all())
    assert links == {complaint_id: 2 for complaint_id in ids}, "the filing's link and one for the mail, no more"
    for received in smtp.received:
        token = re.search(r"/s/([\w-]+)", received.text).group(1)
        assert complaint_for_token(token).email == received.rcpt_tos[0], "each mail's link opens its own complaint"
