"""Customers answer by e-mail (services/inbound.py): a reply lands on its complaint without the quoted
history, a new mail becomes a new signal, and what must not be added is held, answered once, or
ignored (no loops). Both ways in are real: Dovecot over IMAPS, and the portal's own SMTP receiver."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, InboundMail, Message, OutboxMail, ReplyAddress
from portal.services import complaints, inbound, work
from tests.fixtures.people import person
from tests.mail import HOST, free_port
from tests.mail import imap

CUSTOMER = "fatima@example.com"  # the fixture's address
QUOTED = ("Dank u, het pakket is vandaag gekomen.\n\nMet vriendelijke groet,\nFatima\n\n"
          "Op di 1 dec 2026 om 10:00 schreef Gehoord <klacht+x@gehoord.example>:\n"
          "> Wij sturen u vandaag een nieuw pakket.\n> Sanne\n")


def a_mail(to: str, body: str = QUOTED, sender: str = CUSTOMER, **headers) -> bytes:
    message = EmailMessage()
    message["From"] = f"Fatima el Amrani <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Uw klacht"
    message["Message-ID"] = make_msgid(domain="example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def answered(app, create_complaint):
    """A complaint the agent answered by mail: (complaint, the Reply-To of that mail)."""
    complaint, _token = create_complaint()
    agent = person("agent")
    work.claim(complaint, agent)
    work.reply(complaint, agent, "Wij sturen u vandaag een nieuw pakket.")
    db.session.commit()
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "reply"))
    return complaint, mail.reply_to


def answers_to(address: str) -> list[OutboxMail]:
    return db.session.scalars(select(OutboxMail).where(OutboxMail.recipient == address,
                                                       OutboxMail.kind == "mail_not_added")).all()


def test_every_mail_about_a_complaint_has_a_reply_address_of_its_own_with_a_secret_tag(answered):
    complaint, reply_to = answered
    local, domain = reply_to.split("@")
    assert domain == "gehoord.example" and local.startswith("klacht+")
    tag = local.removeprefix("klacht+")
    assert len(tag) == 32 and complaint.reference.lower().replace("-", "") not in tag
    stored = db.session.scalars(select(ReplyAddress.tag_hash)).all()
    assert tag not in stored and len(stored) == 1, "only the hash of the tag is kept"


def test_a_reply_lands_on_its_complaint_without_the_quoted_history(answered):
    complaint, reply_to = answered
    found = inbound.receive(a_mail(reply_to))
    db.session.commit()
    assert found.outcome == "added"
    message = db.session.get(Message, found.message_id)
    assert message.complaint_id == complaint.id and message.author == "customer"
    assert message.body == "Dank u, het pakket is vandaag gekomen.", "quote and signature stripped"
    assert "Wij sturen u vandaag" in found.original, "the whole mail kept for the agents"
    assert complaint.attention_at is not None, "flagged for the owner"


def test_the_tag_is_read_whatever_the_case_and_from_the_envelope_when_the_header_lacks_it(answered):
    complaint, reply_to = answered
    found = inbound.receive(a_mail(reply_to.upper()))
    assert found.outcome == "added"
    bcc = inbound.receive(a_mail("klachten-team@example.com"), recipients=[reply_to])
    assert bcc.outcome == "added" and bcc.complaint_id == complaint.id


def test_a_reply_ends_our_wait_for_the_customer_as_a_message_on_the_status_page_does(answered):
    complaint, reply_to = answered
    work.reply(complaint, person("agent"), "Welke maat had de jas?", asks_question=True)
    db.session.commit()
    assert complaint.waiting_since is not None, "our promises pause while we wait for their answer"
    reply = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "reply")
                               .order_by(OutboxMail.id.desc())).first().reply_to
    inbound.receive(a_mail(reply, "Maat M.\n\nOp di 1 dec 2026 om 11:00 schreef Gehoord <klacht@gehoord.example>:\n"
                                   "> Welke maat had de jas?"))
    db.session.commit()
    assert complaint.waiting_since is None and complaint.messages[-1].body == "Maat M."


def test_a_mail_from_another_address_is_held_for_the_owner_and_never_added_silently(answered, client, auth):
    complaint, reply_to = answered
    found = inbound.receive(a_mail(reply_to, "Ik ben haar zus. Het pakket is er.", sender="zus@example.com"))
    db.session.commit()
    assert found.outcome == "held" and found.message_id is None
    assert [m.author for m in complaint.messages] == ["agent"], "not in the conversation"
    auth.login("agent")
    page = client.get(f"/agent/complaints/{complaint.reference}").get_data(as_text=True)
    assert "zus@example.com" in page and "Ik ben haar zus." in page
    assert "mail_held" not in page and "ander adres" in page, "the history in words, not codes"
    assert client.post(f"/agent/complaints/{complaint.reference}/mails/{found.id}/add").status_code == 302
    db.session.expire_all()
    assert complaint.messages[-1].body == "Ik ben haar zus. Het pakket is er."
    assert db.session.get(InboundMail, found.id).outcome == "added"


def test_an_out_of_office_and_a_bounce_get_no_answer_so_no_loop_starts(answered):
    _complaint, reply_to = answered
    away = inbound.receive(a_mail(reply_to, "Ik ben tot maandag weg.", Auto_Submitted="auto-replied"))
    listed = inbound.receive(a_mail(reply_to, "Nieuwsbrief", Precedence="bulk"))
    bounce = EmailMessage()
    bounce["From"], bounce["To"], bounce["Subject"] = "MAILER-DAEMON@example.com", reply_to, "Undelivered"
    bounce["Message-ID"] = make_msgid()
    bounce.set_content("Delivery failed")
    bounce.make_mixed()
    bounce.replace_header("Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"')
    failed = inbound.receive(bounce.as_bytes())
    db.session.commit()
    assert {away.outcome, listed.outcome, failed.outcome} == {"ignored"}
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)
                             .where(OutboxMail.kind == "mail_not_added")) == 0, "nothing answers an automatic mail"
    assert len(_complaint.messages) == 1


def test_a_mail_to_a_withdrawn_complaint_gets_one_kind_answer_even_when_read_twice(answered):
    complaint, reply_to = answered
    complaints.withdraw(complaint)
    db.session.commit()
    raw = a_mail(reply_to, "Ik wil het toch doorzetten.")
    first = inbound.receive(raw)
    again = inbound.receive(raw)
    db.session.commit()
    assert first.id == again.id and first.outcome == "answered"
    [answer] = answers_to(CUSTOMER)
    assert complaint.reference in answer.body_text and "/" in answer.body_text
    assert answer.reply_to is None, "the answer is not about a complaint anyone handles"
    assert len(complaint.messages) == 1, "nothing added to a withdrawn complaint"


def test_a_mail_over_the_size_limit_is_answered_kindly(app, answered):
    _complaint, reply_to = answered
    app.config["INBOUND_MAX_BYTES"] = 2_000
    found = inbound.receive(a_mail(reply_to, "Een foto van de doos:\n" + "x" * 5_000))
    db.session.commit()
    assert (found.outcome, found.reason) == ("answered", "too_large")
    [answer] = answers_to(CUSTOMER)
    assert "0 MB" in answer.body_text or "MB" in answer.body_text


def test_a_new_mail_to_the_complaints_address_is_a_new_signal_with_a_dated_timeline(app):
    raw = a_mail("Klachten <klacht@gehoord.example>", "Mijn fiets is al drie weken niet gerepareerd.",
                 sender="jan@example.com")
    found = inbound.receive(raw)
    db.session.commit()
    assert found.outcome == "filed"
    complaint = db.session.get(Complaint, found.complaint_id)
    assert complaint.channel == "mail" and complaint.email == "jan@example.com"
    assert complaint.story == "Mijn fiets is al drie weken niet gerepareerd." and complaint.promises
    assert db.session.scalar(select(OutboxMail).where(OutboxMail.recipient == "jan@example.com",
                                                      OutboxMail.kind == "filed")) is not None
    assert inbound.receive(raw).complaint_id == complaint.id, "read again: still one complaint"
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1


# --- the two ways in --------------------------------------------------------------------------------

@pytest.fixture
def mailbox_settings():
    if not imap.available():
        pytest.skip("Debian's dovecot-imapd is not installed (.ci/run installs it)")
    with imap.dovecot() as settings:
        yield settings


def test_fetch_mail_reads_the_mailbox_over_imaps_and_moves_what_it_took(app, answered, mailbox_settings, runner):
    complaint, reply_to = answered
    with imap.mailbox(mailbox_settings) as box:
        box.append(a_mail(reply_to), "INBOX")
        box.append(a_mail("klacht@gehoord.example", "De lamp is kapot aangekomen.", sender="jan@example.com"), "INBOX")
    app.config.update(mailbox_settings)
    result = runner.invoke(args=["portal", "fetch-mail"])
    assert result.exit_code == 0 and "2 mail(s) taken" in result.output, result.output
    db.session.expire_all()
    assert complaint.messages[-1].body == "Dank u, het pakket is vandaag gekomen."
    assert db.session.scalar(select(Complaint).where(Complaint.email == "jan@example.com")).channel == "mail"
    with imap.mailbox(mailbox_settings) as box:
        assert list(box.fetch()) == [], "nothing left to read twice"
        box.folder.set("Gehoord-verwerkt")
        assert len(list(box.fetch(mark_seen=False))) == 2, "kept in the done folder"


def test_a_worker_stopped_between_taking_and_moving_a_mail_loses_nothing_and_adds_nothing_twice(
        app, answered, mailbox_settings):
    complaint, reply_to = answered
    with imap.mailbox(mailbox_settings) as box:
        box.append(a_mail(reply_to), "INBOX")
        box.append(a_mail(reply_to, "En de bon zit erbij.\n\n> eerder"), "INBOX")

    def stopped(_mail):
        raise KeyboardInterrupt  # the worker dies after the first mail was stored, before it was moved

    with pytest.raises(KeyboardInterrupt):
        inbound.fetch_mailbox(mailbox_settings, on_taken=stopped)
    assert [m.body for m in complaint.messages][1:] == ["Dank u, het pakket is vandaag gekomen."]
    assert inbound.fetch_mailbox(mailbox_settings) == 2, "both read at the next round"
    db.session.expire_all()
    assert [m.body for m in complaint.messages][1:] == ["Dank u, het pakket is vandaag gekomen.",
                                                         "En de bon zit erbij."], "the first one once"


def test_the_smtp_receiver_stores_a_reply_before_it_says_250(app, answered):
    from aiosmtpd.controller import Controller

    complaint, reply_to = answered
    port = free_port()
    controller = Controller(inbound.SmtpHandler(app), hostname=HOST, port=port)
    controller.start()
    try:
        with smtplib.SMTP(HOST, port) as smtp:
            refused = smtp.sendmail(CUSTOMER, [reply_to], a_mail(reply_to))
            smtp.sendmail("away@example.com", [reply_to], a_mail(reply_to, "Afwezig", sender="away@example.com",
                                                               Auto_Submitted="auto-replied"))
    finally:
        controller.stop()
    assert refused == {}
    db.session.expire_all()
    assert complaint.messages[-1].body == "Dank u, het pakket is vandaag gekomen."
    assert answers_to("away@example.com") == []


def test_erasure_removes_what_they_mailed_and_a_later_answer_keeps_nothing(answered):
    from portal.services import privacy

    complaint, reply_to = answered
    first = inbound.receive(a_mail(reply_to))
    privacy.anonymise(complaint)
    db.session.commit()
    db.session.refresh(first)
    assert (first.reply_text, first.original, first.subject) == (None, None, None) and CUSTOMER not in first.sender
    later = inbound.receive(a_mail(reply_to, "Nog iets: mijn nieuwe adres is Dorpsstraat 1."))
    db.session.commit()
    assert (later.outcome, later.reply_text, later.original) == ("answered", None, None)
    [answer] = answers_to(CUSTOMER)
    assert "erased" in answer.body_text or "gewist" in answer.body_text


def test_photos_in_a_reply_by_mail_come_along_and_a_program_does_not(answered):
    from tests.services.test_attachments import a_photo, a_program

    complaint, reply_to = answered
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = CUSTOMER, reply_to, "Re: Uw klacht"
    message["Message-ID"] = make_msgid()
    message.set_content("Hier zijn de foto's.")
    message.add_attachment(a_photo(), maintype="image", subtype="jpeg", filename="kapot.jpg")
    message.add_attachment(a_program(), maintype="application", subtype="octet-stream", filename="foto2.jpg")
    found = inbound.receive(message.as_bytes())
    db.session.commit()
    from portal.models import Attachment

    [attachment] = db.session.scalars(select(Attachment)).all()
    assert attachment.message_id == found.message_id and attachment.added_by == "mail"
    assert attachment.name == "kapot.jpg" and attachment.thumbnail_key


def test_a_held_mail_decided_twice_is_added_once(answered):
    from sqlalchemy import update

    complaint, reply_to = answered
    found = inbound.receive(a_mail(reply_to, "Van mijn werkadres: het pakket is er.", sender="werk@example.com"))
    db.session.commit()
    # Another tab decided meanwhile: the row says so, this request's copy still says "held".
    db.session.execute(update(InboundMail).where(InboundMail.id == found.id).values(outcome="added")
                       .execution_options(synchronize_session=False))
    assert found.outcome == "held"
    with pytest.raises(inbound.InboundError):
        inbound.add_held(found, person("agent"))
    db.session.rollback()
    assert "Van mijn werkadres: het pakket is er." not in [m.body for m in complaint.messages]
