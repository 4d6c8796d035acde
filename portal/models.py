"""The domain model. Times are stored in UTC; money as integer cents with a currency."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask_login import UserMixin
from sqlalchemy import (JSON, Boolean, Computed, Date, DateTime, Float, ForeignKey, Integer, String, Text,
                        Index, TypeDecorator, UniqueConstraint, event, false as sa_false, func, true as sa_true)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from . import search_index
from .extensions import db
from .states import (Channel, ComeBack, ContactBy, HandledAs, Kind, MailStatus, OfferState, PromiseState, Role, STAFF,
                     RootCause, Solved, StateColumn, Status, WaitingFor, Wish)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A datetime that is always aware and in UTC, also on SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a time zone")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Localized:
    """Columns named `<field>_nl` and `<field>_en`, read in the reader's language."""

    def text(self, field: str, language: str) -> str:
        value = getattr(self, f"{field}_{language}", None)
        return value or getattr(self, f"{field}_nl") or ""


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    holiday_country: Mapped[str] = mapped_column(String(8), default="NL")
    holiday_subdiv: Mapped[str | None] = mapped_column(String(16))
    liberation_day_every_year: Mapped[bool] = mapped_column(Boolean, default=True)
    # weekday (0 = Monday) as a string -> ["09:00", "17:00"]; a missing weekday is closed.
    opening_hours: Mapped[dict] = mapped_column(JSON)
    max_handling_weeks: Mapped[int] = mapped_column(Integer, default=6)
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_postal: Mapped[str | None] = mapped_column(String(300))
    ombudsman_name: Mapped[str | None] = mapped_column(String(200))
    ombudsman_url: Mapped[str | None] = mapped_column(String(300))
    default_language: Mapped[str] = mapped_column(String(2), default="nl")
    # For every customer who complains, this many say nothing (used in reports).
    silent_ratio: Mapped[int] = mapped_column(Integer, default=9, server_default="9")
    retention_months: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # An agent's session ends after this many hours without a request (a screen left logged in).
    agent_idle_hours: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    # How long we wait for a customer's answer (an offer, a question, a new date) before we close it
    # with the reason (one reminder halfway), and how long after "resolved" it closes by itself.
    wait_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    close_after_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # Working days to carry out an accepted remedy, per remedy ("refund" -> 5); a missing remedy takes
    # the default of services.lifecycle.CARRY_OUT_DAYS, and 0 means: nothing left to do after yes.
    carry_out_days: Mapped[dict | None] = mapped_column(JSON)
    # Admins cannot open a page until they have set up two-step login.
    admins_need_two_step: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Staff are told of a promise due within this many working hours that is not kept yet.
    notice_hours_before: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    # The last event turned into staff notices (services/notices.py): each event is read once.
    notices_read_to_event: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # After a complaint ends we ask three questions (services/satisfaction.py): whether we do, how
    # many days an address is left alone after it was asked, and the sentence that asks (empty: ours).
    surveys_on: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    survey_quiet_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    survey_sentence_nl: Mapped[str | None] = mapped_column(Text)
    survey_sentence_en: Mapped[str | None] = mapped_column(Text)
    # Insight (services/insight.py): the target per charter indicator (key -> number; a missing key
    # takes the default in charter/indicators.py), and what handling costs, to estimate failure costs.
    charter_targets: Mapped[dict | None] = mapped_column(JSON)
    handling_cost_per_hour_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    handling_minutes_per_complaint: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    # Colleagues may make their own ambassador account with an address at one of these domains
    # ("example.nl, example.com"; empty: only admins make accounts), services/ambassador.py: join.
    colleague_domains: Mapped[str | None] = mapped_column(String(500))
    # The last event turned into webhook deliveries (services/webhooks.py): each event is read once.
    webhooks_read_to_event: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Photos and papers (services/attachments.py): how many files one message may bring, and how large.
    attachments_max_files: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    attachment_max_mb: Mapped[int] = mapped_column(Integer, default=10, server_default="10")

    closing_days: Mapped[list[ClosingDay]] = relationship(
        back_populates="organisation", order_by="ClosingDay.day", cascade="all, delete-orphan")


