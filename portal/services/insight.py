"""What the complaints teach us: signals, failure costs, the silent majority, where the issue sits,
whether an improvement helped, the charter scorecard and the complaints return.

Every figure is for a `Period` (local dates of the organisation, both included) and `Filters`, and
comes from grouped queries, so a page costs a handful of statements whatever the number of
complaints. Erased complaints count like any other (their figures stay; only their words are gone).
An unknown is never counted as one of the known answers: a complaint nobody classified yet is "not
classified yet", not "to solve" or "listening".
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, DateTime, and_, case, column, func, or_, select, values

from charter.indicators import BY_KEY, INDICATORS, Indicator

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import (Category, Complaint, DraftsStarted, Event, Improvement, ImprovementLink, Message, Offer,
                      Promise, SurveyAnswer)
from ..states import Channel, HandledAs, Kind, OfferState, PromiseState, RootCause, Solved, Status, Wish
from . import insight_summary, satisfaction
from .errors import DomainError, refuse
from .mandate import REMEDIES
from .organisation import get_calendar, get_organisation

# The moment a complaint ended: solved, closed without being solved first, or withdrawn (a column the
# database keeps: models.Complaint.ended_at).
ENDED_AT = Complaint.ended_at
# Offers that reached the customer (not one waiting for or refused a co-sign, nor replaced before).
PUT_TO_CUSTOMER = frozenset({OfferState.OFFERED, OfferState.ACCEPTED, OfferState.CARRIED_OUT, OfferState.DECLINED})
ACCEPTED = frozenset({OfferState.ACCEPTED, OfferState.CARRIED_OUT})


# --- the period and the filters --------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """From `first` up to and including `last`, local dates of the organisation."""

    first: date
    last: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(date(year, month, 1), following - timedelta(days=1))

    @classmethod
    def last_days(cls, days: int, today: date) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> Period:
        """The period of the same length just before this one (a month: the month before)."""
        if self.first.day == 1 and (self.last + timedelta(days=1)).day == 1:
            previous_last = self.first - timedelta(days=1)
            return Period.month(previous_last.year, previous_last.month)
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def bounds(self) -> tuple[datetime, datetime]:
        """The UTC moments from the start of the first day up to (not including) the day after the last."""
        return _local_midnight(self.first), _local_midnight(self.last + timedelta(days=1))

    def contains(self, column):
        start, end = self.bounds()
        return and_(column >= start, column < end)

    def buckets(self) -> list[tuple[str, date, date]]:
        """Months (a period longer than 62 days) or weeks starting on Monday: (label, first, last)."""
        found = []
        if self.days > 62:
            day = self.first
            while day <= self.last:
                month_last = Period.month(day.year, day.month).last
                found.append((day.strftime("%Y-%m"), day, min(month_last, self.last)))
                day = month_last + timedelta(days=1)
            return found
        day = self.first
        while day <= self.last:
            week_last = min(day + timedelta(days=6 - day.weekday()), self.last)
            found.append((f"{day.isocalendar().year}-W{day.isocalendar().week:02d}", day, week_last))
            day = week_last + timedelta(days=1)
        return found


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=get_calendar().zone)


def bucket_of(column, period: Period):
    """A SQL expression giving the index of the bucket (`Period.buckets`) a moment falls in: the
    bounds are computed here, in the organisation's time zone, so SQLite and PostgreSQL agree."""
    ends = [_local_midnight(last + timedelta(days=1)) for _label, _first, last in period.buckets()]
    return case(*((column < end, index) for index, end in enumerate(ends)), else_=len(ends) - 1)


@dataclass(frozen=True)
class Filters:
    """What a manager narrowed the figures to; None is everything."""

    category_id: int | None = None
    kind: Kind | None = None
    channel: str | None = None
    root_cause: str | None = None
    owner_id: int | None = None
    remedy: str | None = None
    handled_as: str | None = None  # "fix", "listen", ... or "none": not classified yet (a link from a figure)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def apply(self, query):
        return satisfaction.filtered(query, **self.as_dict())

    def on(self, query, complaint_id):
        """A query of promises, offers, messages or events narrowed to the filtered complaints: the
        join to the complaints only when there is something to filter on (then an index alone can
        answer the query)."""
        if not self.as_dict():
            return query
        return self.apply(query.select_from(complaint_id.class_).join(Complaint, Complaint.id == complaint_id))

    def without_kind(self) -> Filters:
        return replace(self, kind=None)


# --- 1. signals ------------------------------------------------------------------------------------

@dataclass
class Signals:
    by_kind: Counter = field(default_factory=Counter)
    by_bucket: list = field(default_factory=list)  # [(label, Counter by kind)]
    by_category: list = field(default_factory=list)  # [(category or None, count)], most first
    by_channel: Counter = field(default_factory=Counter)
    # Of the complaints: what the person who handled it said it was; None = not classified yet.
    handled_as: Counter = field(default_factory=Counter)
    # Of the complaints: {category or None: Counter(root cause or None: count)} (where the issue sits).
    causes: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def complaints(self) -> int:
        return self.by_kind[Kind.COMPLAINT]


def summarised(filters: Filters, kind: Kind | None = None) -> bool:
    """Whether the summary per day and category answers for these filters (every category or one;
    `kind`: the kind the figure narrows to anyway). Other filters are counted from the complaints."""
    narrowed = filters.as_dict()
    narrowed.pop("category_id", None)
    if kind is not None and narrowed.get("kind") == kind:
        narrowed.pop("kind")
    return not narrowed


def _read(period: Period, filters: Filters) -> insight_summary.Read:
    return insight_summary.read(period.first, period.last, filters.category_id)


