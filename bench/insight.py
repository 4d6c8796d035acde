"""The insight pages with 1,000,000 complaints on PostgreSQL: p50 and p95 per page and period, and
the export's memory while it streams.

    .venv/bin/python bench/insight.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
                                     # its own database, gehoord_bench_insight (dropped and made again)
    .venv/bin/python bench/insight.py --reuse-seed ...   # measure the database the last run seeded

Seeds a year of complaints in SQL (generate_series, seeded random): kinds, channels, categories,
statuses and ends, classifications, root causes, wishes, escalations; three dated promises each
(kept, missed, moved, open), offers on one in five (offered, accepted, carried out, declined),
our replies with their reading scores and first-reply hours, customers who wrote first, hand-overs,
reopenings, survey answers, drafts started per day. Then, through the migrations' schema, VACUUM
ANALYZE. Each request is the real request path: Flask's test client as the logged-in demo manager,
production settings, nothing cached; each request of a kind asks for another period (another
month, another quarter, another year's end). Target (issue 15): p95 < 500 ms on every page; the
export streams in constant memory (the server's RSS grows by the same small amount for a month as for
a year). Results: bench/results/insight-postgresql.json and .md.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

import seed as seeding  # noqa: E402

DATA = BENCH / ".data"
RESULTS = BENCH / "results"
TARGET_P95_MS = 500

SEED_SQL = """
SELECT setseed(0.42);
INSERT INTO complaints (id, reference, kind, channel, status, category_id, story, wish, wish_amount_cents,
    wish_currency, name, email, contact_by, language, owner_id, created_at, updated_at, offer_counter,
    resolved_at, closed_at, withdrawn_at, escalated_at, handled_as, root_cause, survey_asked_at,
    first_reply_at, first_reply_hours, timeline_id)
SELECT n, 'B' || lpad(n::text, 8, '0'),
    (ARRAY['complaint','complaint','complaint','complaint','complaint','complaint','complaint','compliment',
           'compliment','suggestion'])[1 + (r.a * 10)::int % 10],
    (ARRAY['web','web','web','web','web','web','web','phone','counter','letter'])[1 + (r.b * 10)::int % 10],
    s.status, :first_category + (r.c * :categories)::int % :categories,
    'Mijn pakket lag in de regen en het boek is nat.', CASE WHEN r.d < 0.3 THEN 'compensation' ELSE 'fix' END,
    CASE WHEN r.d < 0.3 THEN 2500 END, 'EUR', 'Klant ' || n, 'customer' || n || '@example.com', 'email', 'nl',
    CASE WHEN s.status <> 'received' THEN :first_agent + n % 3 END, t.created, t.created, 0,
    CASE WHEN s.status IN ('resolved', 'closed') AND r.e < 0.7 THEN t.created + interval '1 day' * (r.f * 40) END,
    CASE WHEN s.status = 'closed' THEN t.created + interval '1 day' * (r.f * 60 + 2) END,
    CASE WHEN s.status = 'withdrawn' THEN t.created + interval '1 day' END,
    CASE WHEN r.g < 0.03 THEN t.created + interval '2 days' END,
    CASE WHEN r.h < 0.6 THEN 'fix' WHEN r.h < 0.85 THEN 'listen' END,
    CASE WHEN r.h < 0.85 THEN (ARRAY['system','process','product','behaviour','unknown'])[1 + (r.a * 50)::int % 5] END,
    CASE WHEN s.status IN ('resolved', 'closed') AND r.e < 0.5 THEN t.created + interval '6 days' END,
    CASE WHEN r.f < 0.8 THEN t.created + interval '1 hour' * (r.g * 30) END,
    CASE WHEN r.f < 0.8 THEN round((r.g * 20)::numeric, 2) END,
    CASE WHEN n % 50 <> 0 THEN :timeline END
FROM generate_series(1, :complaints) AS n,
LATERAL (SELECT random() AS a, random() AS b, random() AS c, random() AS d, random() AS e, random() AS f,
                random() AS g, random() AS h, n AS k) AS r,
LATERAL (SELECT :now - interval '1 day' * (random() * 365) AS created, r.k) AS t,
LATERAL (SELECT (ARRAY['received','in_progress','proposal_made','resolved','resolved','closed','closed','closed',
                       'closed','withdrawn'])[1 + (r.e * 10)::int % 10] AS status, r.k) AS s;

INSERT INTO promises (complaint_id, position, key, label_nl, label_en, due_at, state, kept_at, missed_at, moved_at)
SELECT c.id, p.position, p.key, p.key, p.key, c.created_at + interval '1 day' * (p.position * 2), x.state,
    CASE WHEN x.state = 'kept' THEN c.created_at + interval '1 day' * (p.position * 2 - 1) END,
    CASE WHEN x.state = 'missed' THEN c.created_at + interval '1 day' * (p.position * 2) END,
    CASE WHEN x.state = 'moved' THEN c.created_at + interval '1 day' * (p.position) END
