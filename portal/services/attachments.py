"""Photos and papers that come with a complaint: checked, cleaned and stored once, from every door
(the "What happened?" page, the status page, an agent's reply, a mail).

- The type is read from the content (`filetype`), never from the name: JPEG, PNG and HEIC photos
  (as phones make them), PDF, and plain text. Anything else, a renamed program say, is refused.
- Photos are drawn again by Pillow: turned the way the camera held them, without EXIF (no GPS, no
  camera serial), HEIC as JPEG (browsers show no HEIC), with a thumbnail. PDFs and text are kept as
  they are, and only ever downloaded (`Content-Disposition: attachment`, a CSP sandbox): nothing
  uploaded is served from our origin as a page.
- Stored under random keys (services/storage.py); `name` is only what we show.
- How many files one message brings and how large each may be are the admin's settings.
"""
from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass

import filetype
from sqlalchemy import select
from PIL import Image, ImageOps

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Attachment, Complaint, Message
from .errors import DomainError
from .organisation import organisation_snapshot
from .storage import get_storage

IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "JPEG", "image/heif": "JPEG"}
KEPT_AS_THEY_ARE = {"application/pdf"}
THUMBNAIL = (480, 480)
Image.MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photo is the largest we draw (no decompression bombs)

try:  # photos from iPhones; the wheel brings libheif
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - then a HEIC photo is refused like any unknown type
    pass


class AttachmentError(DomainError):
    pass


@dataclass
class Checked:
    name: str
    content_type: str
    data: bytes
    thumbnail: bytes | None = None


def limits() -> tuple[int, int]:
    """(files per message, megabytes per file): the admin's settings."""
    organisation = organisation_snapshot()
    return organisation.attachments_max_files or 5, organisation.attachment_max_mb or 10


def request_limit() -> int:
    """The largest request a form with files may send: every file at its largest, and the text."""
    files, megabytes = limits()
    return files * megabytes * 1_000_000 + 2_000_000


def _clean_name(name: str, content_type: str) -> str:
    stem = re.sub(r"[^\w .()-]+", "", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .") or "bestand"
    stem = stem.rsplit(".", 1)[0][:80]
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "jpg", "image/heif": "jpg",
                 "application/pdf": "pdf", "text/plain": "txt"}[content_type]
    return f"{stem}.{extension}"