def _categories() -> dict:
    return {c.id: c for c in db.session.scalars(select(Category))}


def _unknown(value: str):
    return value or None


def signals(period: Period, filters: Filters = Filters()) -> Signals:
    if not summarised(filters):
        return signals_counted(period, filters)
    read, result, categories = _read(period, filters), Signals(), _categories()
    result.by_kind = Counter({Kind(kind): count for kind, count in read.prefixed("kind:").items()})
    result.by_channel = Counter(read.prefixed("channel:"))
    result.handled_as = Counter({_unknown(key): count for key, count in read.prefixed("handled:").items()})
    result.by_bucket = [(label, Counter({Kind(kind): count for kind, count in
                                         read.prefixed("kind:", read.within(first, last)).items()}))
                        for label, first, last in period.buckets()]
    by_category, causes = [], {}
    for category_id, brief in read.by_category.items():
        total = sum(read.prefixed("kind:", brief).values())
        if total:
            by_category.append((categories.get(category_id), total))
        cause = Counter({_unknown(key): count for key, count in read.prefixed("cause:", brief).items()})
        if cause:
            causes[categories.get(category_id)] = cause
    result.by_category = sorted(by_category, key=lambda row: -row[1])
    result.causes = causes
    return result


def signals_counted(period: Period, filters: Filters = Filters()) -> Signals:
    """One grouped pass over the complaints filed in the period: every count below comes from it."""
    result = Signals()
    bucket = bucket_of(Complaint.created_at, period)
    labels = [label for label, _first, _last in period.buckets()]
    per_bucket = [Counter() for _ in labels]
    categories = {c.id: c for c in db.session.scalars(select(Category))}
    by_category = Counter()
    causes: dict = defaultdict(Counter)
    rows = db.session.execute(filters.apply(
        select(bucket, Complaint.kind, Complaint.channel, Complaint.category_id, Complaint.handled_as,
               Complaint.root_cause, func.count()).where(period.contains(Complaint.created_at))
        .group_by(bucket, Complaint.kind, Complaint.channel, Complaint.category_id, Complaint.handled_as,
                  Complaint.root_cause))).all()
    for index, kind, channel, category_id, handled_as, root_cause, count in rows:
        result.by_kind[kind] += count
        result.by_channel[channel] += count
        per_bucket[index][kind] += count
        by_category[category_id] += count
        if kind == Kind.COMPLAINT:
            result.handled_as[handled_as] += count
            causes[categories.get(category_id)][root_cause] += count
    result.causes = dict(causes)
    result.by_bucket = list(zip(labels, per_bucket, strict=True))
    result.by_category = sorted(((categories.get(cid), count) for cid, count in by_category.items()),
                                key=lambda row: -row[1])
    return result


# --- 4. the silent majority ------------------------------------------------------------------------

@dataclass(frozen=True)
class Silent:
    complaints: int
    ratio: int

    @property
    def estimate(self) -> int:
        return self.complaints * self.ratio


def silent_majority(complaints: int) -> Silent:
    """For every customer who complains, `silent_ratio` unhappy customers say nothing (seed 003: about
    9 for most companies, fewer where the bond is close). The ratio is the admin's setting."""
    return Silent(complaints, get_organisation().silent_ratio)


# --- 3. failure costs ------------------------------------------------------------------------------

@dataclass
class Money:
    """Offers made in the period: offered (put to the customer), accepted, and carried out, in cents."""

    offered: int = 0
    accepted: int = 0
    carried_out: int = 0
    count: int = 0

    def add(self, state: OfferState, cents: int, count: int) -> None:
        self.offered += cents
        self.count += count
        if state in ACCEPTED:
            self.accepted += cents
        if state == OfferState.CARRIED_OUT:
            self.carried_out += cents


@dataclass
class Costs:
    total: Money = field(default_factory=Money)
    by_remedy: dict = field(default_factory=lambda: defaultdict(Money))
    by_category: dict = field(default_factory=lambda: defaultdict(Money))
    by_root_cause: dict = field(default_factory=lambda: defaultdict(Money))
    by_bucket: list = field(default_factory=list)  # [(label, Money)]
    handled: int = 0  # complaints that ended in the period
    cost_per_hour_cents: int = 0
    minutes_per_complaint: int = 0

    @property
    def handling_estimate_cents(self) -> int | None:
        """The admin's assumption: each complaint that ended took this many minutes at this cost."""
        if not self.cost_per_hour_cents:
            return None
        return round(self.handled * self.minutes_per_complaint * self.cost_per_hour_cents / 60)


def _money(counts: dict, prefix: str) -> Money:
    return Money(offered=counts.get(prefix + "offered", 0), accepted=counts.get(prefix + "accepted", 0),
                 carried_out=counts.get(prefix + "carried", 0), count=counts.get(prefix + "count", 0))


def _costs_settings(result: Costs) -> Costs:
    organisation = get_organisation()
    result.cost_per_hour_cents = organisation.handling_cost_per_hour_cents or 0
    result.minutes_per_complaint = organisation.handling_minutes_per_complaint or 0
    return result


