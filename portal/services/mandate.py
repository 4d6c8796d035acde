"""The mandate: an agent puts things right on the customer's word, within a personal limit.

No step here asks for proof (charter right 1). The limits are enforced here, on the server, whatever a
form sends. Two rules keep concurrent work safe on SQLite and PostgreSQL alike:
- an offer names the complaint's `offer_counter` the agent saw; a conditional UPDATE bumps it, so of
  two offers made from the same view (two agents, or a double click) only one goes through;
- the agent's `grant_counter` is bumped first, which takes that row's write lock, so two offers by one
  agent on different complaints never both spend the same monthly budget. A co-sign bumps the
  supervisor's counter and the complaint's `offer_counter` in the same way.

Whose budget a offer spends:
- a offer within the agent's own mandate counts against the agent's monthly budget;
- a co-signed offer counts against the co-signing supervisor's monthly budget only, and must fit
  the supervisor's per-complaint mandate (with what is already granted on the complaint) and what is
  left of their budget, or the co-sign is refused with the reason;
- a offer waiting for a co-sign counts for nobody until it is signed.

One live offer per complaint. While the customer has an offer to answer, no new offer can be made:
the customer decides whether it solves the complaint (right 10), and the offer they are reading is
never swapped for another behind their back; declining it, with a reason, brings a new one. An offer
still waiting for a co-sign has not reached the customer, so a new offer replaces it (it is marked
"replaced", with an event) and nobody can co-sign it any more.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from ..i18n import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Complaint, Offer, User, utcnow
from ..states import OfferState, PromiseState, Status, WaitingFor
from . import lifecycle, timelines
from .calendar import BusinessCalendar
from .complaints import record_event, require_open, status_url_for_mail
from .errors import DomainError
from .organisation import get_calendar
from .money import MAX_AMOUNT_CENTS, TOO_LARGE
from .outbox import queue_mail
from .plain_language import refuse_vague_words

# Remedies, in the order the mandate screen shows them. Money remedies spend mandate.
REMEDIES = {
    "apology": dict(money=False, label=_l("A sincere apology")),
    "explanation": dict(money=False, label=_l("An explanation of what happened")),
    "fix": dict(money=False, label=_l("Fix it or do it again")),
    "refund": dict(money=True, label=_l("Money back (refund)")),
    "credit": dict(money=True, label=_l("Credit on the account")),
    "voucher": dict(money=True, label=_l("A voucher")),
    "gift": dict(money=True, label=_l("A goodwill gift")),
}


class MandateError(DomainError):
    """The offer cannot be made, signed or answered as asked."""


@dataclass(frozen=True)
class Mandate:
    per_complaint_cents: int
    monthly_budget_cents: int
    spent_this_month_cents: int
    offered_on_complaint_cents: int

    @property
    def left_this_month_cents(self) -> int:
        return max(self.monthly_budget_cents - self.spent_this_month_cents, 0)

    @property
    def left_on_complaint_cents(self) -> int:
        return max(self.per_complaint_cents - self.offered_on_complaint_cents, 0)

    @property
    def most_now_cents(self) -> int:
        """The most this person can offer on this complaint right now, on their own."""
        return min(self.left_this_month_cents, self.left_on_complaint_cents)


def month_start(now: datetime, calendar: BusinessCalendar) -> datetime:
    """The first moment of this month in the organisation's time zone."""
    local = now.astimezone(calendar.zone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def spent_this_month(user: User, now: datetime, calendar: BusinessCalendar) -> int:
    """What this person's budget spent this month: their own grants within mandate, and what they co-signed."""
    start = month_start(now, calendar)
    own = (Offer.made_by_id == user.id) & Offer.cosigned_by_id.is_(None) & (Offer.made_at >= start)
    signed = (Offer.cosigned_by_id == user.id) & (Offer.cosigned_at >= start)
    return db.session.scalar(
        select(func.coalesce(func.sum(Offer.amount_cents), 0))
        .where(own | signed, Offer.state.in_(OfferState.SPENDING))) or 0


def offered_on(complaint: Complaint, leaving_out: Offer | None = None) -> int:
    """What is granted on this complaint (offered or accepted), without the grant being decided."""
    query = (select(func.coalesce(func.sum(Offer.amount_cents), 0))
             .where(Offer.complaint_id == complaint.id, Offer.state.in_(OfferState.SPENDING)))
    if leaving_out is not None:
        query = query.where(Offer.id != leaving_out.id)
    return db.session.scalar(query) or 0


def mandate_of(user: User, complaint: Complaint, calendar: BusinessCalendar,
               now: datetime | None = None) -> Mandate:
    return Mandate(user.mandate_per_complaint_cents, user.monthly_budget_cents,
                   spent_this_month(user, now or utcnow(), calendar), offered_on(complaint))


def make_offer(complaint: Complaint, agent: User, *, remedy: str, amount_cents: int, text: str,
          request_key: str, seen_counter: int, calendar: BusinessCalendar,
          now: datetime | None = None) -> Offer:
    """Offer a remedy. Within the mandate it takes effect at once; above it, a supervisor co-signs.

    The same request key twice returns the first offer (a double click makes one offer).
    """
    existing = db.session.scalar(select(Offer).where(Offer.request_key == request_key))
    if existing is not None:
        if existing.complaint_id != complaint.id:
            raise MandateError(_l("This form was already used. Open the mandate screen again."))
        return existing
    if not complaint.is_open:
        raise MandateError(_l("This complaint is no longer open, so you cannot make an offer."))
    if complaint.owner_id != agent.id:
        raise MandateError(_l("Only the owner of the complaint can make an offer. Claim it first."))
    if remedy not in REMEDIES:
        raise MandateError(_l("Choose one of the remedies."))
    refuse_vague_words(text, complaint.language, "text", MandateError)
    money = REMEDIES[remedy]["money"]
    if not money:
        amount_cents = 0
    elif not isinstance(amount_cents, int) or amount_cents <= 0:
        raise MandateError(_l("Enter an amount of more than 0 euros."))
    elif amount_cents > MAX_AMOUNT_CENTS:
        raise MandateError(TOO_LARGE)
    now = now or utcnow()

    bumped = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, Complaint.offer_counter == seen_counter)
        .values(offer_counter=Complaint.offer_counter + 1)
        .execution_options(synchronize_session=False))
    if bumped.rowcount != 1:
        raise MandateError(_l("Someone made an offer on this complaint a moment ago. "
                              "Look at it first, then decide."))
    db.session.expire(complaint, ["offer_counter"])
    if db.session.scalar(select(Offer.id).where(Offer.complaint_id == complaint.id,
                                                Offer.state == OfferState.OFFERED).limit(1)) is not None:
        raise MandateError(_l("The customer has an offer to answer. Wait for their answer: "
                              "if they decline it, you make a new offer."))
    db.session.execute(update(User).where(User.id == agent.id)
                       .values(offer_counter=User.offer_counter + 1)
                       .execution_options(synchronize_session=False))
    replaced = db.session.scalars(select(Offer).where(Offer.complaint_id == complaint.id,
                                                      Offer.state == OfferState.WAITING_COSIGN)).all()
    for old in replaced:
        old.state = OfferState.REPLACED
        record_event(complaint, "offer_replaced", actor="agent", user_id=agent.id, visible=False,
                     offer=old.id, remedy=old.remedy, amount_cents=old.amount_cents)
    db.session.flush()
    within = not money or amount_cents <= mandate_of(agent, complaint, calendar, now).most_now_cents
    offer = Offer(request_key=request_key, remedy=remedy, amount_cents=amount_cents,
                  currency=agent.currency, text=text.strip(), made_by=agent, made_at=now,
                  state=OfferState.OFFERED if within else OfferState.WAITING_COSIGN)
    complaint.offers.append(offer)
    db.session.flush()
    if within:
        _make_offer_known(complaint, offer, now)
    else:
        # One date for the decision: a replaced offer keeps the date the customer already has.
        if not any(p.key == "decision" and p.state == PromiseState.OPEN for p in complaint.promises):
            timelines.add_promise(complaint, timelines.DECISION_STEP, now, calendar)
        record_event(complaint, "cosign_asked", actor="agent", user_id=agent.id, visible=False,
                     offer=offer.id, remedy=remedy, amount_cents=amount_cents)
    complaint.updated_at = now
    db.session.flush()
    return offer


