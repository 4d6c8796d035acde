"""The mails agents' actions send: a reply and an offer reach a real SMTP server, in the customer's language."""
import pytest

from portal.extensions import db
from portal.services import mandate, work
from portal.services.organisation import get_calendar
from portal.services.outbox import send_pending
from portal.services.secrets import new_draft_key
from tests.fixtures.people import person
from tests.mail import SmtpServer, free_port, mail_settings


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(app_config, smtp_port):
    app_config.update(mail_settings(smtp_port))
    return app_config


@pytest.mark.parametrize("language, greeting, proposal", [("nl", "Beste", "Dit is ons voorstel"),
                                                          ("en", "Dear", "This is our proposal")])
def test_a_reply_and_an_offer_arrive_with_a_working_link(app, client, create_complaint, smtp_port,
                                                        language, greeting, proposal):
    agent = person("agent")
    complaint, _ = create_complaint(language=language, name="Ann <b>Bold</b>")
    work.claim(complaint, agent)
    work.reply(complaint, agent, "I have read it. A new book goes out today.")
    mandate.make_offer(complaint, agent, remedy="refund", amount_cents=1250, text="We pay back the book.",
                  request_key=new_draft_key(), seen_counter=0, calendar=get_calendar())
    db.session.commit()
    with SmtpServer(smtp_port) as smtp:
        send_pending()
    by_subject = {mail["Subject"]: mail for mail in smtp.received}
    assert len(by_subject) == 3, list(by_subject)  # the confirmation, the reply and the offer
    reply = next(m for s, m in by_subject.items() if "A new book goes out today." in m.text)
    offer = next(m for s, m in by_subject.items() if proposal in m.text)
    for mail in (reply, offer):
        assert mail.text.startswith(greeting) and mail.html and complaint.reference in mail.text
        assert "&lt;b&gt;Bold&lt;/b&gt;" in mail.html and "<b>Bold</b>" not in mail.html
        link = next(url for url in mail.links() if "/s/" in url)
        assert client.get(link.replace("http://portal.test", "")).status_code == 200, "the link in the mail works"
    assert "12,50" in offer.text or "12.50" in offer.text