def costs(period: Period, filters: Filters = Filters()) -> Costs:
    if not summarised(filters):
        return costs_counted(period, filters)
    read, result, categories = _read(period, filters), Costs(), _categories()
    result.total = _money(read.total, "money:")
    for key in read.total:
        if key.startswith("money.remedy:") and key.endswith(":count"):
            remedy = key[len("money.remedy:"):-len(":count")]
            result.by_remedy[remedy] = _money(read.total, f"money.remedy:{remedy}:")
        elif key.startswith("money.cause:") and key.endswith(":count"):
            cause = key[len("money.cause:"):-len(":count")]
            result.by_root_cause[_unknown(cause)] = _money(read.total, f"money.cause:{cause}:")
    for category_id, brief in read.by_category.items():
        if brief.get("money:count"):
            result.by_category[categories.get(category_id)] = _money(brief, "money:")
    result.by_bucket = [(label, _money(read.within(first, last), "money:")) for label, first, last in period.buckets()]
    result.handled = read.total.get("ended", 0)
    return _costs_settings(result)


def costs_counted(period: Period, filters: Filters = Filters()) -> Costs:
    result = Costs()
    labels = [label for label, _first, _last in period.buckets()]
    per_bucket = [Money() for _ in labels]
    bucket = bucket_of(Offer.made_at, period)
    rows = db.session.execute(filters.apply(
        select(bucket, Offer.remedy, Complaint.category_id, Complaint.root_cause, Offer.state,
               func.sum(Offer.amount_cents), func.count())
        .join(Complaint, Complaint.id == Offer.complaint_id)
        .where(period.contains(Offer.made_at), Offer.state.in_(PUT_TO_CUSTOMER))
        .group_by(bucket, Offer.remedy, Complaint.category_id, Complaint.root_cause, Offer.state))).all()
    categories = {c.id: c for c in db.session.scalars(select(Category))}
    for index, remedy, category_id, root_cause, state, cents, count in rows:
        cents = int(cents or 0)
        for money in (result.total, result.by_remedy[remedy], result.by_category[categories.get(category_id)],
                      result.by_root_cause[root_cause], per_bucket[index]):
            money.add(state, cents, count)
    result.by_bucket = list(zip(labels, per_bucket, strict=True))
    result.handled = db.session.scalar(filters.apply(
        select(func.count()).where(period.contains(ENDED_AT), Complaint.status.in_(Status.ENDED)))) or 0
    return _costs_settings(result)


# --- 5. where the issue sits -----------------------------------------------------------------------

def root_causes(period: Period, filters: Filters = Filters(), found: Signals | None = None) -> dict:
    """{category or None: Counter(root cause or None: complaints)} for the complaints of the period
    (from the signals' one pass, when the caller has them)."""
    return (found or signals(period, filters)).causes


def top_categories(period: Period, filters: Filters = Filters(), limit: int = 5, found: Signals | None = None) -> list:
    """The categories with the most complaints, each beside what their customers said afterwards:
    [(category, complaints, satisfaction.Summary)]. Two grouped queries, whatever the number."""
    causes = (found or signals(period, filters)).causes
    volume = sorted(((category, sum(counts.values())) for category, counts in causes.items() if category is not None),
                    key=lambda row: -row[1])[:limit]
    if summarised(filters.without_kind()):
        read = _read(period, filters)
        return [(category, count, survey_of(read.by_category[category.id])) for category, count in volume]
    start, end = period.bounds()
    narrowed = filters.as_dict()
    narrowed.pop("kind", None)
    surveys = satisfaction.summaries_by_category(start, end, [category.id for category, _count in volume], **narrowed)
    return [(category, count, surveys[category.id]) for category, count in volume]


def survey(period: Period) -> satisfaction.Summary:
    """What the customers asked in the period answered (every category)."""
    return survey_of(_read(period, Filters()).total)


def survey_of(counts: dict) -> satisfaction.Summary:
    """The survey's figures from the summary's counts (the same as satisfaction.summary counts)."""
    found = satisfaction.Summary(asked=counts.get("asked", 0), recovered=counts.get("recovered", 0))
    for choices, prefix in ((found.solved, "solved:"), (found.treatment, "treatment:"),
                            (found.come_back, "come_back:")):
        for choice in choices:
            choices[choice] = counts.get(f"{prefix}{choice}", 0)
    found.answered = sum(found.solved.values())
    return found


# --- 6. you said, we did, and did it help ----------------------------------------------------------

@dataclass
class Effect:
    improvement: Improvement
    categories: list
    root_causes: list
    before: Period
    after: Period
    complaints_before: int
    complaints_after: int
    costs_before: int
    costs_after: int


def _effect_summarised(period: Period, category_ids: list[int], causes: list[str]) -> tuple[int, int]:
    """(complaints, offered cents) of these categories and root causes (all causes when none)."""
    read = insight_summary.read(period.first, period.last)
    complaints = offered = 0
    for category_id in category_ids:
        brief = read.by_category.get(category_id, {})
        by_cause, cents = read.prefixed("cause:", brief), read.prefixed("effect:", brief)
        wanted = causes or set(by_cause) | set(cents)
        complaints += sum(by_cause.get(cause, 0) for cause in wanted)
        offered += sum(cents.get(cause, 0) for cause in wanted)
    return complaints, offered


def _effect_counted(period: Period, category_ids: list[int], causes: list[str]) -> tuple[int, int]:
    where = [period.contains(Complaint.created_at), Complaint.kind == Kind.COMPLAINT,
             Complaint.category_id.in_(category_ids)]
    if causes:
        where.append(Complaint.root_cause.in_(causes))
    complaints = db.session.scalar(select(func.count()).where(*where)) or 0
    offered = db.session.scalar(
        select(func.coalesce(func.sum(Offer.amount_cents), 0))
        .join(Complaint, Complaint.id == Offer.complaint_id)
        .where(*where, Offer.state.in_(PUT_TO_CUSTOMER))) or 0
    return complaints, int(offered)


