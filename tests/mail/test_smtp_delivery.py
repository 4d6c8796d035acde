"""Mail that really goes out: a complaint filed through the forms reaches a real SMTP server on loopback.

The customer gets the confirmation in their language, as text and as HTML, with the reference, the
status link and the dated promises; a mail server that is down loses nothing; "find my complaint"
mails a new link only to the right person and never shows whether it found anything.
"""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, OutboxMail, utcnow
from portal.services.outbox import send_pending
from portal.services.secrets import REFERENCE_ALPHABET
from tests.conftest import soup, text_of
from tests.fixtures.complaints import walk_complaint_flow
from tests.mail import SmtpServer, free_port, mail_settings, spelled_out

@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def app_config(app_config, smtp_port):
    app_config.update(mail_settings(smtp_port))
    return app_config


@pytest.fixture
def smtp(smtp_port):
    with SmtpServer(smtp_port) as server:
        yield server


def latest():
    """End the test's own transaction, so it sees what the requests (each in its own session) saved."""
    db.session.commit()


def file_through_the_forms(client, **answers):
    """File a complaint as a customer does; returns (complaint, token of its status link)."""
    response = walk_complaint_flow(client, **answers)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/s/") and location.endswith("/confirmation")
    token = location[len("/s/"):-len("/confirmation")]
    latest()
    complaint = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()))
    return complaint, token


def mailed_token(mail) -> str:
    """The status link's token in a mail (the mail worker gives each mail a link of its own); the
    text and the HTML part carry the same one."""
    token = re.search(r"/s/([\w-]+)", mail.text).group(1)
    assert f"/s/{token}" in mail.html
    return token


def pending_mails():
    latest()
    return db.session.scalars(select(OutboxMail).where(OutboxMail.status == "pending")).all()


# --- the confirmation mail ----------------------------------------------------------------------


def test_filing_queues_one_mail_and_sending_delivers_it_in_dutch(app, client, smtp):
    complaint, _ = file_through_the_forms(client, language="nl", name="Fatima el Amrani",
                                          email="fatima@example.com")
    queued = pending_mails()
    assert [mail.complaint_id for mail in queued] == [complaint.id], "exactly one mail, for this complaint"
    assert smtp.received == [], "nothing goes out while the page is served"

    assert send_pending() == (1, 0)

    assert len(smtp.received) == 1
    mail = smtp.received[0]
    token = mailed_token(mail)
    assert mail.rcpt_tos == ["fatima@example.com"]
    assert "fatima@example.com" in mail["To"]
    assert complaint.reference in mail["Subject"]
    assert "Wij hebben uw klacht ontvangen" in mail["Subject"]
    text, html = mail.text, mail.html
    assert '<html lang="nl">' in html
    assert len(complaint.promises) == 3
    for part in (text, html):
        assert "Beste Fatima el Amrani," in part
        assert "Uw kenmerk" in part and complaint.reference in part
        assert "Wat er nu gebeurt" in part
        assert f"/s/{token}" in part, "the status link"
        for promise in complaint.promises:
            assert f"Uiterlijk {spelled_out(promise.due_at, 'nl')}" in part
            assert promise.label_nl in part
        for english in ("Dear", "Your reference", "What happens next", "Follow it online"):
            assert english not in part, f"an English word in a Dutch mail: {english!r}"
    assert re.search(rf'<a href="[^"]*/s/{re.escape(token)}"', html), "a link to click in the HTML part"

    # The link in the mail opens the customer's status page.
    link = next(url for url in mail.links() if f"/s/{token}" in url)
    page = client.get(urlsplit(link).path, headers={"Accept-Language": "nl"})
    assert page.status_code == 200
    assert complaint.reference in text_of(soup(page))


