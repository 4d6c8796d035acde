"""Every state a complaint, a promise and an offer can be in, and every kind and wish: one definition each.

The columns that hold them (`StateColumn`) refuse any other value, in the ORM and in plain UPDATE
statements alike, so a misspelt state fails where it is written instead of showing a customer a page
that never changes. Each enum carries the sets the rules use (`Status.OPEN`, `OfferState.SPENDING`),
usable in Python (`complaint.status in Status.OPEN`) and in SQL (`Complaint.status.in_(Status.OPEN)`).
"""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String, TypeDecorator


class Kind(StrEnum):
    """What the customer sent us."""

    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    SUGGESTION = "suggestion"


class Status(StrEnum):
    """Where a complaint stands: received -> in progress -> proposal made -> agreed (the customer
    accepted; we carry it out) -> resolved (done; closing is announced) -> closed (or withdrawn by the
    customer at any open moment). A resolved complaint can be opened again for a while."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    PROPOSAL_MADE = "proposal_made"
    AGREED = "agreed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


Status.OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.PROPOSAL_MADE, Status.AGREED})
Status.ENDED = frozenset({Status.RESOLVED, Status.CLOSED, Status.WITHDRAWN})
# Flagged for the owner ("needs my attention"): open, and also after it ended when the customer still
# wrote (a message after "resolved") or said it is not solved (services/satisfaction.py).
Status.MAY_NEED_ATTENTION = Status.OPEN | frozenset({Status.RESOLVED, Status.CLOSED})
# A customer may still act on it (a message, a new date, an answer to an offer): open, never ended.
Status.CUSTOMER_CAN_ACT = Status.OPEN


class PromiseState(StrEnum):
    """A dated promise: open until it is kept or missed; a new date makes a new promise and the old
    one says "moved" (or stays "missed"). A second new date is "proposed" until the customer says yes
    (then "open") or no ("declined"). When the complaint ends (resolved, closed or withdrawn), what is
    still open is "ended". While we wait for the customer's answer, open promises are paused: they are
    not missed, and get the waited working time added when the customer answers."""

    OPEN = "open"
    KEPT = "kept"
    MISSED = "missed"
    MOVED = "moved"
    PROPOSED = "proposed"
    DECLINED = "declined"
    ENDED = "ended"


PromiseState.STILL_TO_KEEP = frozenset({PromiseState.OPEN, PromiseState.PROPOSED})
PromiseState.MOVABLE = frozenset({PromiseState.OPEN, PromiseState.MISSED})


class OfferState(StrEnum):
    """What we offer to put it right: waiting_cosign -> offered -> accepted | declined; a waiting
    offer is refused by the supervisor, or replaced by a newer offer of the owner; an offer still
    open when the complaint is withdrawn or closed is ended (it can no longer be accepted). An
    accepted offer is carried out by the owner (a refund: with the payment reference)."""

    WAITING_COSIGN = "waiting_cosign"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    CARRIED_OUT = "carried_out"
    DECLINED = "declined"
    REFUSED = "refused"
    REPLACED = "replaced"
    ENDED = "ended"  # the complaint was withdrawn, closed or erased before the customer answered


# Waiting, declined, refused, replaced and ended offers spend no budget.
OfferState.SPENDING = frozenset({OfferState.OFFERED, OfferState.ACCEPTED, OfferState.CARRIED_OUT})


class WaitingFor(StrEnum):
    """What we wait for the customer to answer (our promises are paused meanwhile)."""

    OFFER = "offer"  # our proposal
    NEW_DATE = "new_date"  # a second new date we asked them about
    QUESTION = "question"  # a question the owner asked in a message


class Wish(StrEnum):
    """What the customer would like us to do."""

    FIX = "fix"
    COMPENSATION = "compensation"
    EXPLANATION = "explanation"
    LISTEN = "listen"
    OTHER = "other"


class HandledAs(StrEnum):
    """What it turned out to be, told by the person who handled it (for learning, never a verdict)."""

    FIX = "fix"
    LISTEN = "listen"
    COMPLIMENT = "compliment"
    SUGGESTION = "suggestion"


class RootCause(StrEnum):
    """Where the issue sits (mostly the system, not the person: seed 004)."""

    SYSTEM = "system"
    PROCESS = "process"
    PRODUCT = "product"
    BEHAVIOUR = "behaviour"
    UNKNOWN = "unknown"


class Solved(StrEnum):
    """The customer's answer to "Is your complaint solved?" after it ended (services/satisfaction.py)."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class ComeBack(StrEnum):
    """The customer's answer to "Would you come back to us?"."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class Role(StrEnum):
    """Supervisors can do what agents can, admins what supervisors can (in this order). A manager
    stands beside that line: reads the insight pages (never a customer's name, address or number) and
    works no complaints; supervisors and admins read insight too."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    MANAGER = "manager"
    COLLEAGUE = "colleague"  # any employee: passes on what a customer told them (the ambassador app)


Role.CHAIN = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)  # each can do what the one before can
Role.READS_INSIGHT = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
# Not a role but a need: anyone logged in who is active, whatever their role (their own password,
# two-step login, the ambassador app).
STAFF = "staff"


class Channel(StrEnum):
    """The door a complaint came in by."""

    WEB = "web"  # the customer's own filing in the portal
    PHONE = "phone"  # told to a colleague, who filed it for them
    COUNTER = "counter"
    IN_PERSON = "in_person"
    LETTER = "letter"
    API = "api"  # another system filed it for the customer (a chatbot, a phone system, an app)
    AMBASSADOR = "ambassador"  # a colleague heard it (at a party, in a shop, on the street) and passed it on
    MAIL = "mail"  # a mail to the complaints address (services/inbound.py)


class ContactBy(StrEnum):
    EMAIL = "email"
    PHONE = "phone"


class MailStatus(StrEnum):
    """A mail in the outbox: pending until sent; failed after the last try; cancelled when its
    complaint was erased before it went out."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


ENUMS = (Kind, Status, PromiseState, OfferState, WaitingFor, Wish, HandledAs, RootCause, Role, Channel, ContactBy,
         MailStatus)


class StateColumn(TypeDecorator):
    """A string column that holds only the values of one enum, and reads them back as its members."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 20):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value not in self.enum._value2member_map_:
            raise ValueError(f"{value!r} is not a {self.enum.__name__}: one of {', '.join(self.enum)}")
        return str(value)

    def process_literal_param(self, value, dialect):
        return self.process_bind_param(value, dialect)

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)

    @property
    def python_type(self):
        return self.enum