def improvement_effects(today: date, counted: bool = False) -> list[Effect]:
    """For each published improvement: the complaints in the categories and root causes of the
    complaints that led to it, and what was offered on them, in as many days before its "since" date
    as have passed after it (up to today). From the summary; `counted`: from the complaints."""
    count = _effect_counted if counted else _effect_summarised
    found = []
    improvements = db.session.scalars(select(Improvement).where(Improvement.published_at.is_not(None))
                                      .order_by(Improvement.since.desc())).all()
    for improvement in improvements:
        if improvement.since > today:
            continue
        linked = db.session.execute(
            select(Complaint.category_id, Complaint.root_cause).join(
                ImprovementLink, ImprovementLink.complaint_id == Complaint.id)
            .where(ImprovementLink.improvement_id == improvement.id)).all()
        category_ids = sorted({cid for cid, _cause in linked if cid is not None})
        causes = sorted({cause for _cid, cause in linked if cause is not None})
        if not category_ids:
            continue
        after = Period(improvement.since, today)
        before = Period(improvement.since - timedelta(days=after.days), improvement.since - timedelta(days=1))
        counts = [count(period, category_ids, causes) for period in (before, after)]
        categories = [db.session.get(Category, cid) for cid in category_ids]
        found.append(Effect(improvement, categories, causes, before, after,
                            counts[0][0], counts[1][0], counts[0][1], counts[1][1]))
    return found


# --- 2. the charter scorecard ----------------------------------------------------------------------

@dataclass
class Measured:
    """An indicator's figure for one period: `value` (None: nothing to measure), what it was counted
    from (`of`), and figures shown apart (`apart`: name -> value)."""

    value: float | None
    of: int = 0
    apart: dict = field(default_factory=dict)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _complaints_in(period: Period, filters: Filters, *where, column=Complaint.created_at):
    return filters.apply(select(func.count()).where(period.contains(column), *where))


