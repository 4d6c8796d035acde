"""Photos and papers (services/attachments.py): the type read from the content, photos drawn again
without EXIF or GPS, limits with clear errors and the typed text kept, who may open a file, and
erasure leaving the storage empty: on disk and on an S3-compatible server (moto, in server mode)."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attachment, Event
from portal.services import attachments, privacy, work
from portal.services.storage import FolderStorage, S3Storage, get_storage
from tests.fixtures.people import person
from tests.mail import HOST, free_port

GPS = 0x8825
ORIENTATION = 0x0112


def a_photo(size=(120, 60), fmt="JPEG", with_gps=True) -> bytes:
    """A phone photo: held sideways (orientation 6) and with where it was taken in its EXIF."""
    picture = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    if with_gps:
        exif[GPS] = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    picture.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def a_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def a_program() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200  # an executable, whatever it is called


def test_a_photo_is_drawn_again_upright_without_exif_or_gps(app):
    [checked] = attachments.check([("IMG_0001.JPG", a_photo())])
    drawn = Image.open(io.BytesIO(checked.data))
    assert drawn.size == (60, 120), "turned the way the camera was held"
    assert dict(drawn.getexif()) == {}, "no EXIF left: no GPS, no camera"
    assert checked.thumbnail and checked.name == "IMG_0001.jpg" and checked.content_type == "image/jpeg"


def test_the_type_comes_from_the_content_never_from_the_name(app):
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    [as_png] = attachments.check([("factuur.pdf", png.getvalue())])
    assert as_png.content_type == "image/png" and as_png.name == "factuur.png"
    [pdf] = attachments.check([("bon", a_pdf())])
    assert pdf.content_type == "application/pdf" and pdf.data == a_pdf(), "a PDF is kept as it is"
    [note] = attachments.check([("notitie.txt", "Het pakket lag in de regen.".encode())])
    assert note.content_type == "text/plain"
    with pytest.raises(attachments.AttachmentError) as refused:
        attachments.check([("vakantie.jpg", a_program())])
    assert "vakantie.jpg" in str(refused.value.message) and "JPG, PNG, HEIC" in str(refused.value.message)


def test_a_heic_photo_from_a_phone_becomes_a_jpeg(app):
    from pillow_heif import from_pillow

    heic = io.BytesIO()
    from_pillow(Image.new("RGB", (80, 40), "blue")).save(heic, format="HEIF")
    [checked] = attachments.check([("IMG_0002.HEIC", heic.getvalue())])
    assert checked.content_type == "image/jpeg" and checked.name == "IMG_0002.jpg"
    assert Image.open(io.BytesIO(checked.data)).format == "JPEG"


def test_limits_on_count_and_size_say_what_to_do_in_both_languages(app):
    from flask_babel import force_locale

    files = [(f"foto{n}.jpg", a_photo()) for n in range(6)]
    with pytest.raises(attachments.AttachmentError) as too_many:
        attachments.check(files)
    with force_locale("nl"):
        assert "5 bestanden" in str(too_many.value.message)
    with force_locale("en"):
        assert "up to 5 files" in str(too_many.value.message)
    big = a_photo() + b"\x00" * 10_000_001
    with pytest.raises(attachments.AttachmentError) as too_large:
        attachments.check([("groot.jpg", big)])
    with force_locale("en"):
        assert "groot.jpg is larger than 10 MB" in str(too_large.value.message)


def upload(client, token, body, files, **headers):
    data = {"body": body, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/s/{token}", data=data, content_type="multipart/form-data", headers=headers)


def test_a_customer_adds_a_photo_on_the_status_page_and_sees_it(app, client, create_complaint):
    complaint, token = create_complaint()
    answer = upload(client, token, "Hier is een foto van de doos.", [("doos.jpg", a_photo())])
    assert answer.status_code == 302
    db.session.expire_all()
    [attachment] = db.session.scalars(select(Attachment)).all()
    assert attachment.message_id == complaint.messages[-1].id and attachment.added_by == "customer"
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert f"/s/{token}/files/{attachment.id}?size=small" in page
    served = client.get(f"/s/{token}/files/{attachment.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert dict(Image.open(io.BytesIO(served.data)).getexif()) == {}, "what is served has no GPS"
    other, other_token = create_complaint(email="someone@example.com")
    assert client.get(f"/s/{other_token}/files/{attachment.id}").status_code == 404, "another link opens nothing"


def test_a_pdf_is_only_ever_downloaded(app, client, create_complaint):
    _complaint, token = create_complaint()
    upload(client, token, "De factuur.", [("factuur.pdf", a_pdf())])
    attachment = db.session.scalar(select(Attachment))
    served = client.get(f"/s/{token}/files/{attachment.id}")
    assert served.headers["Content-Disposition"].startswith("attachment") and "factuur.pdf" in \
        served.headers["Content-Disposition"]


def test_a_refused_file_keeps_the_typed_text_and_says_why(app, client, create_complaint):
    complaint, token = create_complaint()
    answer = upload(client, token, "Mijn lange verhaal over de doos.", [("doos.jpg", a_program())])
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Mijn lange verhaal over de doos." in page and "doos.jpg is geen foto" in page, "in the customer's language"
    db.session.expire_all()
    assert complaint.messages == [] and db.session.scalar(select(Attachment)) is None


def test_staff_open_files_with_an_event_and_managers_and_colleagues_never(app, client, auth, create_complaint):
    complaint, token = create_complaint()
    upload(client, token, "Foto.", [("doos.jpg", a_photo())])
    attachment = db.session.scalar(select(Attachment))
    for role in ("manager", "colleague"):
        auth.login(role)
        assert client.get(f"/agent/files/{attachment.id}").status_code == 403, role
        auth.logout()
    auth.login("agent")
    page = client.get(f"/agent/complaints/{complaint.reference}").get_data(as_text=True)
    assert f"/agent/files/{attachment.id}?size=small" in page
    assert client.get(f"/agent/files/{attachment.id}?size=small").status_code == 200
    assert client.get(f"/agent/files/{attachment.id}").status_code == 200
    db.session.expire_all()
    opened = db.session.scalars(select(Event).where(Event.kind == "file_opened")).all()
    assert len(opened) == 1 and opened[0].data["file"] == "doos.jpg", "the file, not the small picture"


def test_an_agent_sends_a_paper_with_a_reply(app, client, auth, create_complaint):
    complaint, token = create_complaint()
    work.claim(complaint, person("agent"))
    db.session.commit()
    auth.login("agent")
    answer = client.post(f"/agent/complaints/{complaint.reference}/reply", content_type="multipart/form-data",
                         data={"reply-body": "Hierbij de nieuwe factuur. U hoeft niets te doen.",
                               "reply-then": "continue", "reply-files": [(io.BytesIO(a_pdf()), "factuur.pdf")]})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    db.session.expire_all()
    attachment = db.session.scalar(select(Attachment))
    assert attachment.added_by == "agent" and attachment.message.author == "agent"
    assert "factuur.pdf" in client.get(f"/s/{token}").get_data(as_text=True)


def test_erasure_leaves_the_storage_empty(app, client, create_complaint):
    complaint, token = create_complaint()
    upload(client, token, "Twee foto's.", [("a.jpg", a_photo()), ("b.pdf", a_pdf())])
    storage = get_storage()
    assert isinstance(storage, FolderStorage) and len(storage.keys()) == 3, "two files and one small picture"
    privacy.anonymise(complaint)
    db.session.commit()
    assert storage.keys() == [] and db.session.scalar(select(Attachment)) is None


@pytest.fixture
def s3(app):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port)
    server.start()
    app.config.update(ATTACHMENTS_STORAGE="s3", S3_BUCKET="gehoord-test", S3_ENDPOINT_URL=f"http://{HOST}:{port}",
                      S3_REGION="eu-west-1")
    app.extensions.pop("gehoord.storage", None)
    import os

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    storage = get_storage()
    storage.client.create_bucket(Bucket="gehoord-test",
                                 CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield storage
    app.extensions.pop("gehoord.storage", None)
    server.stop()


def test_files_on_an_s3_compatible_server_are_served_and_erased_the_same_way(app, client, create_complaint, s3):
    assert isinstance(s3, S3Storage)
    complaint, token = create_complaint()
    assert upload(client, token, "Foto.", [("doos.jpg", a_photo())]).status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert sorted(s3.keys()) == sorted([attachment.key, attachment.thumbnail_key])
    assert "doos" not in "".join(s3.keys()), "named by random ids, never by the customer's file name"
    assert client.get(f"/s/{token}/files/{attachment.id}").status_code == 200
    privacy.anonymise(complaint)
    db.session.commit()
    assert s3.keys() == []


def test_a_photo_added_on_what_happened_comes_along_when_the_complaint_is_sent(app, client):
    from tests.fixtures.complaints import answers

    data = answers()
    story = client.post("/complaint/what-happened", content_type="multipart/form-data",
                        data={"story": data["story"], "happened_when": "gisteren",
                              "files": [(io.BytesIO(a_photo()), "regen.jpg")]})
    assert story.status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert attachment.draft_key and attachment.complaint_id is None, "held by the draft until it is sent"
    for url, form in (("/complaint/about", {"category": data["category"]}),
                      ("/complaint/wish", {"wish": data["wish"], "amount": data["amount"], "wish_other": ""}),
                      ("/complaint/contact", {"name": data["name"], "email": data["email"], "phone": "",
                                              "contact_by": "email", "language": "nl"})):
        assert client.post(url, data=form).status_code == 302
    check = client.get("/complaint/check")
    assert "regen.jpg" in check.get_data(as_text=True)
    draft_key = attachment.draft_key
    sent = client.post("/complaint/check", data={"draft": draft_key})
    assert sent.status_code == 302
    db.session.expire_all()
    attachment = db.session.get(Attachment, attachment.id)
    assert attachment.complaint_id is not None and attachment.draft_key is None
    token = sent.headers["Location"].split("/s/")[1].split("/")[0]
    assert f"/s/{token}/files/{attachment.id}" in client.get(f"/s/{token}").get_data(as_text=True)


def test_a_draft_never_sent_takes_its_files_with_it(app, client):
    from datetime import timedelta

    from portal.models import utcnow
    from portal.services import filing

    client.post("/complaint/what-happened", content_type="multipart/form-data",
                data={"story": "Het pakket lag in de regen.", "happened_when": "",
                      "files": [(io.BytesIO(a_photo()), "regen.jpg")]})
    assert len(get_storage().keys()) == 2
    filing.purge_old_drafts(utcnow() + timedelta(days=30), 7)
    db.session.commit()
    assert get_storage().keys() == [] and db.session.scalar(select(Attachment)) is None


def test_the_retention_purge_leaves_the_storage_empty(app, client, create_complaint):
    from datetime import timedelta

    from portal.models import utcnow
    from portal.services import complaints

    complaint, token = create_complaint()
    upload(client, token, "Foto.", [("a.jpg", a_photo())])
    complaints.withdraw(complaint, now=utcnow() - timedelta(days=800))
    db.session.commit()
    assert len(get_storage().keys()) == 2
    assert privacy.purge_closed(utcnow(), 24) == 1
    db.session.commit()
    assert get_storage().keys() == []