def test_filing_in_english_gets_the_mail_in_english_through_the_send_mail_command(app, client, smtp, runner):
    complaint, _ = file_through_the_forms(client, language="en", name="Grace Okafor",
                                          email="grace@example.com")

    result = runner.invoke(args=["portal", "send-mail"])

    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert len(smtp.received) == 1
    mail = smtp.received[0]
    token = mailed_token(mail)
    assert mail.rcpt_tos == ["grace@example.com"] and "grace@example.com" in mail["To"]
    assert mail["Subject"] == f"We have received your complaint ({complaint.reference})"
    text, html = mail.text, mail.html
    assert '<html lang="en">' in html
    assert len(complaint.promises) == 3
    for part in (text, html):
        assert "Dear Grace Okafor," in part
        assert "Your reference" in part and complaint.reference in part
        assert "What happens next" in part
        assert f"/s/{token}" in part
        for promise in complaint.promises:
            assert f"By {spelled_out(promise.due_at, 'en')}" in part
            assert promise.label_en in part
        for dutch in ("Beste", "Uw kenmerk", "Uiterlijk", "Wat er nu gebeurt"):
            assert dutch not in part, f"a Dutch word in an English mail: {dutch!r}"
    assert db.session.scalar(select(OutboxMail.status)) == "sent"


def test_the_status_link_in_the_mail_points_at_the_public_address(app, client, smtp):
    """Links in mail come from PUBLIC_BASE_URL, also when filed through a page: not from the Host
    the browser (or an attacker, or a proxy) happened to send."""
    file_through_the_forms(client)
    send_pending()
    mail = smtp.received[0]
    token = mailed_token(mail)
    base = app.config["PUBLIC_BASE_URL"]
    assert f"{base}/s/{token}" in mail.text
    assert f'href="{base}/s/{token}"' in mail.html