def _counted(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class Facts:
    """What several indicators count over the same complaints, read in one pass each (a year of a
    million complaints is then two scans, not twenty): those filed in the period, and those that
    ended in it (with what was offered on them)."""

    def __init__(self, period: Period, filters: Filters, apart: bool = True, counted: bool = False):
        # `apart`: also the figures shown apart (hand-overs, reopenings); the period before needs
        # only each indicator's own figure. `counted`: from the complaints, not from the summary.
        self.period, self.filters, self.apart = period, filters, apart
        self.read = _read(period, filters) if summarised(filters) and not counted else None
        self._filed = self._ended = None

    def _filed_summarised(self) -> dict:
        total, complaint = self.read.total, f"kind:{Kind.COMPLAINT}"
        told = {c.id for c in db.session.scalars(select(Category)) if (c.cannot_do_nl or "") or (c.cannot_do_en or "")}
        return {"signals": sum(self.read.prefixed("kind:").values()), "web": total.get("channel:web", 0),
                "complaints": total.get(complaint, 0),
                "limits_told": sum(brief.get(complaint, 0) for cid, brief in self.read.by_category.items()
                                   if cid in told),
                **{key: total.get(key, 0) for key in ("dated", "escalated", "waiting", "wrote_first")}}

    @property
    def filed(self) -> dict:
        if self._filed is None and self.read is not None:
            self._filed = self._filed_summarised()
        if self._filed is None:
            told = or_(func.coalesce(Category.cannot_do_nl, "") != "", func.coalesce(Category.cannot_do_en, "") != "")
            is_complaint = Complaint.kind == Kind.COMPLAINT
            row = db.session.execute(self.filters.apply(
                select(func.count().label("signals"),
                       _counted(Complaint.channel == "web").label("web"),
                       _counted(is_complaint).label("complaints"),
                       _counted(and_(is_complaint, told)).label("limits_told"),
                       _counted(Complaint.timeline_id.is_not(None)).label("dated"),
                       _counted(and_(is_complaint, Complaint.escalated_at.is_not(None))).label("escalated"),
                       _counted(Complaint.first_reply_at.is_(None)).label("waiting"),
                       _counted(and_(is_complaint, Complaint.customer_wrote_first.is_(True))).label("wrote_first"))
                .outerjoin(Category, Category.id == Complaint.category_id)
                .where(self.period.contains(Complaint.created_at)))).one()
            self._filed = row._asdict()
        return self._filed

    @property
    def ended(self) -> dict:
        if self._ended is None and self.read is not None:
            self._ended = {key: self.read.total.get(key, 0)
                           for key in ("asked_money", "asked_money_offered", "with_offer", "accepted", "resolved")}
        if self._ended is None:
            reached, accepted = Complaint.offer_reached_at.is_not(None), Complaint.offer_accepted_at.is_not(None)
            asked_money = and_(Complaint.kind == Kind.COMPLAINT, Complaint.wish == Wish.COMPENSATION)
            is_complaint = Complaint.kind == Kind.COMPLAINT
            row = db.session.execute(self.filters.apply(
                select(_counted(asked_money).label("asked_money"),
                       _counted(and_(asked_money, reached)).label("asked_money_offered"),
                       _counted(and_(is_complaint, reached)).label("with_offer"),
                       _counted(and_(is_complaint, accepted)).label("accepted"),
                       _counted(and_(is_complaint, Complaint.resolved_at.is_not(None))).label("resolved"))
                .where(self.period.contains(ENDED_AT), Complaint.status.in_(Status.ENDED)))).one()
            self._ended = row._asdict()
        return self._ended


def _word_enough(facts: Facts) -> Measured:
    ended = facts.ended
    return Measured(_share(ended["asked_money_offered"], ended["asked_money"]), ended["asked_money"])


def _filing_completion(facts: Facts) -> Measured:
    period = facts.period
    started = db.session.scalar(select(func.coalesce(func.sum(DraftsStarted.count), 0)).where(
        DraftsStarted.day >= period.first, DraftsStarted.day <= period.last)) or 0
    filed = facts.filed["web"]
    # Filings started before we counted starts could make it more than all: never above 100%.
    return Measured(min(1.0, filed / started) if started else None, started, {"filed": filed})


def _promises_kept(facts: Facts) -> Measured:
    if facts.read is not None:
        kept_by, missed_by = facts.read.prefixed("kept:"), facts.read.prefixed("missed:")
        kept, missed = sum(kept_by.values()), sum(missed_by.values())
        per_step = {key: _share(kept_by.get(key, 0), kept_by.get(key, 0) + missed_by.get(key, 0))
                    for key in sorted(set(kept_by) | set(missed_by))}
        return Measured(_share(kept, kept + missed), kept + missed,
                        {"moved": facts.read.total.get("moved", 0), "per_step": per_step})
    period, filters = facts.period, facts.filters
    rows = db.session.execute(filters.on(
        select(Promise.key, Promise.state, Promise.missed_at.is_(None), func.count())
        .where(period.contains(Promise.due_at))
        .group_by(Promise.key, Promise.state, Promise.missed_at.is_(None)), Promise.complaint_id)).all()
    kept = missed = moved = 0
    per_step: dict = defaultdict(lambda: [0, 0])
    for key, state, never_missed, count in rows:
        if state == PromiseState.KEPT and never_missed:
            kept += count
            per_step[key][0] += count
        elif not never_missed:  # missed (kept late, moved after, or still owed): a miss all the same
            missed += count
            per_step[key][1] += count
        elif state == PromiseState.MOVED:
            moved += count
    return Measured(_share(kept, kept + missed), kept + missed,
                    {"moved": moved, "per_step": {key: _share(k, k + m) for key, (k, m) in sorted(per_step.items())}})


def _median(column, query) -> float | None:
    """The median of `column` over the rows of `query`: PostgreSQL computes it; on SQLite (the small
    embedded case) the values are read and the median taken here."""
    if db.session.get_bind().dialect.name == "postgresql":
        value = db.session.scalar(query.with_only_columns(func.percentile_cont(0.5).within_group(column.asc())))
        return float(value) if value is not None else None
    values = db.session.scalars(query.with_only_columns(column)).all()
    return statistics.median(values) if values else None


def _reply_reading(facts: Facts) -> Measured:
    """Read from what each reply kept when it was sent (work._our_message): no text is scored here.
    The median is of the scores rounded to a whole number (as the summary keeps them)."""
    if facts.read is not None:
        count, warned = facts.read.total.get("replies", 0), facts.read.total.get("warned", 0)
        if not count:
            return Measured(None, 0, {"warned_sent": None})
        return Measured(facts.read.median("score:"), count, {"warned_sent": warned / count})
    period, filters = facts.period, facts.filters
    ours = filters.on(select(Message.id).where(
        Message.author == "agent", period.contains(Message.created_at), Message.reading_score.is_not(None)),
        Message.complaint_id)
    count, warned = db.session.execute(ours.with_only_columns(
        func.count(), func.coalesce(func.sum(case((Message.lint_warned.is_(True), 1), else_=0)), 0))).one()
    if not count:
        return Measured(None, 0, {"warned_sent": None})
    return Measured(_median(insight_summary.rounded_score(), ours), count, {"warned_sent": warned / count})


def _customer_decides(facts: Facts) -> Measured:
    period, filters = facts.period, facts.filters
    if facts.read is not None:
        rows = {OfferState(state): count for state, count in facts.read.prefixed("state:").items()}
    else:
        rows = dict(db.session.execute(filters.on(
            select(Offer.state, func.count())
            .where(period.contains(Offer.made_at), Offer.state.in_([*ACCEPTED, OfferState.DECLINED, OfferState.ENDED]))
            .group_by(Offer.state), Offer.complaint_id)).all())
    answered = sum(rows.get(state, 0) for state in (*ACCEPTED, OfferState.DECLINED))
    ended = answered + rows.get(OfferState.ENDED, 0)
    return Measured(_share(answered, ended), ended)


def _dated_from_start(facts: Facts) -> Measured:
    """Filed with a timeline: its dated promises were planned from the start (services/filing.py)."""
    filed = facts.filed
    return Measured(_share(filed["dated"], filed["signals"]), filed["signals"])


def _asked_where(facts: Facts) -> Measured:
    """Complaints in which the customer wrote before our first message (kept on the complaint when
    their message came: services/complaints.py: customer_message)."""
    filed = facts.filed
    return Measured(_share(filed["wrote_first"], filed["complaints"]), filed["complaints"])


def _limits_told(facts: Facts) -> Measured:
    filed = facts.filed
    return Measured(_share(filed["limits_told"], filed["complaints"]), filed["complaints"])


def _first_reply_hours(facts: Facts) -> Measured:
    """The working hours each customer waited for our first message, kept when it was sent (the
    median of them to a tenth of an hour, as the summary keeps them)."""
    period, filters = facts.period, facts.filters
    if facts.read is not None:
        count, waiting = facts.filed["signals"], facts.filed["waiting"]
        handovers = facts.read.total.get("handovers", 0) if facts.apart else None
        return Measured(facts.read.median("hours:") if count > waiting else None, count,
                        {"waiting": waiting, "handovers": handovers / count if count and facts.apart else None})
    filed = filters.apply(select(Complaint.id).where(period.contains(Complaint.created_at)))
    count, waiting = facts.filed["signals"], facts.filed["waiting"]
    handovers = None
    if facts.apart:
        handovers = db.session.scalar(filters.apply(
            select(func.count()).select_from(Event).join(Complaint, Complaint.id == Event.complaint_id)
            .where(period.contains(Complaint.created_at), Event.kind == "handed_over"))) or 0
    replied = filed.where(Complaint.first_reply_hours.is_not(None))
    return Measured(_median(insight_summary.rounded_hours(), replied) if count > waiting else None, count,
                    {"waiting": waiting, "handovers": handovers / count if count and handovers is not None else None})


def _solved_say_customers(facts: Facts) -> Measured:
    period, filters = facts.period, facts.filters
    start, end = period.bounds()
    narrowed = filters.as_dict()
    narrowed.pop("kind", None)
    if facts.read is not None:
        survey = survey_of(facts.read.total)
    else:
        survey = satisfaction.summary(start, end, **narrowed)
    if not facts.apart:
        return Measured(survey.solved_share[Solved.YES], survey.answered)
    if facts.read is not None:
        reopened = facts.read.total.get("reopened", 0)
    else:
        reopened = db.session.scalar(filters.on(
            select(func.count()).where(period.contains(Event.created_at), Event.kind == "reopened"),
            Event.complaint_id)) or 0
    ended, filed = facts.ended, facts.filed
    accepted, offered, resolved = ended["accepted"], ended["with_offer"], ended["resolved"]
    escalated, filed = filed["escalated"], filed["complaints"]
    return Measured(survey.solved_share[Solved.YES], survey.answered, {
        "accepted": _share(accepted, offered), "reopened": _share(reopened, resolved),
        "escalated": _share(escalated, filed)})


MEASURES = {
    "word_enough": _word_enough, "filing_completion": _filing_completion, "promises_kept": _promises_kept,
    "reply_reading": _reply_reading, "customer_decides": _customer_decides, "dated_from_start": _dated_from_start,
    "asked_where": _asked_where, "limits_told": _limits_told, "first_reply_hours": _first_reply_hours,
    "solved_say_customers": _solved_say_customers,
}


def measure(indicator: Indicator, period: Period, filters: Filters = Filters(), facts: Facts | None = None) -> Measured:
    return MEASURES[indicator.key](facts or Facts(period, filters))


def target_of(indicator: Indicator) -> float:
    targets = get_organisation().charter_targets or {}
    value = targets.get(indicator.key)
    return float(value) if value is not None else indicator.default_target


@dataclass
class ScoreRow:
    indicator: Indicator
    target: float
    now: Measured
    before: Measured

    @property
    def meets(self) -> bool | None:
        return self.indicator.meets(self.now.value, self.target)

    @property
    def trend(self) -> str | None:
        """"better", "worse" or "same" than the period before; None when either has no figure."""
        if self.now.value is None or self.before.value is None:
            return None
        if abs(self.now.value - self.before.value) < 1e-9:
            return "same"
        higher = self.now.value > self.before.value
        return "better" if higher == (self.indicator.better == "higher") else "worse"


def scorecard(period: Period, filters: Filters = Filters(), counted: bool = False) -> list[ScoreRow]:
    """Each right's indicator now and in the period before (`counted`: from the complaints, not
    from the summary: what the summary is checked against)."""
    now, before = Facts(period, filters, counted=counted), Facts(period.before(), filters, apart=False, counted=counted)
    return [ScoreRow(indicator, target_of(indicator), measure(indicator, period, filters, now),
                     measure(indicator, before.period, filters, before)) for indicator in INDICATORS]


def set_targets(targets: dict) -> None:
    """Targets, key -> number (a share as 0..1); keys of no indicator are refused."""
    unknown = set(targets) - set(BY_KEY)
    if unknown:
        raise ValueError(f"no indicator {', '.join(sorted(unknown))}")
    organisation = get_organisation()
    organisation.charter_targets = {key: float(value) for key, value in targets.items()}
    db.session.flush()


def update_settings(admin, values: dict) -> None:
    """An admin's insight settings, as typed: `cost_per_hour` (euros), `minutes_per_complaint`, and
    `target_<key>` per indicator (a percentage for a share). Every problem is named at once."""
    from .money import parse_amount_cents
    from .organisation import update_organisation

    problems, targets = [], {}
    cost = (values.get("cost_per_hour") or "").strip()
    cost_cents = parse_amount_cents(cost) if cost else 0
    if cost_cents is None:
        problems.append(("cost_per_hour", _l("Write an amount in euros, such as 45 or 45,50.")))
    minutes = (values.get("minutes_per_complaint") or "").strip()
    if not minutes.isdigit() or not 1 <= int(minutes) <= 6000:
        problems.append(("minutes_per_complaint", _l("Enter a number of minutes from 1 to 6000.")))
    for indicator in INDICATORS:
        text = (values.get(f"target_{indicator.key}") or "").strip().replace(",", ".").rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            problems.append((f"target_{indicator.key}", _l("Enter a number.")))
            continue
        if indicator.unit == "share":
            if not 0 <= number <= 100:
                problems.append((f"target_{indicator.key}", _l("Enter a percentage from 0 to 100.")))
                continue
            number /= 100
        elif not 0 <= number <= 10_000:
            problems.append((f"target_{indicator.key}", _l("Enter a number from 0 to 10000.")))
            continue
        targets[indicator.key] = number
    refuse(problems, InsightError)
    update_organisation(admin, {"handling_cost_per_hour_cents": cost_cents,
                                "handling_minutes_per_complaint": int(minutes), "charter_targets": targets},
                        fields=("handling_cost_per_hour_cents", "handling_minutes_per_complaint", "charter_targets"),
                        action="insight_settings_changed")


# --- 8. the complaints return (FCA DISP's shape) ---------------------------------------------------

@dataclass
class ComplaintsReturn:
    received: int = 0
    open_at_start: int = 0
    open_at_end: int = 0
    closed: int = 0
    within_3_working_days: int = 0
    within_4_weeks: int = 0
    weeks_4_to_8: int = 0
    over_8_weeks: int = 0
    over_6_weeks: int = 0  # the Dutch Awb's longest handling time
    upheld: int = 0  # closed with something we put right: an offer the customer said yes to
    redress_cents: int = 0  # carried out in the period

    @property
    def upheld_share(self) -> float | None:
        return _share(self.upheld, self.closed)


def complaints_return(period: Period, filters: Filters = Filters()) -> ComplaintsReturn:
    if not summarised(filters, kind=Kind.COMPLAINT):
        return complaints_return_counted(period, filters)
    total = _read(period, filters).total
    open_at_start, open_at_end = insight_summary.open_on((period.first, period.last + timedelta(days=1)),
                                                         filters.category_id)
    result = ComplaintsReturn(received=total.get(f"kind:{Kind.COMPLAINT}", 0), open_at_start=open_at_start,
                              open_at_end=open_at_end, redress_cents=total.get("redress", 0))
    (result.closed, result.upheld, result.within_3_working_days, result.within_4_weeks, result.weeks_4_to_8,
     result.over_8_weeks, result.over_6_weeks) = (total.get(key, 0) for key in (
        "closed", "upheld", "within_3wd", "within_4w", "w4_8", "over_8w", "over_6w"))
    return result


def complaints_return_counted(period: Period, filters: Filters = Filters()) -> ComplaintsReturn:
    start, end = period.bounds()
    result = ComplaintsReturn()
    filters = replace(filters, kind=Kind.COMPLAINT)
    # Received, and open at the start and at the end: one pass.
    counts = db.session.execute(filters.apply(select(
        _counted(period.contains(Complaint.created_at)),
        _counted(and_(Complaint.created_at < start, or_(ENDED_AT.is_(None), ENDED_AT >= start))),
        _counted(and_(Complaint.created_at < end, or_(ENDED_AT.is_(None), ENDED_AT >= end))))
        .where(Complaint.created_at < end))).one()
    result.received, result.open_at_start, result.open_at_end = (int(value) for value in counts)
    if db.session.get_bind().dialect.name == "postgresql":
        _closed_in_sql(result, period, filters)
    else:
        _closed_counted_here(result, period, filters)
    result.redress_cents = int(db.session.scalar(filters.on(
        select(func.coalesce(func.sum(Offer.amount_cents), 0))
        .where(period.contains(Offer.carried_out_at), Offer.state == OfferState.CARRIED_OUT), Offer.complaint_id)) or 0)
    return result


def _upheld():
    """Closed with something we put right: the customer said yes to an offer (kept by mandate.accept)."""
    return Complaint.offer_accepted_at.is_not(None)


def _closed_counted_here(result: ComplaintsReturn, period: Period, filters: Filters) -> None:
    """SQLite (the small embedded case): each closed complaint read and counted here."""
    calendar = get_calendar()
    for filed, ended, was_upheld in db.session.execute(filters.apply(
            select(Complaint.created_at, ENDED_AT, _upheld()).where(period.contains(ENDED_AT)))):
        result.closed += 1
        result.upheld += bool(was_upheld)
        took = ended - filed
        result.within_3_working_days += calendar.working_days_between(filed, ended) <= 3
        if took <= timedelta(weeks=4):
            result.within_4_weeks += 1
        elif took <= timedelta(weeks=8):
            result.weeks_4_to_8 += 1
        else:
            result.over_8_weeks += 1
        result.over_6_weeks += took > timedelta(weeks=6)


def _closed_in_sql(result: ComplaintsReturn, period: Period, filters: Filters) -> None:
    """PostgreSQL: one pass. "Within 3 working days" needs our calendar: for each day a complaint
    closed in the period was filed on, the moment its third working day after ends is worked out
    here and joined to the complaints by their local filing day."""
    calendar = get_calendar()
    filing_day = func.date(func.timezone(str(calendar.zone), Complaint.created_at))
    ended_in_period = period.contains(ENDED_AT)
    days = db.session.scalars(filters.apply(select(filing_day).where(ended_in_period).distinct())).all()
    if not days:
        return
    deadlines = [(day, _local_midnight(calendar.next_working_days(day, 3)[-1] + timedelta(days=1))) for day in days]
    deadline = values(column("day", Date), column("deadline", DateTime(timezone=True)), name="deadlines"
                      ).data(deadlines).alias("deadlines")
    took = ENDED_AT - Complaint.created_at
    row = db.session.execute(filters.apply(
        select(func.count(), _counted(_upheld()), _counted(ENDED_AT < deadline.c.deadline),
               _counted(took <= timedelta(weeks=4)),
               _counted(and_(took > timedelta(weeks=4), took <= timedelta(weeks=8))),
               _counted(took > timedelta(weeks=8)), _counted(took > timedelta(weeks=6)))
        .select_from(Complaint)
        .join(deadline, deadline.c.day == filing_day)
        .where(ended_in_period))).one()
    (result.closed, result.upheld, result.within_3_working_days, result.within_4_weeks, result.weeks_4_to_8,
     result.over_8_weeks, result.over_6_weeks) = (int(value) for value in row)


# --- 8. the export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = ("reference", "kind", "channel", "status", "category", "filed", "ended", "handled_as",
                  "root_cause", "offered_eur", "accepted_eur", "solved", "treatment")