def _type_of(data: bytes) -> str | None:
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime if kind.mime in IMAGES or kind.mime in KEPT_AS_THEY_ARE else None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def _redrawn(data: bytes, content_type: str) -> tuple[bytes, bytes, str]:
    """The photo drawn again (orientation applied, no metadata kept) and its thumbnail."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    out_format = IMAGES[content_type]
    if out_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    drawn = io.BytesIO()
    picture.save(drawn, out_format, **({"quality": 88} if out_format == "JPEG" else {}))  # no exif= given: none kept
    small = picture.copy()
    small.thumbnail(THUMBNAIL)
    thumb = io.BytesIO()
    small.save(thumb, out_format, **({"quality": 80} if out_format == "JPEG" else {}))
    return drawn.getvalue(), thumb.getvalue(), "image/jpeg" if out_format == "JPEG" else "image/png"


def check(files: list[tuple[str, bytes]], field: str = "files", already: int = 0,
          lenient: bool = False) -> list[Checked]:
    """Each (name, content) checked and cleaned; every problem named at once, in the reader's words.
    `lenient` (a mail: nobody to show an error to): the files that pass, the others left out."""
    files = [(name, data) for name, data in files if data]
    most, megabytes = limits()
    if lenient:
        files = files[:most]
    if len(files) + already > most:
        raise AttachmentError(_l("You can add up to %(count)s files. Choose fewer files.", count=most), field)
    problems, checked = [], []
    for name, data in files:
        shown = (name or "").rsplit("/", 1)[-1][:80] or _l("a file")
        if len(data) > megabytes * 1_000_000:
            problems.append(_l("%(name)s is larger than %(mb)s MB. Choose a smaller file.", name=shown, mb=megabytes))
            continue
        content_type = _type_of(data)
        if content_type is None:
            problems.append(_l("%(name)s is not a photo (JPG, PNG, HEIC), a PDF or a text file. "
                               "Choose one of those.", name=shown))
            continue
        if content_type in IMAGES:
            try:
                data, thumbnail, content_type_out = _redrawn(data, content_type)
            except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
                problems.append(_l("%(name)s could not be opened as a photo. Choose another file.", name=shown))
                continue
            checked.append(Checked(_clean_name(name, content_type), content_type_out, data, thumbnail))
        else:
            checked.append(Checked(_clean_name(name, content_type), content_type, data))
    if problems and not lenient:
        # One problem stays in the reader's language wherever it is shown; several are joined.
        said = problems[0] if len(problems) == 1 else " ".join(str(problem) for problem in problems)
        raise AttachmentError(said, field)
    return checked


def store(checked: list[Checked], *, added_by: str, complaint: Complaint | None = None,
          message: Message | None = None, draft_key: str | None = None) -> list[Attachment]:
    """Write the files to the storage, then their rows (flushed with the rest of the change). A file
    whose row is then rolled back stays in the storage unseen: only a file with a row is ever served."""
    storage, made = get_storage(), []
    for item in checked:
        key, thumbnail_key = secrets.token_hex(16), None
        storage.put(key, item.data, item.content_type)
        if item.thumbnail is not None:
            thumbnail_key = secrets.token_hex(16)
            storage.put(thumbnail_key, item.thumbnail, item.content_type)
        attachment = Attachment(key=key, thumbnail_key=thumbnail_key, name=item.name, content_type=item.content_type,
                                size=len(item.data), added_by=added_by, draft_key=draft_key,
                                complaint_id=complaint.id if complaint is not None else None,
                                message_id=message.id if message is not None and message.id else None)
        if message is not None and message.id is None:
            attachment.message = message
        db.session.add(attachment)
        made.append(attachment)
    db.session.flush()
    return made


def of_complaint(complaint: Complaint) -> list[Attachment]:
    return db.session.scalars(select(Attachment).where(Attachment.complaint_id == complaint.id)
                              .order_by(Attachment.id)).all()


def of_draft(draft_key: str) -> list[Attachment]:
    return db.session.scalars(select(Attachment).where(Attachment.draft_key == draft_key)
                              .order_by(Attachment.id)).all()


def of(complaint: Complaint, attachment_id: int) -> Attachment | None:
    """One file of this complaint (None for a file of another complaint: a link opens only its own)."""
    found = db.session.get(Attachment, attachment_id)
    return found if found is not None and found.complaint_id == complaint.id else None


def by_message(complaint: Complaint) -> dict:
    """{message id (None: sent with the story): [attachments]} for the conversation on a page."""
    found: dict = {}
    for attachment in of_complaint(complaint):
        found.setdefault(attachment.message_id, []).append(attachment)
    return found


def opened_by_staff(attachment: Attachment, person) -> None:
    """Every file a colleague opens is in the complaint's history (who saw the customer's papers)."""
    from .complaints import record_event

    complaint = db.session.get(Complaint, attachment.complaint_id)
    record_event(complaint, "file_opened", actor="agent", user_id=person.id, visible=False, name=person.name,
                 file=attachment.name)


def remove_files(attachments: list[Attachment]) -> int:
    """Delete the files and their rows (erasure, the retention purge, a draft that expired)."""
    storage = get_storage()
    for attachment in attachments:
        for key in (attachment.key, attachment.thumbnail_key):
            if key:
                storage.delete(key)
        db.session.delete(attachment)
    db.session.flush()
    return len(attachments)


def served_inline(attachment: Attachment) -> bool:
    """Photos we drew again are shown in the page; a PDF or a text file is only ever downloaded."""
    return attachment.content_type in ("image/jpeg", "image/png")
