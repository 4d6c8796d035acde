"""Seed a fresh benchmark database: the demo data, 100,000 complaints, status links and drafts.

The bulk (complaints, their promises, events and status links) goes in with SQLAlchemy core
`INSERT ... VALUES` batches: filing 100,000 complaints through the service would take minutes and
measure nothing we want. A handful of complaints are filed through the real service
(`file_complaint`), so the status pages the benchmark reads are exactly what a customer gets.

The filing benchmark needs one finished draft per request (filing is idempotent per draft: a draft
filed twice gives the first complaint back). Drafts are prepared here too, each with its own e-mail
address (the portal caps open complaints per address).

Used by bench/run.py; can also be run alone:
    .venv/bin/python bench/seed.py --database sqlite:///bench/.data/bench.sqlite
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SQLITE = f"sqlite:///{BENCH / '.data' / 'bench.sqlite'}"
BENCH_SECRET_KEY = "bench-only-" + "k" * 40  # long enough for production mode; never a real key

STORIES = [
    "Mijn pakket is niet bezorgd, maar volgens de website wel. Ik heb twee dagen thuis gewacht.",
    "The bill charged me twice for the same order and I cannot reach anyone on the phone about it.",
    "De bezorger heeft het pakket in de regen laten staan en het boek erin is helemaal nat geworden.",
    "I was promised a call back within a day. Nobody called, and the chat closed while I waited.",
    "Het product was kapot toen ik het uit de doos haalde, en de handleiding ontbrak ook.",
    "The person at the desk was very kind and helped me fill in the form. Thank you to her!",
]
WISHES = ["fix", "compensation", "explanation", "listen", "other"]
NAMES = ["Fatima el Amrani", "Jan de Boer", "Sophie Jansen", "Mohammed Yilmaz", "Anna Visser", "Tim Smit"]
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # as portal.services.secrets


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def bulk_reference(number: int) -> str:
    """A unique reference per number (the bulk rows), in the portal's alphabet and format."""
    chars = []
    for _ in range(8):
        number, rest = divmod(number, len(REFERENCE_ALPHABET))
        chars.append(REFERENCE_ALPHABET[rest])
    chars = "".join(reversed(chars))
    return f"{chars[:4]}-{chars[4:]}"


def draft_answers(number: int) -> dict:
    """A finished complaint draft (what the four question pages store), with its own address."""
    return dict(story=f"Bench filing {number}: my parcel was left in the rain and the book inside is ruined.",
                happened_when="last Tuesday", category="delivery", wish="compensation", amount="25,50",
                wish_amount_cents=2550, wish_other="", name="Fatima el Amrani",
                email=f"bench-filer-{number}@example.com", phone="", contact_by="email", language="nl",
                website="")


# --- the database itself ----------------------------------------------------------------------

def normalise_url(url: str) -> str:
    if url in ("", "sqlite"):
        return DEFAULT_SQLITE
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def dedicated_postgres_url(url: str) -> str:
    """Other test runs use the `test` database: the benchmark gets its own (dropped and made again).

    A URL whose database name contains "bench" is used as given; any other name is replaced by
    `gehoord_bench` on the same server.
    """
    parsed = make_url(url)
    if "bench" not in (parsed.database or ""):
        parsed = parsed.set(database="gehoord_bench")
    return parsed.render_as_string(hide_password=False)