PERSONAL_COLUMNS = ("name", "email", "phone")


def export_query(period: Period, filters: Filters = Filters(), personal: bool = False):
    """The complaints of the period, one row per complaint in `EXPORT_COLUMNS` order (then
    `PERSONAL_COLUMNS` when `personal`)."""
    offered = (select(func.coalesce(func.sum(Offer.amount_cents), 0))
               .where(Offer.complaint_id == Complaint.id, Offer.state.in_(PUT_TO_CUSTOMER)).scalar_subquery())
    accepted = (select(func.coalesce(func.sum(Offer.amount_cents), 0))
                .where(Offer.complaint_id == Complaint.id, Offer.state.in_(ACCEPTED)).scalar_subquery())
    columns = [Complaint.reference, Complaint.kind, Complaint.channel, Complaint.status, Category.slug,
               Complaint.created_at, ENDED_AT, Complaint.handled_as, Complaint.root_cause, offered, accepted,
               SurveyAnswer.solved, SurveyAnswer.treatment]
    if personal:
        columns += [Complaint.name, Complaint.email, Complaint.phone]
    return filters.apply(
        select(*columns).outerjoin(Category, Category.id == Complaint.category_id)
        .outerjoin(SurveyAnswer, SurveyAnswer.complaint_id == Complaint.id)
        .where(period.contains(Complaint.created_at)).order_by(Complaint.id))


