""""You said, we did": what the organisation changed because customers told it, and telling them."""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field

from ..i18n import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Improvement, ImprovementLink, User, utcnow
from .audit import audit
from .complaints import find_by_reference, status_url_for_mail
from .errors import SettingError
from ..wording.customer import mail_subject
from .outbox import queue_mail
from .plain_language import refuse_hedges

IMPROVEMENT_TEXT_FIELDS = ("title_nl", "title_en", "body_nl", "body_en")


@dataclass
class SavedImprovement:
    """What saving an improvement did: the mails it queued and the links it could not remove."""

    improvement: Improvement
    mailed: int = 0
    kept: list[str] = dataclass_field(default_factory=list)  # references: their customer was mailed already


def save_improvement(author: User, improvement: Improvement | None, values: dict,
                     references: list[str]) -> SavedImprovement:
    """Write an improvement and link exactly the complaints that led to it (by their references).

    A link whose customer got the mail already stays: that mail cannot be taken back. When the
    improvement is public already, the customers of newly linked complaints get their mail now.
    """
    refuse_hedges(values, IMPROVEMENT_TEXT_FIELDS, SettingError)
    complaints = {}
    for reference in references:
        complaint = find_by_reference(reference)
        if complaint is None:
            raise SettingError(_l("There is no complaint with reference %(ref)s.", ref=reference), "references")
        complaints[complaint.id] = complaint
    if improvement is None:
        improvement = Improvement(created_by_id=author.id)
        db.session.add(improvement)
    before = dict(references=sorted(link.complaint.reference for link in improvement.links))
    for name in ("title_nl", "title_en", "body_nl", "body_en", "since"):
        setattr(improvement, name, values[name])
    kept = []
    for link in list(improvement.links):
        if link.complaint_id in complaints:
            continue
        if link.mailed_at is not None:
            kept.append(link.complaint.reference)
        else:
            improvement.links.remove(link)
    linked = {link.complaint_id for link in improvement.links}
    for complaint in complaints.values():
        if complaint.id not in linked:
            improvement.links.append(ImprovementLink(complaint=complaint))
    mailed = _tell_customers(improvement) if improvement.published_at else 0
    audit(author, "improvement_saved", values["title_en"], before=before,
          after=dict(references=sorted(link.complaint.reference for link in improvement.links), mailed=mailed,
                     kept=sorted(kept)))
    db.session.flush()
    return SavedImprovement(improvement, mailed, sorted(kept))


def _tell_customers(improvement: Improvement) -> int:
    """Queue the mail for each linked customer not told yet; returns how many."""
    mailed = 0
    for link in improvement.links:
        if link.mailed_at is None and link.complaint.anonymised_at is None:  # erased: no address to mail
            complaint = link.complaint
            queue_mail("improvement", complaint.email, complaint.language,
                       mail_subject("improvement", complaint),
                       complaint, improvement=improvement, status_url=status_url_for_mail(complaint))
            link.mailed_at = utcnow()
            mailed += 1
    return mailed


def publish_improvement(author: User, improvement: Improvement) -> int:
    """Publish it, and tell each customer whose complaint led to it, once. Returns the mails queued."""
    improvement.published_at = improvement.published_at or utcnow()
    mailed = _tell_customers(improvement)
    audit(author, "improvement_published", improvement.title_en, after=dict(mailed=mailed))
    db.session.flush()
    return mailed


def published_improvements() -> list[Improvement]:
    return db.session.scalars(select(Improvement).where(Improvement.published_at.is_not(None))
                              .order_by(Improvement.since.desc(), Improvement.id.desc())).all()