def recreate_database(url: str) -> str:
    """Start from nothing: delete the SQLite file, or drop and create the PostgreSQL database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return url
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
    import psycopg

    name = parsed.database
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,))
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def make_app(url: str):
    from portal import create_app

    return create_app({"GEHOORD_ENV": "production", "SECRET_KEY": BENCH_SECRET_KEY,
                       "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
                       "PUBLIC_BASE_URL": "http://127.0.0.1", "MIGRATIONS": True})


# --- seeding ------------------------------------------------------------------------------------

def batched(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def seed(url: str, complaints: int = 100_000, drafts: int = 20_000, filed: int = 10_000,
         open_share: float = 0.1, open_days: int = 56, schema: str = "migrations", out: Path | None = None,
         quiet: bool = False) -> dict:
    """Build the benchmark database; returns (and writes to `out`) what the benchmark needs."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    started = time.perf_counter()
    url = recreate_database(normalise_url(url))
    app = make_app(url)
    from portal.extensions import db
    from portal.models import Category, Complaint, Draft, Event, Promise, StatusLink, User
    from portal.services import complaints as service
    from portal.services import filing, mandate, work
    from portal.services.demo import load_demo
    from portal.services.organisation import get_calendar
    from portal.services.timelines import current_timeline, plan

    rng = random.Random(20240501)
    with app.app_context():
        if schema == "migrations":
            from flask_migrate import upgrade

            upgrade(directory=str(ROOT / "migrations"))
        else:
            db.create_all()
        load_demo()
        db.session.commit()
        say(f"  schema ({schema}) and demo data: {time.perf_counter() - started:.1f} s")

        categories = db.session.scalars(select(Category).order_by(Category.position)).all()
        agents = db.session.scalars(select(User).order_by(User.id)).all()
        calendar = get_calendar()
        timelines = {c.id: current_timeline("complaint", c.id) for c in categories}
        steps = {c.id: list(timelines[c.id].steps) for c in categories}
        now = datetime.now(timezone.utc)

        # The bulk: complaints filed over the last year; about `open_share` still open.
        t0 = time.perf_counter()
        complaint_rows, promise_rows, event_rows, link_rows = [], [], [], []
        plan_cache: dict = {}
        promise_id = event_id = link_id = 0
        for number in range(1, complaints + 1):
            is_open = rng.random() < open_share
            # Open complaints are recent (a backlog of `open_days`); the rest spread over a year.
            created = now - timedelta(minutes=rng.randrange(1, (open_days if is_open else 365) * 24 * 60))
            status = (rng.choice(("received", "received", "in_progress", "proposal_made")) if is_open
                      else rng.choice(("resolved", "closed", "closed", "closed", "withdrawn")))
            category = rng.choice(categories)
            owner = rng.choice(agents) if status != "received" else None
            wish = rng.choice(WISHES)
            complaint_rows.append(dict(
                id=number, reference=bulk_reference(number), submission_key=None, kind="complaint",
                channel="web", status=status, category_id=category.id, timeline_id=timelines[category.id].id,
                story=rng.choice(STORIES), happened_when=None, wish=wish,
                wish_amount_cents=rng.randrange(500, 20000) if wish == "compensation" else None,
                wish_currency="EUR", wish_other=None, name=rng.choice(NAMES),
                email=f"customer{number}@example.com", phone=None, contact_by="email",
                language=rng.choice(("nl", "nl", "en")), owner_id=owner.id if owner else None,
                created_at=created, updated_at=created, offer_counter=0,
                resolved_at=None if is_open or status == "withdrawn" else created + timedelta(days=5),
                closed_at=created + timedelta(days=20) if status == "closed" else None,
                withdrawn_at=created + timedelta(days=1) if status == "withdrawn" else None,
                escalated_at=created + timedelta(days=2) if is_open and rng.random() < 0.05 else None,
                attention_at=None))
            # Promises, dated as the service dates them. Steps in working days depend only on the
            # day the complaint counts as received, so one plan per timeline and receipt day will do.
            timeline_id = timelines[category.id].id
            if all(step.offset_unit == "working_days" for step in steps[category.id]):
                key = (timeline_id, calendar.receipt_day(created))
            else:
                key = (timeline_id, created)
            if key not in plan_cache:
                plan_cache[key] = [p.due_at for p in plan(steps[category.id], created, calendar)]
            kept = 0 if status == "received" else 1 if status in ("in_progress", "proposal_made") else 3
            for position, (step, due_at) in enumerate(zip(steps[category.id], plan_cache[key], strict=True), start=1):
                promise_id += 1
                state = ("kept" if position <= kept else "open") if status != "withdrawn" else "ended"
                promise_rows.append(dict(
                    id=promise_id, complaint_id=number, position=position, key=step.key,
                    label_nl=step.label_nl, label_en=step.label_en, explanation_nl=step.explanation_nl,
                    explanation_en=step.explanation_en, due_at=due_at, state=state,
                    kept_at=due_at - timedelta(hours=2) if state == "kept" else None,
                    missed_at=None, moved_at=None, move_reason=None, replaces_id=None, agreed_at=None))
            open_due = [p["due_at"] for p in promise_rows[-len(steps[category.id]):] if p["state"] == "open"]
            complaint_rows[-1]["next_due_at"] = min(open_due) if open_due else None  # as the flush hook keeps it
            event_id += 1
            event_rows.append(dict(id=event_id, complaint_id=number, kind="filed", actor="customer",
                                   user_id=None, data={"channel": "web"}, customer_visible=True,
                                   created_at=created))
            link_id += 1
            link_rows.append(dict(id=link_id, complaint_id=number, created_at=created,
                                  token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest()))
        say(f"  {complaints:,} complaints prepared in memory: {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        connection = db.session.connection()
        for table, rows in ((Complaint.__table__, complaint_rows), (Promise.__table__, promise_rows),
                            (Event.__table__, event_rows), (StatusLink.__table__, link_rows)):
            for chunk in batched(rows, 5000):
                connection.execute(insert(table), chunk)
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("complaints", "promises", "events", "status_links"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        db.session.commit()
        say(f"  bulk insert of {complaints:,} complaints, {len(promise_rows):,} promises, "
            f"{len(event_rows):,} events, {len(link_rows):,} links: {time.perf_counter() - t0:.1f} s")
        del complaint_rows, promise_rows, event_rows, link_rows

        # Complaints through the real service: these are the status pages the benchmark reads, at
        # random, more of them than any cache holds. Each is what a customer really has a few days in:
        # some with a message each way, some with an offer waiting, some with a moved date.
        t0 = time.perf_counter()
        tokens, shares = [], {"message": 0, "reply": 0, "offer": 0, "moved": 0}
        agent = db.session.scalar(select(User).where(User.email == "agent@gehoord.example"))
        for number in range(filed):
            category = categories[number % len(categories)]
            draft = filing.start_draft("complaint")
            filing.save_answers(draft, {**draft_answers(number), "category": category.slug,
                                         "email": f"status-reader-{number}@example.com"})
            result = filing.file_draft(draft, calendar=calendar)
            tokens.append(result.token)
            roll = rng.random()
            complaint = result.complaint
            if roll < 0.40:
                service.add_customer_message(complaint, "Ik heb nog een foto van de doos, wilt u die?")
                shares["message"] += 1
                if roll < 0.25:
                    work.claim(complaint, agent)
                    work.reply(complaint, agent, "Beste Fatima, dank u. Ik bel u morgen voor 12 uur.")
                    shares["reply"] += 1
            elif roll < 0.55:
                work.claim(complaint, agent)
                mandate.make_offer(complaint, agent, remedy="refund", amount_cents=2000,
                                   text="Wij betalen u 20 euro terug, binnen 3 werkdagen.",
                                   request_key=secrets.token_urlsafe(16), seen_counter=complaint.offer_counter,
                                   calendar=calendar)
                shares["offer"] += 1
            elif roll < 0.65:
                work.claim(complaint, agent)
                proposal = next(p for p in complaint.promises if p.key == "proposal")
                work.extend_promise(proposal, agent, calendar.local_date(proposal.due_at) + timedelta(days=7),
                                    "Het magazijn zoekt uit wat er met uw pakket gebeurde.", calendar)
                shares["moved"] += 1
            if number % 200 == 199:
                db.session.commit()
        db.session.commit()
        say(f"  {filed:,} complaints filed through the service ({shares['message']:,} with a customer message, "
            f"{shares['reply']:,} of them answered, {shares['offer']:,} with an offer, {shares['moved']:,} with a "
            f"moved date): {time.perf_counter() - t0:.1f} s")

        # The agent's complaint page as it looks in the middle of the work: 10 messages, 5 promises
        # (two dates moved), an offer, and the events all of that records.
        draft = filing.start_draft("complaint")
        filing.save_answers(draft, {**draft_answers(999_999), "email": "agent-page@example.com"})
        busy = filing.file_draft(draft, calendar=calendar).complaint
        work.claim(busy, agent)
        for turn in range(5):
            service.add_customer_message(busy, f"Bericht {turn + 1} van de klant: het pakket is er nog niet.")
            work.reply(busy, agent, f"Beste Fatima, antwoord {turn + 1}: ik zoek het voor u uit en bel u morgen.")
        for key in ("proposal", "resolved"):
            promise = next(p for p in busy.promises if p.key == key and p.state == "open")
            work.extend_promise(promise, agent, calendar.local_date(promise.due_at) + timedelta(days=7),
                                "Wij wachten op de vervoerder.", calendar)
        mandate.make_offer(busy, agent, remedy="refund", amount_cents=2500, text="Wij betalen u 25 euro terug.",
                           request_key=secrets.token_urlsafe(16), seen_counter=busy.offer_counter, calendar=calendar)
        db.session.commit()
        agent_page = dict(reference=busy.reference, messages=len(busy.messages), promises=len(busy.promises),
                          offers=len(busy.offers), events=len(busy.events))
        say(f"  the agent's complaint page: {agent_page}")

        # Finished drafts for the filing benchmark: one per request.
        t0 = time.perf_counter()
        draft_keys = [secrets.token_urlsafe(24) for _ in range(drafts)]
        draft_rows = [dict(key=key, kind="complaint", data=draft_answers(1000 + n), created_at=now, updated_at=now)
                      for n, key in enumerate(draft_keys)]
        connection = db.session.connection()
        for chunk in batched(draft_rows, 5000):
            connection.execute(insert(Draft.__table__), chunk)
        db.session.commit()
        say(f"  {drafts:,} finished drafts: {time.perf_counter() - t0:.1f} s")

        total = db.session.scalar(select(db.func.count(Complaint.id)))
        open_count = db.session.scalar(select(db.func.count(Complaint.id)).where(
            Complaint.status.in_(("received", "in_progress", "proposal_made"))))
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.connect() as c:
                c.exec_driver_sql("ANALYZE")
                c.commit()
                c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()

    # The ceiling reads a random row of all bulk complaints (its cold read), as the status pages are read.
    info = dict(database=url, complaints=total, open_complaints=open_count, filed_shares=shares,
                agent_page=agent_page, tokens=tokens, draft_keys=draft_keys,
                ceiling_references=[bulk_reference(n) for n in range(1, complaints + 1)],
                seconds=round(time.perf_counter() - started, 1))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(info))
    say(f"  seeded in {info['seconds']} s: {total:,} complaints ({open_count:,} open)")
    return info


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SQLITE))
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--drafts", type=int, default=20_000)
    parser.add_argument("--open-share", type=float, default=0.1,
                        help="share of the complaints still open (default 0.1)")
    parser.add_argument("--open-days", type=int, default=56,
                        help="open complaints were filed in this many days before now (default 56)")
    parser.add_argument("--schema", choices=("migrations", "create_all"), default="migrations")
    parser.add_argument("--out", type=Path, default=BENCH / ".data" / "seed.json")
    args = parser.parse_args(argv)
    url = normalise_url(args.database)
    if url.startswith("postgresql"):
        url = dedicated_postgres_url(url)
    seed(url, args.complaints, args.drafts, open_share=args.open_share, open_days=args.open_days,
         schema=args.schema, out=args.out)


if __name__ == "__main__":
    main()
