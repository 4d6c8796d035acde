"""The demo's outbox page (development only): with no mail server, it is where a demo user reads the
confirmation and follows its status link. Confirmations wait unwritten for the mail worker; the page
writes them as the worker would."""
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Complaint, OutboxMail
from portal.services import outbox
from tests.conftest import EN, soup, text_of
from tests.fixtures.complaints import walk_complaint_flow


def file_one(client, **answers) -> Complaint:
    response = walk_complaint_flow(client, **answers)
    assert response.status_code == 302
    db.session.commit()  # see what the requests saved
    return db.session.scalar(select(Complaint).order_by(Complaint.id.desc()))


def test_the_outbox_page_shows_the_confirmation_and_its_link_opens_the_status_page(client):
    complaint = file_one(client, email="fatima@example.com", language="en")

    listing = text_of(soup(client.get("/dev/outbox")))
    assert "fatima@example.com" in listing
    assert f"We have received your complaint ({complaint.reference})" in listing

    mail_id = db.session.scalar(select(OutboxMail.id).where(OutboxMail.complaint_id == complaint.id))
    page = soup(client.get(f"/dev/outbox/{mail_id}"))
    [link] = [a["href"] for a in page.find_all("a") if re.search(r"/s/[\w-]+$", a["href"])]
    status = client.get(re.search(r"/s/[\w-]+$", link).group(0), headers=EN)
    assert status.status_code == 200 and complaint.reference in text_of(soup(status))


def test_a_mail_that_could_not_be_written_says_why_on_the_outbox_page(client, monkeypatch):
    def broken_template(row):
        raise RuntimeError("mail/filed.html: unexpected end of template")

    monkeypatch.setitem(outbox.WRITERS, "filed", broken_template)
    complaint = file_one(client)

    listing = text_of(soup(client.get("/dev/outbox")))
    assert "not written: RuntimeError: mail/filed.html: unexpected end of template" in listing
    mail_id = db.session.scalar(select(OutboxMail.id).where(OutboxMail.complaint_id == complaint.id))
    page = text_of(soup(client.get(f"/dev/outbox/{mail_id}")))
    assert "Mail not written" in page and "unexpected end of template" in page
    assert db.session.get(Complaint, complaint.id) is not None, "the complaint is kept all the same"