def _lock_for_decision(offer: Offer, supervisor: User) -> None:
    """Take the complaint's and the supervisor's row locks: decisions and offers happen one at a time."""
    db.session.execute(select(Complaint.id).where(Complaint.id == offer.complaint_id).with_for_update())
    db.session.execute(update(User).where(User.id == supervisor.id)
                       .values(offer_counter=User.offer_counter + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(offer)


def _not_waiting(offer: Offer) -> MandateError:
    if offer.state == OfferState.REPLACED:
        return MandateError(_l("The owner replaced this offer with a newer one. There is nothing to sign."))
    return MandateError(_l("This offer was already decided."))


def cosign_refusal(offer: Offer, supervisor: User, calendar: BusinessCalendar, now: datetime | None = None):
    """Why this supervisor cannot sign this offer (a sentence), or None when they can. The co-sign page
    shows it in place of the button and `cosign` refuses with it, so the two never disagree."""
    if not supervisor.can("supervisor"):
        return _l("Only a supervisor can co-sign.")
    if supervisor.id == offer.made_by_id:
        return _l("Someone else must co-sign your own offer.")
    # What this supervisor may still give, with the offer being decided left out of the complaint's sum.
    theirs = Mandate(supervisor.mandate_per_complaint_cents, supervisor.monthly_budget_cents,
                     spent_this_month(supervisor, now or utcnow(), calendar),
                     offered_on(offer.complaint, leaving_out=offer))
    if offer.amount_cents > theirs.left_on_complaint_cents:
        return _l("This is more than you may grant on one complaint. "
                  "Ask an admin to raise your mandate, or refuse it with a reason.")
    if offer.amount_cents > theirs.left_this_month_cents:
        return _l("This is more than is left of your budget this month. "
                  "Ask an admin to raise it, or refuse it with a reason.")
    return None


def cosign(offer: Offer, supervisor: User, calendar: BusinessCalendar, now: datetime | None = None) -> None:
    """A supervisor signs an offer above the agent's mandate; it then takes effect as any other.

    The offer then spends the supervisor's budget (not the agent's), so it must fit their mandate.
    """
    if not supervisor.can("supervisor"):
        raise MandateError(_l("Only a supervisor can co-sign."))
    if supervisor.id == offer.made_by_id:
        raise MandateError(_l("Someone else must co-sign your own offer."))
    now = now or utcnow()
    _lock_for_decision(offer, supervisor)
    if offer.state != OfferState.WAITING_COSIGN:
        raise _not_waiting(offer)
    complaint = offer.complaint
    refusal = cosign_refusal(offer, supervisor, calendar, now)
    if refusal is not None:
        raise MandateError(refusal)
    signed = db.session.execute(
        update(Offer).where(Offer.id == offer.id, Offer.state == OfferState.WAITING_COSIGN)
        .values(state=OfferState.OFFERED, cosigned_by_id=supervisor.id, cosigned_at=now)
        .execution_options(synchronize_session=False))
    if signed.rowcount != 1:
        db.session.refresh(offer)
        raise _not_waiting(offer)
    db.session.refresh(offer)
    _make_offer_known(complaint, offer, now)
    db.session.flush()


def refuse_cosign(offer: Offer, supervisor: User, reason: str, now: datetime | None = None) -> None:
    """The supervisor does not sign; the owner hears why and makes another offer.

    The customer's "decision" promise stays open: they have not heard a decision yet, and the owner
    makes the next offer by that date. Any offer that reaches the customer keeps it.
    """
    if not supervisor.can("supervisor"):
        raise MandateError(_l("Only a supervisor can co-sign."))
    now = now or utcnow()
    _lock_for_decision(offer, supervisor)
    refused = db.session.execute(
        update(Offer).where(Offer.id == offer.id, Offer.state == OfferState.WAITING_COSIGN)
        .values(state=OfferState.REFUSED, cosigned_by_id=supervisor.id, cosigned_at=now, decline_reason=reason)
        .execution_options(synchronize_session=False))
    if refused.rowcount != 1:
        db.session.refresh(offer)
        raise _not_waiting(offer)
    db.session.refresh(offer)
    offer.complaint.attention_at = now
    record_event(offer.complaint, "cosign_refused", actor="agent", user_id=supervisor.id, visible=False,
                 offer=offer.id, reason=reason)
    db.session.flush()


def _make_offer_known(complaint: Complaint, offer: Offer, now: datetime) -> None:
    complaint.offer_reached_at = complaint.offer_reached_at or now  # counted by services/insight.py
    complaint.status = Status.PROPOSAL_MADE
    # A named person's offer on their page and in a mail is the contact we promised, too.
    timelines.keep_promise(complaint, "contact", now)
    timelines.keep_promise(complaint, "proposal", now)
    timelines.keep_promise(complaint, "new_proposal", now)
    timelines.keep_promise(complaint, "decision", now)  # the customer hears our decision: this offer
    record_event(complaint, "offer_made", actor="agent", user_id=offer.made_by_id, offer=offer.id,
                 remedy=offer.remedy, amount_cents=offer.amount_cents, currency=offer.currency,
                 cosigned_by=offer.cosigned_by_id)
    lifecycle.start_wait(complaint, WaitingFor.OFFER, now)  # before the mail: it says until when we wait
    queue_mail("offer", complaint.email, complaint.language,
               lambda: gettext("Our proposal for your complaint (%(ref)s)", ref=complaint.reference),
               complaint, offer=offer, status_url=status_url_for_mail(complaint))


# --- the customer's answer ------------------------------------------------------------------------

def open_offer(complaint: Complaint) -> Offer | None:
    """The offer the customer has to answer: while there is one, no new offer can be made."""
    return next((g for g in reversed(complaint.offers) if g.state == OfferState.OFFERED), None)


def offer_waiting_for_cosign(complaint: Complaint) -> Offer | None:
    """An offer above its maker's mandate, not signed yet: a new offer replaces it."""
    return next((g for g in reversed(complaint.offers) if g.state == OfferState.WAITING_COSIGN), None)


def accept(complaint: Complaint, offer: Offer, now: datetime | None = None,
           calendar: BusinessCalendar | None = None) -> None:
    """The customer says yes. We then carry it out, by a dated promise, and the complaint is resolved
    once the owner marks it done; a remedy with nothing left to do (an apology) resolves it at once."""
    require_open(complaint)
    now = now or utcnow()
    calendar = calendar or get_calendar()
    answered = db.session.execute(
        update(Offer).where(Offer.id == offer.id, Offer.state == OfferState.OFFERED)
        .values(state=OfferState.ACCEPTED, answered_at=now).execution_options(synchronize_session=False))
    if answered.rowcount != 1:
        raise MandateError(_l("You already answered this proposal."))
    db.session.refresh(offer)
    complaint.offer_accepted_at = complaint.offer_accepted_at or now  # counted by services/insight.py
    lifecycle.end_wait(complaint, now, calendar)
    record_event(complaint, "offer_accepted", offer=offer.id)
    complaint.attention_at = now
    if lifecycle.carry_out_days(offer.remedy) == 0:
        offer.state, offer.carried_out_at = OfferState.CARRIED_OUT, now
        db.session.flush()
        lifecycle.resolve(complaint, now, calendar, offer=offer)
        return
    lifecycle.change_status(complaint, Status.OPEN, _l("This complaint is no longer open."), status=Status.AGREED)
    lifecycle.add_carry_out_promise(complaint, offer, now, calendar)
    db.session.flush()


def decline(complaint: Complaint, offer: Offer, reason: str, calendar: BusinessCalendar,
            now: datetime | None = None) -> None:
    """The customer says no, with a reason: back to the same owner, with a new dated promise."""
    require_open(complaint)
    now = now or utcnow()
    answered = db.session.execute(
        update(Offer).where(Offer.id == offer.id, Offer.state == OfferState.OFFERED)
        .values(state=OfferState.DECLINED, answered_at=now, decline_reason=reason)
        .execution_options(synchronize_session=False))
    if answered.rowcount != 1:
        raise MandateError(_l("You already answered this proposal."))
    db.session.refresh(offer)
    lifecycle.end_wait(complaint, now, calendar)
    complaint.status = Status.IN_PROGRESS
    complaint.attention_at = now
    timelines.add_promise(complaint, timelines.NEW_PROPOSAL_STEP, now, calendar)
    record_event(complaint, "offer_declined", offer=offer.id, reason=reason)
    db.session.flush()
