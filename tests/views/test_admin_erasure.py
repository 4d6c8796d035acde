"""An admin confirms a customer's request to erase their personal data; nobody else can."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Complaint, OutboxMail, utcnow
from portal.services import privacy
from tests.conftest import EN, soup, text_of


def test_an_admin_sees_the_requests_oldest_first_and_erases_one(client, client_request, create_complaint, auth):
    first, first_token = create_complaint(name="Fatima el Amrani", email="fatima@example.com")
    second, _ = create_complaint(name="Joost de Vries", email="joost@example.com")
    untouched, _ = create_complaint(name="Anna Bakker", email="anna@example.com")
    privacy.request_erasure(second, utcnow() - timedelta(days=1))
    privacy.request_erasure(first, utcnow() - timedelta(days=3))
    db.session.commit()
    assert db.session.scalar(select(OutboxMail).where(OutboxMail.complaint_id == first.id)).recipient \
        == "fatima@example.com"

    assert auth.login("admin").status_code == 302
    page = text_of(soup(client.get("/admin/erasure", headers=EN)))
    assert "Requests to erase personal data" in page
    assert page.index(first.reference) < page.index(second.reference)
    assert untouched.reference not in page
    assert "Fatima" not in page  # the list itself shows no personal data
    dutch = text_of(soup(client.get("/admin/erasure", headers={"Accept-Language": "nl"})))
    assert "Verzoeken om persoonsgegevens te wissen" in dutch and "Nu wissen" in dutch

    response = client_request.post(f"/admin/erasure/{first.id}/confirm", headers=EN)
    page = text_of(soup(client.get(response.headers["Location"], headers=EN)))
    assert f"The personal data of {first.reference} is erased" in page
    assert first.reference not in page.split("is erased")[1]  # gone from the list
    assert second.reference in page

    db.session.expire_all()
    erased = db.session.get(Complaint, first.id)
    assert (erased.name, erased.email, erased.story, erased.status) == ("", "", "", "withdrawn")
    mails = db.session.scalars(select(OutboxMail).where(OutboxMail.complaint_id == first.id)).all()
    assert mails and all(m.recipient == "" and "Fatima" not in m.body_text + m.body_html for m in mails)
    assert all(m.status != "pending" for m in mails)  # nothing still goes out to the old address
    assert client.get(f"/s/{first_token}").status_code == 404
    assert db.session.get(Complaint, second.id).name == "Joost de Vries"

    agent_page = text_of(soup(client.get(f"/agent/complaints/{erased.reference}", headers=EN)))
    assert "The personal data of this complaint is erased" in agent_page and "Fatima" not in agent_page

    audit = text_of(soup(client.get("/admin/audit", headers=EN)))
    assert f"erased the personal data of complaint {first.reference}." in audit

    assert client.post(f"/admin/erasure/{first.id}/confirm").status_code == 404  # done once


def test_a_complaint_without_a_request_cannot_be_erased_from_this_screen(client, create_complaint, auth):
    complaint, _ = create_complaint()
    assert auth.login("admin").status_code == 302
    assert client.post(f"/admin/erasure/{complaint.id}/confirm").status_code == 404
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).name == "Fatima el Amrani"


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_agents_and_supervisors_cannot_use_the_erasure_screen(client, create_complaint, role, auth):
    complaint, _ = create_complaint()
    privacy.request_erasure(complaint, utcnow())
    db.session.commit()
    assert auth.login(role).status_code == 302
    response = client.get("/admin/erasure")
    assert response.status_code == 403 and complaint.reference not in response.get_data(as_text=True)
    assert client.post(f"/admin/erasure/{complaint.id}/confirm").status_code == 403
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).anonymised_at is None


def test_the_confirm_button_needs_the_form_token(app_config, client, create_complaint):
    """With CSRF on (as in production), a POST from elsewhere erases nothing."""
    client.application.config["WTF_CSRF_ENABLED"] = True
    complaint, _ = create_complaint()
    privacy.request_erasure(complaint, utcnow())
    db.session.commit()
    page = client.get("/agent/login")
    token = soup(page).find("input", {"name": "csrf_token"})["value"]
    client.post("/agent/login", data={"email": "admin@gehoord.example", "password": "demo-admin",
                                      "csrf_token": token})
    assert client.post(f"/admin/erasure/{complaint.id}/confirm").status_code == 400
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).anonymised_at is None
    form = soup(client.get("/admin/erasure")).find("form", action=f"/admin/erasure/{complaint.id}/confirm")
    assert client.post(form["action"], data={"csrf_token": form.find("input")["value"]}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).anonymised_at is not None