FROM complaints c
CROSS JOIN (VALUES (1, 'contact'), (2, 'answered'), (3, 'resolved')) AS p(position, key)
CROSS JOIN LATERAL (SELECT CASE WHEN random() < 0.8 THEN 'kept' WHEN random() < 0.5 THEN 'missed'
                                WHEN random() < 0.5 THEN 'moved' ELSE 'open' END AS state, c.id AS k) AS x;

INSERT INTO offers (complaint_id, request_key, remedy, amount_cents, currency, text, state, made_by_id, made_at,
                    answered_at, carried_out_at)
SELECT c.id, 'bench-' || c.id, (ARRAY['refund','credit','voucher','apology','gift'])[1 + (c.id / 5) % 5],
    CASE WHEN (c.id / 5) % 5 = 3 THEN 0 ELSE 500 + (c.id * 37) % 9500 END, 'EUR', 'Wij betalen u terug.', x.state,
    :first_agent, c.created_at + interval '1 day',
    CASE WHEN x.state <> 'offered' THEN c.created_at + interval '2 days' END,
    CASE WHEN x.state = 'carried_out' THEN c.created_at + interval '4 days' END
FROM complaints c
CROSS JOIN LATERAL (SELECT (ARRAY['offered','accepted','carried_out','carried_out','declined','ended'])
                           [1 + (random() * 6)::int % 6] AS state, c.id AS k) AS x
WHERE c.kind = 'complaint' AND c.id % 5 = 0;

UPDATE complaints c SET offer_reached_at = o.made_at, offer_accepted_at = o.answered_at
FROM (SELECT complaint_id, made_at, CASE WHEN state IN ('accepted', 'carried_out') THEN answered_at END AS answered_at
      FROM offers) o WHERE o.complaint_id = c.id;

INSERT INTO messages (complaint_id, author, user_id, body, created_at, reading_score, lint_warned)
SELECT c.id, 'agent', :first_agent, 'Wij betalen u terug. Het geld staat morgen op uw rekening.',
       c.first_reply_at, 40 + (c.id % 50), c.id % 17 = 0
FROM complaints c WHERE c.first_reply_at IS NOT NULL;
INSERT INTO messages (complaint_id, author, body, created_at)
SELECT c.id, 'customer', 'Hoe staat het ervoor?', c.created_at + interval '1 hour'
FROM complaints c WHERE c.id % 10 = 0;
UPDATE complaints SET customer_wrote_first = true
WHERE id % 10 = 0 AND (first_reply_at IS NULL OR first_reply_at > created_at + interval '1 hour');

INSERT INTO events (complaint_id, kind, actor, data, customer_visible, created_at)
SELECT c.id, 'handed_over', 'agent', '{}'::json, true, c.created_at + interval '3 hours'
FROM complaints c WHERE c.id % 10 = 1;
INSERT INTO events (complaint_id, kind, actor, data, customer_visible, created_at)
SELECT c.id, 'reopened', 'customer', '{}'::json, true, c.resolved_at + interval '2 days'
FROM complaints c WHERE c.id % 50 = 2 AND c.resolved_at IS NOT NULL;

INSERT INTO survey_answers (complaint_id, solved, treatment, come_back, answered_at)
SELECT c.id, (ARRAY['yes','yes','partly','no'])[1 + c.id % 4], 1 + c.id % 5, (ARRAY['yes','maybe','no'])[1 + c.id % 3],
       c.survey_asked_at + interval '1 day'
FROM complaints c WHERE c.survey_asked_at IS NOT NULL AND c.id % 3 = 0;