def export_rows(rows, calendar):
    """The export's rows as text cells. `rows` is read as it goes (a streamed result), so memory
    stays flat however many complaints there are."""
    for row in rows:
        (reference, kind, channel, status, slug, filed, ended, handled_as, root_cause, offered_cents,
         accepted_cents, solved, treatment, *rest) = row
        yield (reference, str(kind), str(channel), str(status), slug or "",
               calendar.local_date(filed).isoformat(), calendar.local_date(ended).isoformat() if ended else "",
               str(handled_as or ""), str(root_cause or ""), f"{(offered_cents or 0) / 100:.2f}",
               f"{(accepted_cents or 0) / 100:.2f}", str(solved or ""), treatment or "",
               *[_spreadsheet_safe(value or "") for value in rest])


def _spreadsheet_safe(text: str) -> str:
    """A name a customer typed as "=HYPERLINK(...)" stays text when a spreadsheet opens the file."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def may_see_personal(user) -> bool:
    """Managers never see a customer's name, address or number; supervisors and admins may, when asked."""
    from ..states import Role

    return user.can(Role.SUPERVISOR)



# --- what a manager asked for ----------------------------------------------------------------------

class InsightError(DomainError):
    """A period or filter that cannot be read; `problems` lists each field and why."""


LONGEST_PERIOD_DAYS = 3700  # about ten years: more is a typing error, and a heavy page