class ClosingDay(db.Model):
    """An extra day (or part of one) on which nobody works, beyond weekends and public holidays."""

    __tablename__ = "closing_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    day: Mapped[date] = mapped_column(Date)
    closed_from: Mapped[str | None] = mapped_column(String(5))  # "12:00"; empty = the whole day
    reason: Mapped[str | None] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="closing_days")


class Category(Localized, db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    hint_nl: Mapped[str | None] = mapped_column(String(300))
    hint_en: Mapped[str | None] = mapped_column(String(300))
    can_do_nl: Mapped[str | None] = mapped_column(Text)
    can_do_en: Mapped[str | None] = mapped_column(Text)
    cannot_do_nl: Mapped[str | None] = mapped_column(Text)
    cannot_do_en: Mapped[str | None] = mapped_column(Text)
    disagree_nl: Mapped[str | None] = mapped_column(Text)
    disagree_en: Mapped[str | None] = mapped_column(Text)
    disagree_url: Mapped[str | None] = mapped_column(String(300))


class PromiseTimeline(db.Model):
    """One version of what we promise for a kind of signal (and a category, for complaints)."""

    __tablename__ = "promise_timelines"
    __table_args__ = (UniqueConstraint("kind", "category_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = mapped_column(StateColumn(Kind))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    category: Mapped[Category | None] = relationship()
    steps: Mapped[list[PromiseStep]] = relationship(
        back_populates="timeline", order_by="PromiseStep.position", cascade="all, delete-orphan")


class PromiseStep(Localized, db.Model):
    __tablename__ = "promise_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    timeline_id: Mapped[int] = mapped_column(ForeignKey("promise_timelines.id"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    explanation_nl: Mapped[str | None] = mapped_column(Text)
    explanation_en: Mapped[str | None] = mapped_column(Text)
    offset_amount: Mapped[int] = mapped_column(Integer)
    offset_unit: Mapped[str] = mapped_column(String(20))  # working_hours | working_days
    relative_to: Mapped[str] = mapped_column(String(20), default="filing")  # filing | previous

    timeline: Mapped[PromiseTimeline] = relationship(back_populates="steps")


class User(UserMixin, db.Model):
    """A person who works complaints (agent, supervisor, admin), reads what they teach us (manager), or
    passes on what a customer told them (colleague)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(StateColumn(Role), default=Role.AGENT)
    mandate_per_complaint_cents: Mapped[int] = mapped_column(Integer, default=0)
    monthly_budget_cents: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every grant this person makes: the update takes the row's write lock, so two grants
    # by one person never both spend the same budget (PostgreSQL and SQLite alike).
    offer_counter: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Part of every session's id: bumping it (logout, a new password, deactivation) ends every
    # session of this person, also a cookie copied to another browser.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set by an admin who forces a reset: the password no longer logs in, only a mailed link does.
    must_choose_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Two-step login (services/sign_in.py): the TOTP secret once confirmed, one waiting to be
    # confirmed, and the last time step used, so a code seen over a shoulder cannot be used again.
    two_step_secret: Mapped[str | None] = mapped_column(String(64))
    two_step_pending_secret: Mapped[str | None] = mapped_column(String(64))
    two_step_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    two_step_last_step: Mapped[int | None] = mapped_column(Integer)
    # What this person is told by mail (services/notices.py): in their language, the kinds they did
    # not turn off, at most one digest an hour.
    language: Mapped[str] = mapped_column(String(2), default="nl", server_default="nl")
    notices_off: Mapped[list | None] = mapped_column(JSON)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Single-key shortcuts on the queue and the complaint page (WCAG 2.1.4): on unless turned off.
    shortcuts_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


    def get_id(self) -> str:
        return f"{self.id}:{self.session_version or 0}"

    def can(self, need: str) -> bool:
        """Supervisors can do what agents can, admins what supervisors can; insight is for managers,
        supervisors and admins; `STAFF` is anyone active (their own account pages)."""
        if not self.active:
            return False
        if need == STAFF:
            return True
        role, need = Role(self.role), Role(need)
        if need == Role.MANAGER:
            return role in Role.READS_INSIGHT
        if role in (Role.MANAGER, Role.COLLEAGUE):
            return False
        return Role.CHAIN.index(role) >= Role.CHAIN.index(need)


class PasswordReset(db.Model):
    """A link to choose a new password: it works once, for 30 minutes; only its hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """A single-use code that logs in instead of the app's code (a lost phone); only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Complaint(db.Model):
    """A signal from a customer: a complaint, a compliment or a suggestion."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[Kind] = mapped_column(StateColumn(Kind), default=Kind.COMPLAINT)
    channel: Mapped[Channel] = mapped_column(StateColumn(Channel), default=Channel.WEB)
    status: Mapped[Status] = mapped_column(StateColumn(Status), default=Status.RECEIVED, index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    timeline_id: Mapped[int | None] = mapped_column(ForeignKey("promise_timelines.id"))

    story: Mapped[str] = mapped_column(Text)
    happened_when: Mapped[str | None] = mapped_column(String(200))
    wish: Mapped[Wish | None] = mapped_column(StateColumn(Wish))
    wish_amount_cents: Mapped[int | None] = mapped_column(Integer)
    wish_currency: Mapped[str] = mapped_column(String(3), default="EUR")
    wish_other: Mapped[str | None] = mapped_column(Text)

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_by: Mapped[ContactBy] = mapped_column(StateColumn(ContactBy, 10), default=ContactBy.EMAIL)
    language: Mapped[str] = mapped_column(String(2), default="nl")

    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    # When the manager answered the customer who asked for one (None: the request waits for a supervisor).
    escalation_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it ended (solved, closed without being solved first, or withdrawn): kept by the database
    # itself, never written by us, so insight's periods of ended complaints read one indexed column.
    ended_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, Computed("coalesce(resolved_at, closed_at, withdrawn_at)", persisted=True))
    close_reason: Mapped[str | None] = mapped_column(Text)
    attention_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # flagged for the owner
    # Waiting on the customer (services/lifecycle.py): since when, for what, when one reminder goes
    # out (cleared once sent) and when it closes unanswered. Our open promises are paused meanwhile.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waiting_for: Mapped[WaitingFor | None] = mapped_column(StateColumn(WaitingFor))
    wait_remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    wait_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Resolved: the moment it closes by itself unless the customer writes (told to them in advance).
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The due moment of the earliest open promise: what the queue sorts on, so a page of the queue
    # reads an index instead of every promise. Kept by `keep_next_due_at` below, never set by hand.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Bumped by every offer; an offer made from a page showing an older value is refused, so two
    # people (or two clicks) never make two offers from the same view of the complaint.
    offer_counter: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Privacy: the customer asked us to erase their personal data (an admin confirms), and the
    # moment it was erased (by that confirmation or by `flask portal purge` after the retention).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # How the request came: "web" (the status page), or "phone" / "letter" / "mail", recorded by staff.
    erasure_requested_via: Mapped[str | None] = mapped_column(String(10))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What it was, told by the person who handled it (for learning, never shown as a verdict).
    handled_as: Mapped[HandledAs | None] = mapped_column(StateColumn(HandledAs))
    root_cause: Mapped[RootCause | None] = mapped_column(StateColumn(RootCause))
    chance_to_improve: Mapped[bool | None] = mapped_column(Boolean)
    improvement_note: Mapped[str | None] = mapped_column(Text)
    # The three questions after it ended (services/satisfaction.py): when we asked (in the resolution
    # mail, or a mail of its own after a close without one), and when its one reminder goes out.
    survey_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    survey_remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Our first message to the customer, and the working hours they waited for it (right 9), kept
    # when it is sent so the median needs no calendar sums over every complaint of a period.
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reply_hours: Mapped[float | None] = mapped_column(Float)
    # An offer first reached the customer, and they first said yes to one (services/mandate.py).
    offer_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filed by another system through the API (portal/api/): it may list what it filed.
    integration_id: Mapped[int | None] = mapped_column(ForeignKey("integrations.id"), index=True)
    # Passed on by a colleague who heard it (services/ambassador.py), and where they heard it.
    passed_on_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    heard_where: Mapped[str | None] = mapped_column(String(20))
    # The customer wrote to us before our first message (services/complaints.py: customer_message).
    customer_wrote_first: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    category: Mapped[Category | None] = relationship()
    timeline: Mapped[PromiseTimeline | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    passed_on_by: Mapped[User | None] = relationship(foreign_keys=[passed_on_by_id])
    promises: Mapped[list[Promise]] = relationship(
        back_populates="complaint", order_by="Promise.position", cascade="all, delete-orphan")
    messages: Mapped[list[Message]] = relationship(
        back_populates="complaint", order_by="Message.id", cascade="all, delete-orphan")
    events: Mapped[list[Event]] = relationship(
        back_populates="complaint", order_by="Event.id", cascade="all, delete-orphan")
    status_links: Mapped[list[StatusLink]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan")
    notes: Mapped[list[Note]] = relationship(
        back_populates="complaint", order_by="Note.id", cascade="all, delete-orphan")
    offers: Mapped[list[Offer]] = relationship(
        back_populates="complaint", order_by="Offer.id", cascade="all, delete-orphan")
    survey_answer: Mapped[SurveyAnswer | None] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", uselist=False)

    @property
    def is_open(self) -> bool:
        return self.status in Status.OPEN


# "Open complaints per address" compares lower-cased addresses: an index on exactly that expression.
Index("ix_complaints_lower_email", func.lower(Complaint.email))
# "Needs me", counted in every staff page's header: a person's complaints flagged for attention. Few
# are flagged at any time, so only those are in the index (an owner has thousands of complaints).
Index("ix_complaints_attention_owner", Complaint.owner_id, sqlite_where=Complaint.attention_at.is_not(None),
      postgresql_where=Complaint.attention_at.is_not(None))
# Insight's periods (services/insight.py): the complaints filed in a period, and those that ended in
# it. On PostgreSQL each index also carries the columns the figures group and count on, so a year of a
# million complaints is read from the index alone, without visiting the table.
Index("ix_complaints_created_at", Complaint.created_at,
      postgresql_include=["id", "kind", "channel", "category_id", "handled_as", "root_cause", "owner_id", "status",
                          "wish", "timeline_id", "escalated_at", "first_reply_at", "first_reply_hours",
                          "customer_wrote_first", "resolved_at", "closed_at", "withdrawn_at"])
Index("ix_complaints_ended_at", Complaint.ended_at,
      postgresql_include=["id", "created_at", "kind", "wish", "category_id", "channel", "root_cause", "owner_id",
                          "status", "resolved_at", "offer_reached_at", "offer_accepted_at"])


class StatusLink(db.Model):
    """A secret link to the status page; only the hash of its token is kept."""

    __tablename__ = "status_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="status_links")


class Promise(Localized, db.Model):
    """A step of the timeline, made into a dated commitment on one complaint when it was filed."""

    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    explanation_nl: Mapped[str | None] = mapped_column(Text)
    explanation_en: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[PromiseState] = mapped_column(StateColumn(PromiseState, 10), default=PromiseState.OPEN)
    kept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A promise is never rewritten: a new date is a new promise, and the old one says "moved", why.
    moved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    move_reason: Mapped[str | None] = mapped_column(Text)  # in the customer's language
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("promises.id"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a second move needs it
    # The due moment before the last wait for the customer's answer moved it on (shown as "moved
    # from ... because we waited for your answer"); None when no wait moved it.
    due_before_wait: Mapped[datetime | None] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint] = relationship(back_populates="promises")
    replaces: Mapped[Promise | None] = relationship(remote_side="Promise.id")


class Message(db.Model):
    """What the customer and the people behind the portal say to each other."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    author: Mapped[str] = mapped_column(String(10))  # customer | agent
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Ours only, kept as it is sent (services/work.py: _our_message) for the charter's right 4: the
    # reading score, and whether the plain-language check warned and it went anyway.
    reading_score: Mapped[float | None] = mapped_column(Float)
    lint_warned: Mapped[bool | None] = mapped_column(Boolean)

    complaint: Mapped[Complaint] = relationship(back_populates="messages")
    user: Mapped[User | None] = relationship()


class Event(db.Model):
    """One thing that happened to a complaint: the audit trail and the customer's history."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(10))  # customer | agent | system
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    customer_visible: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class OutboxMail(db.Model):
    """A mail put in the outbox in the same transaction as the change that caused it; a worker
    sends it. A mail without a subject and bodies yet is written by the worker before it is sent
    (`outbox.written_when_sent`), so the page that caused it does not pay for it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(StateColumn(MailStatus, 10), default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the customer's answer goes: the complaints address with a tag of this mail's own
    # (services/inbound.py); None for a mail not about a complaint.
    reply_to: Mapped[str | None] = mapped_column(String(254))


class Draft(db.Model):
    """Answers of a filing in progress, kept on the server so nothing typed is lost."""

    __tablename__ = "drafts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[Kind] = mapped_column(StateColumn(Kind), default=Kind.COMPLAINT)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DraftsStarted(db.Model):
    """How many filings were started on a day (right 2: started vs filed). Drafts themselves are
    deleted when filed or after a week, so their count is kept here, one row per day."""

    __tablename__ = "drafts_started"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Attachment(db.Model):
    """A photo or paper that came with a complaint: on the "What happened?" page (held by the draft
    until it is sent), with a message on the status page, in an agent's reply, or in a mail. The file
    itself is in the storage (services/storage.py) under a random `key`; `name` is only shown."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    draft_key: Mapped[str | None] = mapped_column(String(64), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    added_by: Mapped[str] = mapped_column(String(10))  # customer | agent | mail
    key: Mapped[str] = mapped_column(String(64), unique=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[Message | None] = relationship()


class ReplyAddress(db.Model):
    """A tag in the Reply-To of a mail to a customer (`klacht+<tag>@…`): an answer to that mail lands
    on this complaint. The tag is a secret like a status link's token, so only its hash is kept."""

    __tablename__ = "reply_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    tag_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboundMail(db.Model):
    """Every mail that came in (by IMAP or by the SMTP receiver) and what became of it: "added" to a
    complaint as the customer's message, "filed" as a new signal, "held" for the owner (another
    address than the complaint's), "answered" (too large, or for a complaint that ended: the sender
    got one kind answer) or "ignored" (an auto-reply or a bounce: never answered). The whole
    original is kept for the agents; `message_key` makes a mail read twice count once."""

    __tablename__ = "inbound_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_key: Mapped[str] = mapped_column(String(300), unique=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    sender: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))
    reply_text: Mapped[str | None] = mapped_column(Text)  # what they wrote, without the quoted history
    original: Mapped[str | None] = mapped_column(Text)  # the whole mail as text, for the agents
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a held mail the owner added or set aside

    complaint: Mapped[Complaint | None] = relationship()
    message: Mapped[Message | None] = relationship()


class InsightDay(db.Model):
    """What the insight pages add up, counted once per local day of the organisation and category
    (services/insight_summary.py keeps it; nothing else writes it). `category_id` 0 is "no category"
    and -1 every category together. `counts` holds every count of that day; `brief` (category rows
    only) the few a page shows per category, so a year's breakdown reads small documents."""

    __tablename__ = "insight_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict] = mapped_column(JSON)
    brief: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("category_id", "day"),)


class InsightStale(db.Model):
    """A note that the summary above no longer matches: a day changed, or a complaint did (`part`:
    "all" its days, or its "filed", "ended" or "survey" day, worked out when the summary is brought
    up to date), or (all empty) everything did."""

    __tablename__ = "insight_stale"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(Integer)
    part: Mapped[str | None] = mapped_column(String(10))
    day: Mapped[date | None] = mapped_column(Date)


class Note(db.Model):
    """An internal note: for colleagues, never shown to the customer."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="notes")
    user: Mapped[User] = relationship()


class Offer(db.Model):
    """What we offer to put it right: granted on the customer's word, within a mandate."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    # A random key from the form: the same form sent twice makes one grant.
    request_key: Mapped[str] = mapped_column(String(64), unique=True)
    remedy: Mapped[str] = mapped_column(String(20))  # see services.mandate.REMEDIES
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    text: Mapped[str] = mapped_column(Text)  # what the customer reads
    state: Mapped[OfferState] = mapped_column(StateColumn(OfferState), index=True)  # see OfferState
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cosigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cosigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # Carried out by the owner after the customer's yes; a refund names the payment reference.
    carried_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    carried_out_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carried_out_note: Mapped[str | None] = mapped_column(String(200))

    complaint: Mapped[Complaint] = relationship(back_populates="offers")
    made_by: Mapped[User] = relationship(foreign_keys=[made_by_id])
    carried_out_by: Mapped[User | None] = relationship(foreign_keys=[carried_out_by_id])
    cosigned_by: Mapped[User | None] = relationship(foreign_keys=[cosigned_by_id])


class SurveyAnswer(db.Model):
    """What the customer told us after it ended: one answer per complaint (they may change it for a
    week). The comment is theirs, so erasure removes it; the three answers stay for the figures."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    solved: Mapped[Solved] = mapped_column(StateColumn(Solved, 10))
    treatment: Mapped[int] = mapped_column(Integer)  # 1 (very badly) .. 5 (very well)
    come_back: Mapped[ComeBack] = mapped_column(StateColumn(ComeBack, 10))
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint] = relationship(back_populates="survey_answer")


class AuditEvent(db.Model):
    """An admin change: who changed what, when, with the value before and after."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()


class Improvement(Localized, db.Model):
    """"You said, we did": what the organisation changed because customers told it."""

    __tablename__ = "improvements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_nl: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    since: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    links: Mapped[list[ImprovementLink]] = relationship(
        back_populates="improvement", cascade="all, delete-orphan")


class CategorySubscription(db.Model):
    """A person who wants to hear of every new complaint in this category."""

    __tablename__ = "category_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), primary_key=True, index=True)


class StaffNotice(db.Model):
    """Something a person should know about a complaint, waiting for their next digest mail."""

    __tablename__ = "staff_notices"
    # Once per person per event and per promise, even when two ticks run at once.
    __table_args__ = (UniqueConstraint("user_id", "event_id", name="uq_staff_notice_event"),
                      UniqueConstraint("user_id", "promise_id", name="uq_staff_notice_promise"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    promise_id: Mapped[int | None] = mapped_column(ForeignKey("promises.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    complaint: Mapped[Complaint] = relationship()


class MonthStory(db.Model):
    """One of the five stories of a month's review (services/review.py), picked by a supervisor.
    At most five per month: the positions 1..5 are unique, so two people picking at once never make six."""

    __tablename__ = "month_stories"
    __table_args__ = (UniqueConstraint("month", "position"), UniqueConstraint("month", "complaint_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    position: Mapped[int] = mapped_column(Integer)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    picked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    picked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship()


class Integration(db.Model):
    """Another system that files or reads complaints through the API (services/integrations.py):
    its token is shown once and kept only as a hash; revoked, it opens nothing."""

    __tablename__ = "integrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Webhook(db.Model):
    """Where an integration wants to hear of events (services/webhooks.py). The secret signs each
    delivery (HMAC-SHA256), so the receiver knows it came from us; it is shown to the admin once."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(64))
    events: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    integration: Mapped[Integration] = relationship()


class WebhookDelivery(db.Model):
    """One event for one webhook, sent like a mail: retried with back-off until the receiver takes it.
    One per event and webhook (unique), so a retry or a second worker never delivers it twice."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"))
    event_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[MailStatus] = mapped_column(StateColumn(MailStatus, 10), default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    webhook: Mapped[Webhook] = relationship()


class ApiAnswer(db.Model):
    """The first answer to a POST with an Idempotency-Key: the same key again gets this answer back
    (not a second complaint), also from two workers at once (the key is unique per integration)."""

    __tablename__ = "api_answers"
    __table_args__ = (UniqueConstraint("integration_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReplyTemplate(db.Model):
    """A text an agent starts a reply from (services/reply_templates.py): in one language, for every
    signal (kind and category empty), one kind, or one category of complaints."""

    __tablename__ = "reply_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str | None] = mapped_column(String(20))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    category: Mapped[Category | None] = relationship()


class SavedView(db.Model):
    """A queue filter with a name (the query string of /agent/complaints), the owner's own or shared
    with the team."""

    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(500))
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()


class ImprovementLink(db.Model):
    """A complaint that led to an improvement; its customer is told once."""

    __tablename__ = "improvement_links"
    __table_args__ = (UniqueConstraint("improvement_id", "complaint_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    improvement_id: Mapped[int] = mapped_column(ForeignKey("improvements.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    improvement: Mapped[Improvement] = relationship(back_populates="links")
    complaint: Mapped[Complaint] = relationship()


# Insight's periods of promises due, offers made and messages sent (see the complaints' indexes above).
Index("ix_complaints_survey_asked_at", Complaint.survey_asked_at,
      postgresql_include=["id", "kind", "category_id", "channel", "root_cause", "owner_id"])
Index("ix_promises_due_at", Promise.due_at, postgresql_include=["complaint_id", "key", "state", "missed_at"])
Index("ix_offers_made_at", Offer.made_at, postgresql_include=["complaint_id", "state", "amount_cents", "remedy"])
# The insight summary counts a day's promises, offers and replies under their complaint's category,
# kind and root cause: read from this index alone, not from the complaints' wide rows.
Index("ix_complaints_id_dimensions", Complaint.id, postgresql_include=["category_id", "kind", "root_cause"])
Index("ix_offers_carried_out_at", Offer.carried_out_at, postgresql_include=["complaint_id", "state", "amount_cents"])
Index("ix_messages_created_at", Message.created_at,
      postgresql_include=["complaint_id", "author", "reading_score", "lint_warned"])


@event.listens_for(Session, "before_flush")
def keep_next_due_at(session, _flush_context, _instances) -> None:
    """Before every flush: each complaint whose promises changed gets its earliest open due moment.

    Whatever service changed a promise (a reply that keeps one, a moved date, the tick that marks
    one missed); filing writes its rows without the session and sets it from the same rule.
    """
    changed = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Promise) and obj.complaint is not None:
            changed.add(obj.complaint)
        elif isinstance(obj, Complaint) and (obj in session.new or _wait_changed(obj)):
            changed.add(obj)
    for complaint in changed - set(session.deleted):
        earliest = next_due_of(complaint, [p for p in complaint.promises if p not in session.deleted])
        if complaint.next_due_at != earliest:
            complaint.next_due_at = earliest


def _wait_changed(complaint: Complaint) -> bool:
    from sqlalchemy import inspect

    return inspect(complaint).attrs.waiting_since.history.has_changes()


def next_due_of(complaint: Complaint, promises) -> datetime | None:
    """While we wait for the customer's answer our promises are paused: the queue then sorts on the
    moment that wait ends (when it closes unanswered), not on a promise that cannot be missed."""
    if complaint.waiting_since is not None:
        return complaint.wait_ends_at
    return earliest_open_due(promises)


def still_owed(promise) -> bool:
    """A promise we still have to keep: open, or missed and neither done late nor given a new date.
    A missed promise keeps its complaint among the overdue (at the top) until one of those happens."""
    return promise.state == PromiseState.OPEN or (
        promise.state == PromiseState.MISSED and promise.kept_at is None and promise.moved_at is None)


def earliest_open_due(promises) -> datetime | None:
    """The queue's sort key: the due moment of the earliest promise still owed (None when none is)."""
    return min((p.due_at for p in promises if still_owed(p)), default=None)



# The search index is kept by the database itself (portal/search_index.py); made with the tables.
search_index.keep_with(db.metadata)
