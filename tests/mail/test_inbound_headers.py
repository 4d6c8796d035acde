"""What a customer's mail program and autoresponder see, through a real SMTP server: our mails about
a complaint carry its reply address, and our one kind answer to a mail we could not take is marked
Auto-Submitted (RFC 3834), so no out-of-office answers it back."""
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMail
from portal.services import complaints, inbound, work
from portal.services.outbox import send_pending
from tests.fixtures.people import person
from tests.mail import SmtpServer, free_port, mail_settings

from .test_inbound import a_mail


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(app_config, smtp_port):
    app_config.update(mail_settings(smtp_port))
    return app_config


def test_our_reply_carries_the_reply_address_and_our_answer_is_marked_automatic(app, create_complaint, smtp_port):
    complaint, _token = create_complaint()
    agent = person("agent")
    work.claim(complaint, agent)
    work.reply(complaint, agent, "Wij sturen u vandaag een nieuw pakket.")
    complaints.withdraw(complaint)
    db.session.commit()
    reply_to = db.session.scalar(select(OutboxMail.reply_to).where(OutboxMail.kind == "reply"))
    inbound.receive(a_mail(reply_to, "Toch niet."))
    db.session.commit()
    with SmtpServer(smtp_port) as server:
        send_pending()
    ours = [mail for mail in server.received if mail["Reply-To"] == reply_to]
    answers = [mail for mail in server.received if mail["Auto-Submitted"]]
    assert len(ours) == 1 and ours[0]["Auto-Submitted"] == "", "a person may answer our reply"
    assert len(answers) == 1 and answers[0]["Auto-Submitted"] == "auto-replied"
    assert answers[0].rcpt_tos == ["fatima@example.com"] and complaint.reference in answers[0].text