def period_from(values, today: date) -> Period:
    """The period a manager asked for (`from`, `to` as YYYY-MM-DD; a month as `month` YYYY-MM);
    the last 30 days when nothing is asked."""
    if values.get("month"):
        try:
            year, month = (int(part) for part in values["month"].split("-"))
            return Period.month(year, month)
        except (ValueError, TypeError):
            raise InsightError(_l("Write the month as 2026-11."), "month") from None
    default = Period.last_days(30, today)
    problems, days = [], {}
    for name, fallback in (("from", default.first), ("to", default.last)):
        text = (values.get(name) or "").strip()
        try:
            days[name] = date.fromisoformat(text) if text else fallback
        except ValueError:
            problems.append((name, _l("Write the date as 2026-11-30.")))
    refuse(problems, InsightError)
    if days["from"] > days["to"]:
        refuse([("to", _l("The end date is before the start date."))], InsightError)
    if (days["to"] - days["from"]).days > LONGEST_PERIOD_DAYS:
        refuse([("from", _l("Choose a period of at most ten years."))], InsightError)
    return Period(days["from"], days["to"])


def filters_from(values) -> Filters:
    """The filters a manager chose; a value that names nothing is refused with a sentence."""
    problems, chosen = [], {}
    for name, allowed in (("kind", set(Kind)), ("channel", set(Channel)), ("root_cause", set(RootCause)),
                          ("remedy", set(REMEDIES)), ("handled_as", set(HandledAs) | {"none"})):
        text = (values.get(name) or "").strip()
        if text:
            if text in allowed:
                chosen[name] = text
            else:
                problems.append((name, _l("Choose one of the options in the list.")))
    for name, field_name in (("category", "category_id"), ("owner", "owner_id")):
        text = (values.get(name) or "").strip()
        if text:
            if text.isdigit() and len(text) < 10:
                chosen[field_name] = int(text)
            else:
                problems.append((name, _l("Choose one of the options in the list.")))
    refuse(problems, InsightError)
    if "kind" in chosen:
        chosen["kind"] = Kind(chosen["kind"])
    return Filters(**chosen)


def step_names(language: str) -> dict:
    """A promise's key -> the words of its step, from the timelines (the newest wording wins)."""
    from ..models import PromiseStep

    return {step.key: step.text("label", language)
            for step in db.session.scalars(select(PromiseStep).order_by(PromiseStep.id))}


# The query-string names a link from a figure to the queue may carry (agent.queue_page).
FIGURE_ARGS = ("from", "to", "channel", "root_cause", "owner", "remedy", "handled_as")