INSERT INTO drafts_started (day, count)
SELECT d::date, 3500 FROM generate_series(CAST(:now AS date) - 366, CAST(:now AS date), interval '1 day') AS d;
"""


def seed(url: str, complaints: int) -> dict:
    started = time.perf_counter()
    url = seeding.recreate_database(url)
    app = seeding.make_app(url)
    from flask_migrate import upgrade
    from portal.extensions import db
    from portal.models import Category, PromiseTimeline, User
    from portal.services.demo import load_demo
    from sqlalchemy import select

    with app.app_context():
        upgrade(directory=str(seeding.ROOT / "migrations"))
        load_demo()
        db.session.commit()
        categories = db.session.scalars(select(Category.id).order_by(Category.id)).all()
        agent = db.session.scalar(select(User.id).where(User.role == "agent").order_by(User.id))
        connection = db.session.connection()
        timeline = db.session.scalar(select(PromiseTimeline.id).order_by(PromiseTimeline.id))
        values = dict(complaints=complaints, first_category=categories[0], categories=len(categories),
                      first_agent=agent, now=datetime.now(timezone.utc), timeline=timeline)
        for statement in SEED_SQL.split(";\n"):
            if statement.strip():
                t0 = time.perf_counter()
                connection.execute(text(statement), {k: v for k, v in values.items() if f":{k}" in statement})
                print(f"  {statement.split()[0:3]} {time.perf_counter() - t0:.1f} s", flush=True)
        for table in ("complaints", "promises", "offers", "messages", "events", "survey_answers"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        db.session.commit()
        total = db.session.scalar(text("SELECT count(*) FROM complaints"))
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return dict(complaints=total, seconds=round(time.perf_counter() - started, 1))


def logged_in_manager(app):
    client = app.test_client()
    base = dict(base_url="https://127.0.0.1")
    page = client.get("/agent/login", **base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/agent/login", data=dict(csrf_token=token, email="manager@gehoord.example",
                                                   password="demo-manager"),
                         headers={"Referer": "https://127.0.0.1/agent/login"}, **base)
    assert answer.status_code == 302, answer.status_code
    return client, base


def periods(kind: str, requests: int, today: date, rng: random.Random) -> list[dict]:
    """Another period for every request of a kind."""
    asked = []
    for _ in range(requests):
        back = rng.randrange(1, 11)
        month_first = (today.replace(day=1) - timedelta(days=30 * back)).replace(day=1)
        if kind == "month":
            asked.append({"month": month_first.strftime("%Y-%m")})
        elif kind == "quarter":
            asked.append({"from": month_first.isoformat(), "to": (month_first + timedelta(days=91)).isoformat()})
        else:  # a year, ending on another day of the last month
            last = today - timedelta(days=rng.randrange(0, 30))
            asked.append({"from": (last - timedelta(days=364)).isoformat(), "to": last.isoformat()})
    return asked


def rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def organisation_at_work(app, rng: random.Random, changes: int) -> None:
    """What happens between two looks at the figures, through the services the pages use: for each
    change, a customer writes on a complaint of the year, or its owner replies to an open one (a
    scored reply today, and a first reply counted on the day it was filed)."""
    from portal.extensions import db
    from portal.models import Complaint
    from portal.services import complaints as complaint_service, work

    with app.app_context():
        top = db.session.scalar(text("SELECT max(id) FROM complaints"))
        for number in range(changes):
            if number % 2 == 0:
                complaint = db.session.get(Complaint, rng.randrange(1, top + 1))
                complaint_service.customer_message(complaint, "Hoe staat het ervoor?", datetime.now(timezone.utc))
            else:
                complaint = db.session.get(Complaint, db.session.scalar(text(
                    "SELECT id FROM complaints WHERE status IN ('in_progress', 'received') AND owner_id IS NOT NULL"
                    " AND id > :start ORDER BY id LIMIT 1"), {"start": rng.randrange(1, top)}))
                if complaint is not None:
                    work.reply(complaint, complaint.owner, "Dank u voor uw bericht. Ik bel u morgen om tien uur.")
        db.session.commit()
        db.session.remove()


def fold_in(app) -> tuple[int, float]:
    """The worker's round (`flask portal insight-summary --loop`): (days counted, seconds)."""
    from portal.extensions import db
    from portal.services import insight_summary

    with app.app_context():
        started = time.perf_counter()
        days = insight_summary.bring_up_to_date()
        db.session.commit()
        took = time.perf_counter() - started
        db.session.remove()
    return days, took


def timed(client, base, path, query) -> float:
    started = time.perf_counter()
    response = client.get(path, query_string=query, **base)
    response.get_data()
    took = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, query, response.status_code)
    return took


def p95(times: list[float]) -> float:
    """The nearest-rank 95th percentile of sorted times (with 5 requests: the slowest)."""
    return times[max(math.ceil(len(times) * 0.95) - 1, 0)]


