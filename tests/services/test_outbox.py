"""The outbox: a mail is written with the change that causes it, and a worker sends it, also after
a mail server was down for a long while, and without hanging on one that never answers."""
import socket
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from portal.services import filing
from portal import cli
from portal.extensions import db
from portal.models import Complaint, OutboxMail, utcnow
from portal.services import complaints as service
from portal.services import outbox
from portal.services.organisation import get_calendar
from portal.services.outbox import send_pending
from tests.fixtures.complaints import answers
from tests.mail import HOST, SmtpServer, free_port, mail_settings


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(app_config, smtp_port):
    app_config.update(mail_settings(smtp_port), MAIL_TIMEOUT=1)
    return app_config


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def the_mail() -> OutboxMail:
    db.session.commit()  # end this test's transaction: see what other sessions saved
    [mail] = db.session.scalars(select(OutboxMail)).all()
    return mail


def test_filing_writes_its_mail_in_the_same_transaction(app):
    draft = filing.start_draft("complaint")
    filing.save_answers(draft, answers(email="fatima@example.com"))
    db.session.commit()

    filed = filing.file_draft(draft, calendar=get_calendar())
    mails = db.session.scalars(select(OutboxMail)).all()
    assert [(mail.complaint_id, mail.recipient) for mail in mails] == [(filed.complaint.id, "fatima@example.com")]

    db.session.rollback()  # the filing fails after all: no mail about a complaint that does not exist
    assert count(Complaint) == 0 and count(OutboxMail) == 0

    filing.file_draft(draft, calendar=get_calendar())
    db.session.commit()
    assert count(Complaint) == 1 and count(OutboxMail) == 1
    assert the_mail().status == "pending"


def test_a_mail_that_cannot_be_written_waits_says_why_and_goes_out_once_it_can(app, create_complaint, smtp_port,
                                                                                monkeypatch):
    """The confirmation is written by the worker (not by the filing page): a fault in writing it
    (a broken template, say) keeps the complaint and the mail, and tells whoever reads the outbox."""
    complaint, _ = create_complaint(email="fatima@example.com")
    links_before = len(complaint.status_links)

    def broken_template(row):
        service.status_url_for_mail(db.session.get(Complaint, row.complaint_id))  # a link, then the fault
        raise RuntimeError("mail/filed.html: unexpected end of template")

    monkeypatch.setitem(outbox.WRITERS, "filed", broken_template)
    first_try = utcnow()
    with SmtpServer(smtp_port) as smtp:
        assert send_pending(now=first_try) == (0, 1)
        assert smtp.received == []
    mail = the_mail()
    assert (mail.status, mail.body_text, mail.attempts) == ("pending", None, 1)
    assert "unexpected end of template" in mail.last_error and mail.next_attempt_at > first_try
    assert len(db.session.get(Complaint, complaint.id).status_links) == links_before, "half a mail is not kept"

    monkeypatch.undo()  # the template is mended
    with SmtpServer(smtp_port) as smtp:
        assert send_pending(now=first_try) == (0, 0), "not tried again before its moment"
        assert send_pending(now=mail.next_attempt_at) == (1, 0)
        [received] = smtp.received
    assert complaint.reference in received["Subject"] and received.rcpt_tos == ["fatima@example.com"]
    assert the_mail().status == "sent"


def test_a_mail_server_down_for_a_night_still_gets_the_mail_out_in_the_morning(app, create_complaint, smtp_port):
    """'A dead mail server loses nothing' (DESIGN.md): a long outage delays the mail, it does not drop it."""
    complaint, _ = create_complaint(email="fatima@example.com")
    evening = utcnow()
    morning = evening + timedelta(hours=14)

    moment = evening
    while moment < morning:  # the worker keeps trying all night; nothing listens on smtp_port
        send_pending(now=moment)
        moment = max(the_mail().next_attempt_at, moment + timedelta(minutes=1))

    with SmtpServer(smtp_port) as smtp:  # the mail server is back in the morning
        send_pending(now=morning + timedelta(hours=1))
        assert [mail.rcpt_tos for mail in smtp.received] == [["fatima@example.com"]], \
            f"the confirmation never went out: {the_mail().status} after {the_mail().attempts} tries"
    assert the_mail().status == "sent"