def test_a_script_in_the_story_arrives_as_text_in_the_html_mail(app, client, smtp):
    story = "The driver said <script>alert(1)</script> and drove off with my parcel."
    complaint, _ = file_through_the_forms(client, story=story)
    assert complaint.story == story, "the customer's words are kept verbatim"
    send_pending()
    mail = smtp.received[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "<script" not in mail.html.lower()
    assert story in mail.text, "the plain-text part shows exactly what they typed"


# --- a mail server that is down ------------------------------------------------------------------


def test_a_mail_server_that_is_down_at_filing_time_loses_nothing(app, client, smtp_port):
    # Nothing listens on smtp_port yet: the mail server is down.
    complaint, token = file_through_the_forms(client, email="fatima@example.com")

    page = text_of(soup(client.get(f"/s/{token}/confirmation", headers={"Accept-Language": "nl"})))
    assert complaint.reference in page, "the customer still gets the confirmation"
    assert "fatima@example.com" in page
    assert db.session.scalar(select(func.count(Complaint.id))) == 1

    first_try = utcnow()
    assert send_pending(now=first_try) == (0, 1)
    [mail] = pending_mails()
    assert mail.attempts == 1 and mail.last_error
    written = mail.body_text
    assert complaint.reference in written, "written (with its link) before the first try, and kept"
    first_wait = mail.next_attempt_at - first_try
    assert first_wait > timedelta(0), "the next try is later, not at once"

    second_try = mail.next_attempt_at
    assert send_pending(now=second_try) == (0, 1)
    [mail] = pending_mails()
    assert mail.attempts == 2
    second_wait = mail.next_attempt_at - second_try
    assert second_wait > first_wait, "each failure waits longer (back-off)"

    with SmtpServer(smtp_port) as smtp:  # the mail server is back
        almost = mail.next_attempt_at - timedelta(seconds=1)
        assert send_pending(now=almost) == (0, 0), "not tried before its moment"
        assert smtp.received == []

        due = mail.next_attempt_at
        assert send_pending(now=due) == (1, 0)
        assert len(smtp.received) == 1
        assert smtp.received[0].rcpt_tos == ["fatima@example.com"]
        assert complaint.reference in smtp.received[0]["Subject"]
        assert mailed_token(smtp.received[0]) in written, "the link written at the first try"

        assert send_pending(now=due + timedelta(days=1)) == (0, 0), "sent once, never again"
        assert len(smtp.received) == 1

    latest()
    mail = db.session.get(OutboxMail, mail.id)
    assert mail.status == "sent" and mail.sent_at is not None


# --- find my complaint ---------------------------------------------------------------------------


def find(app, reference, email, **headers):
    """Ask for the link as a new visitor would (a fresh browser); returns (post response, page)."""
    visitor = app.test_client()
    response = visitor.post("/find", data={"reference": reference, "email": email},
                            headers={"Accept-Language": "nl", **headers})
    page = visitor.get(response.headers["Location"], headers={"Accept-Language": "nl"}) \
        if response.status_code == 302 else response
    latest()
    return response, page


def unknown_reference(known: str) -> str:
    candidate = REFERENCE_ALPHABET[:4] + "-" + REFERENCE_ALPHABET[4:8]
    return candidate if candidate != known else REFERENCE_ALPHABET[8:12] + "-" + REFERENCE_ALPHABET[12:16]


def test_find_my_complaint_mails_a_new_link_that_opens_the_status_page(app, client, smtp):
    complaint, old_token = file_through_the_forms(client, email="fatima@example.com")
    send_pending()
    smtp.received.clear()

    typed = complaint.reference.lower().replace("-", " ")  # as read aloud over the phone
    response, page = find(app, typed, "Fatima@Example.com")
    assert response.status_code == 302
    assert "Kijk in uw mail" in text_of(soup(page))

    assert send_pending() == (1, 0)
    [mail] = smtp.received
    assert mail.rcpt_tos == ["fatima@example.com"]
    assert complaint.reference in mail["Subject"] and "De link naar uw klacht" in mail["Subject"]
    assert complaint.reference in mail.text and complaint.reference in mail.html
    [link] = [url for url in mail.links() if "/s/" in url]
    path = urlsplit(link).path
    assert path != f"/s/{old_token}", "a fresh link"
    status = client.get(path, headers={"Accept-Language": "nl"})
    assert status.status_code == 200 and complaint.reference in text_of(soup(status))
    old = client.get(f"/s/{old_token}", headers={"Accept-Language": "nl"})
    assert old.status_code == 200, "the earlier link keeps working, as the mail promises"


def test_a_wrong_reference_and_address_mail_nothing_and_look_exactly_the_same(app, client, smtp):
    complaint, _ = file_through_the_forms(client, email="fatima@example.com")
    send_pending()
    smtp.received.clear()
    mails_before = db.session.scalar(select(func.count(OutboxMail.id)))
    nobody = unknown_reference(complaint.reference)

    right = find(app, complaint.reference, "fatima@example.com")
    wrong_reference = find(app, nobody, "fatima@example.com")
    assert db.session.scalar(select(func.count(OutboxMail.id))) == mails_before + 1

    other_address = find(app, complaint.reference, "someone@example.com")
    unknown_both = find(app, nobody, "someone@example.com")
    assert db.session.scalar(select(func.count(OutboxMail.id))) == mails_before + 1, \
        "a pair that does not match queues nothing"

    for (post_a, page_a), (post_b, page_b) in ((right, wrong_reference), (other_address, unknown_both)):
        assert post_a.status_code == post_b.status_code == 302
        assert post_a.headers["Location"] == post_b.headers["Location"]
        assert page_a.status_code == page_b.status_code == 200
        assert text_of(soup(page_a)) == text_of(soup(page_b))

    send_pending()
    assert [mail.rcpt_tos for mail in smtp.received] == [["fatima@example.com"]], \
        "only the right pair gets a mail; the owner of a reference is not mailed for a wrong address"


def test_a_forged_host_never_ends_up_in_the_link_we_mail(app, client, smtp):
    """Someone who knows a reference and address must not get a secret link mailed that points at
    their own server: the link is built from PUBLIC_BASE_URL."""
    complaint, _ = file_through_the_forms(client, email="fatima@example.com")
    send_pending()
    smtp.received.clear()

    find(app, complaint.reference, "fatima@example.com", Host="evil.example")
    send_pending()

    [mail] = smtp.received
    assert "evil.example" not in mail.text and "evil.example" not in mail.html
    base = app.config["PUBLIC_BASE_URL"]
    assert any(url.startswith(f"{base}/s/") for url in mail.links())