def measure(url: str, requests: int, changes: int) -> dict:
    from flask_migrate import upgrade

    app = seeding.make_app(url)
    with app.app_context():
        upgrade(directory=str(seeding.ROOT / "migrations"))  # a database seeded by an older version
    # The summary per day and category, counted once from scratch (as after the upgrade that adds it).
    built_days, built_seconds = fold_in(app)
    client, base = logged_in_manager(app)
    rng = random.Random(7)
    today = datetime.now(timezone.utc).date()
    results = {}
    pages = [("overview", "/insight/"), ("charter scorecard", "/insight/charter"),
             ("complaints return", "/insight/return")]

    def look(path, query) -> float:
        # Before every look, `changes` customers wrote since the worker's last round: the page
        # folds those in itself before it reads (what a manager really gets).
        organisation_at_work(app, rng, changes)
        return timed(client, base, path, query)

    for kind in ("month", "quarter", "year"):
        for name, path in pages:
            times = sorted(look(path, query) for query in periods(kind, requests, today, rng))
            results[f"{name}, a {kind}"] = dict(p50=round(statistics.median(times), 1), p95=round(p95(times), 1),
                                                max=round(times[-1], 1), requests=len(times))
    times = sorted(look(f"/insight/month/{query['month']}", {}) for query in periods("month", requests, today, rng))
    results["monthly review"] = dict(p50=round(statistics.median(times), 1), p95=round(p95(times), 1),
                                     max=round(times[-1], 1), requests=len(times))
    # The export: read as a browser does, chunk by chunk; the server's memory is sampled as it goes.
    memory = {}
    for kind in ("month", "year"):
        query = periods(kind, 1, today, rng)[0]
        before = rss_kb()
        peak, rows, started = before, 0, time.perf_counter()
        response = client.get("/insight/export.csv", query_string=query, buffered=False, **base)
        for chunk in response.response:
            rows += chunk.count("\n") if isinstance(chunk, str) else chunk.count(b"\n")
            peak = max(peak, rss_kb())
        response.close()
        memory[kind] = dict(rows=rows - 1, seconds=round(time.perf_counter() - started, 1),
                            rss_growth_mb=round((peak - before) / 1024, 1))
    # The worker's round after a busy minute: 50 changes on complaints all over the year.
    organisation_at_work(app, rng, 50)
    worker_days, worker_seconds = fold_in(app)
    summary = dict(built_days=built_days, built_seconds=round(built_seconds, 1), changes_per_look=changes,
                   worker_changes=50, worker_days=worker_days, worker_seconds=round(worker_seconds, 2))
    return dict(pages=results, export=memory, summary=summary)


def report(command: str, info: dict, results: dict) -> str:
    lines = [f"`{command}` — {datetime.now(timezone.utc).isoformat(timespec='seconds')}, PostgreSQL, "
             f"{info['complaints']:,} complaints; {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f}); "
             "Flask test client as the logged-in manager, production settings.", "",
             f"| page | requests | p50 ms | p95 ms | max ms | target p95 < {TARGET_P95_MS} ms |",
             "|---|---:|---:|---:|---:|---|"]
    for name, r in results["pages"].items():
        met = "met" if r["p95"] < TARGET_P95_MS else "**not met**"
        lines.append(f"| {name} | {r['requests']} | {r['p50']} | {r['p95']} | {r['max']} | {met} |")
    lines += ["", "| CSV export | rows | seconds | server RSS growth while streaming |", "|---|---:|---:|---:|"]
    for kind, r in results["export"].items():
        lines.append(f"| a {kind} | {r['rows']:,} | {r['seconds']} | {r['rss_growth_mb']} MB |")
    summary = results["summary"]
    lines += ["", f"Before each look, {summary['changes_per_look']} change(s) no worker folded in yet (a customer's "
              "message on a random complaint of the year, an owner's reply on a random open one): the page "
              "counted their days again itself.", "",
              "| the summary per day and category | days counted | seconds |", "|---|---:|---:|",
              f"| built from scratch (after the upgrade) | {summary['built_days']} | {summary['built_seconds']} |",
              f"| the worker's round after {summary['worker_changes']} changes | {summary['worker_days']} | "
              f"{summary['worker_seconds']} |"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20, help="requests per page and kind of period")
    parser.add_argument("--reuse-seed", action="store_true")
    parser.add_argument("--changes", type=int, default=2,
                        help="changes before each look that the page folds into the summary itself")
    args = parser.parse_args(argv)
    url = seeding.normalise_url(args.database)
    if not url.startswith("postgresql"):
        raise SystemExit("bench/insight.py measures PostgreSQL (the scale path); give --database postgresql+psycopg://…")
    parsed = make_url(url)
    if "bench" not in (parsed.database or ""):
        url = parsed.set(database="gehoord_bench_insight").render_as_string(hide_password=False)
    seed_file = DATA / "insight-seed.json"
    if args.reuse_seed and seed_file.exists():
        info = json.loads(seed_file.read_text())
    else:
        print(f"seeding PostgreSQL with {args.complaints:,} complaints ...", flush=True)
        info = seed(url, args.complaints)
        DATA.mkdir(exist_ok=True)
        seed_file.write_text(json.dumps(info))
    results = measure(url, args.requests, args.changes)
    command = " ".join([".venv/bin/python", "bench/insight.py", *(argv if argv is not None else sys.argv[1:])])
    table = report(command, info, results)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "insight-postgresql.json").write_text(json.dumps(dict(info=info, results=results), indent=1))
    (RESULTS / "insight-postgresql.md").write_text(table)
    return 0 if all(r["p95"] < TARGET_P95_MS for r in results["pages"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