def test_a_mail_server_that_never_answers_does_not_stall_the_worker(app, create_complaint, smtp_port):
    """A server that accepts the connection but never greets (MAIL_TIMEOUT is 1 second here) must make
    the worker give up on this round and try later, not wait forever."""
    create_complaint()
    outcome = {}

    def worker():
        try:
            with app.app_context():
                outcome["result"] = send_pending()
        except Exception as error:  # pragma: no cover - reported below
            outcome["error"] = error

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind((HOST, smtp_port))
        silent.listen(1)  # the kernel accepts the connection; nobody ever says "220"
        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        thread.join(timeout=8)
        stalled = thread.is_alive()
        # Release a stalled worker so the test ends cleanly: the server hangs up.
        silent.settimeout(5)
        try:
            connection, _ = silent.accept()
            connection.close()
        except TimeoutError:
            pass
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert not stalled, "send_pending waited for a silent mail server far longer than MAIL_TIMEOUT"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["result"] == (0, 1)
    mail = the_mail()
    assert mail.status == "pending" and mail.attempts == 1, "tried again later"


def test_the_worker_loop_sends_new_mail_as_it_arrives(app, create_complaint, runner, smtp_port, monkeypatch):
    first, _ = create_complaint(email="first@example.com")
    rounds = []

    class StopWorker(Exception):
        pass

    def between_rounds(seconds):
        rounds.append(seconds)
        if len(rounds) == 1:  # meanwhile someone files a complaint on the website (another session)
            with app.app_context():
                create_complaint(email="second@example.com")
        else:
            raise StopWorker

    monkeypatch.setattr(cli, "time", SimpleNamespace(sleep=between_rounds))
    with SmtpServer(smtp_port) as smtp:
        result = runner.invoke(args=["portal", "send-mail", "--loop", "--interval", "3"])

    assert isinstance(result.exception, StopWorker), result.output
    assert rounds == [3.0, 3.0]
    assert [mail.rcpt_tos for mail in smtp.received] == [["first@example.com"], ["second@example.com"]]
    assert result.output.count("sent 1, failed 0") == 2


def test_without_a_mail_server_the_command_says_so_and_keeps_the_mails(app_config, request):
    app_config["MAIL_SERVER"] = None  # the demo: mails are read on /dev/outbox
    request.getfixturevalue("app")
    request.getfixturevalue("create_complaint")()
    result = request.getfixturevalue("runner").invoke(args=["portal", "send-mail"])
    assert result.exit_code == 0
    assert "No MAIL_SERVER is set" in result.output
    mail = the_mail()
    assert mail.status == "pending" and mail.attempts == 0


@pytest.mark.parametrize("kind,category,wish,word_en,word_nl", [
    ("complaint", "delivery", "compensation", "complaint", "klacht"),
    ("compliment", None, None, "compliment", "compliment"),
    ("suggestion", None, None, "idea", "idee")])
def test_each_mail_names_what_they_sent_in_their_language(create_complaint, kind, category, wish, word_en, word_nl):
    from portal.services import work
    from tests.fixtures.people import person

    english, _ = create_complaint(kind, category=category, wish=wish, language="en")
    dutch, _ = create_complaint(kind, category=category, wish=wish, language="nl", email="anne@example.com")
    for complaint, word in ((english, word_en), (dutch, word_nl)):
        filed = db.session.scalar(select(OutboxMail).where(OutboxMail.complaint_id == complaint.id,
                                                           OutboxMail.kind == "filed"))
        assert word in outbox.WRITERS["filed"](filed)["subject"].lower()
        work.claim(complaint, person("agent"))
        work.reply(complaint, person("agent"), "Thank you, we read it all.")
        db.session.flush()
        reply = db.session.scalar(select(OutboxMail).where(OutboxMail.complaint_id == complaint.id,
                                                           OutboxMail.kind == "reply"))
        assert word in reply.subject.lower()
    assert "klacht" not in reply.subject.lower() or kind == "complaint"
