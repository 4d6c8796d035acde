"""The search on the agents' queue with 100,000 complaints: p50 and p95 per kind of search.

    .venv/bin/python bench/search.py                                   # SQLite (bench/.data/search.sqlite)
    .venv/bin/python bench/search.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
                                    # PostgreSQL: its own database, gehoord_bench_search

Seeds a fresh database as bench/run.py does (bench/seed.py, through the migrations, so the search
index is filled by the triggers a real database has), then gives one in ten complaints a phone
number and one in five a message. Each request is the real request path: Flask's test client,
`GET /agent/?q=…` as a logged-in agent (session cookie, login check, the search, the page), in
production settings. No result is cached anywhere; every request of a kind searches for another
value where the kind allows it (another reference, address, phone number). Target: p95 < 200 ms.
Results go to bench/results/search[-postgresql].json and .md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

import seed as seeding  # noqa: E402

DATA = BENCH / ".data"
RESULTS = BENCH / "results"
TARGET_P95_MS = 200
MESSAGES = ["Ik heb nog een foto van de doos, wilt u die?", "Is er al nieuws over mijn pakket?",
            "Thank you, the replacement arrived this morning.", "Wanneer krijg ik mijn geld terug?",
            "Wij sturen u vandaag een nieuw exemplaar; excuses voor het wachten."]


def phone_of(number: int) -> str:
    return f"06-{number:08d}"  # as a customer writes it; the agent searches for "06 …" (another way)


def add_phones_and_messages(url: str, complaints: int) -> None:
    """One in ten complaints with a phone number, one in five with a message (through the triggers)."""
    app = seeding.make_app(url)
    from portal.extensions import db
    from portal.models import Complaint, Message

    rng = random.Random(13)
    with app.app_context():
        connection = db.session.connection()
        for start in range(1, complaints + 1, 5000):
            ids = range(start, min(start + 5000, complaints + 1))
            for number in ids:
                if number % 10 == 0:
                    connection.execute(Complaint.__table__.update().where(Complaint.id == number)
                                       .values(phone=phone_of(number)))
            rows = [dict(complaint_id=number, author="customer", user_id=None, body=rng.choice(MESSAGES),
                         created_at=datetime.now(timezone.utc)) for number in ids if number % 5 == 0]
            connection.execute(insert(Message.__table__), rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.remove()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()


def logged_in_client(app):
    """A test client logged in as the demo agent through the login form, CSRF token and all."""
    client = app.test_client()
    base = dict(base_url="https://127.0.0.1")  # production cookies are Secure: only sent over https
    page = client.get("/agent/login", **base).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/agent/login", data=dict(csrf_token=token, email="agent@gehoord.example",
                                                   password="demo-agent"),
                         headers={"Referer": "https://127.0.0.1/agent/login"}, **base)  # CSRF's https check
    assert answer.status_code == 302, answer.status_code
    return client, base


def queries(complaints: int, requests: int, rng: random.Random) -> dict[str, list[str]]:
    """Per kind of search, what the agent types: another value each time where the kind allows it."""
    def numbers(step=1):
        return [rng.randrange(step, complaints + 1, step) for _ in range(requests)]
    return {
        "reference (dash, upper case)": [seeding.bulk_reference(n) for n in numbers()],
        "reference (no dash, lower case)": [seeding.bulk_reference(n).replace("-", "").lower() for n in numbers()],
        "e-mail address": [f"Customer{n}@Example.com" for n in numbers()],
        "phone number": [f"06 {n:08d}" for n in numbers(10)],
        "name (1 in 6 match)": [rng.choice(("Jansen", "Visser", "Smit", "Yilmaz")) for _ in range(requests)],
        "story word (1 in 6 match)": [rng.choice(("regen", "handleiding", "twice", "kind")) for _ in range(requests)],
        "two story words": [rng.choice(("pakket bezorgd", "bill phone", "boek nat")) for _ in range(requests)],
        "message word (1 in 25 match)": [rng.choice(("foto", "replacement", "geld", "exemplaar"))
                                         for _ in range(requests)],
        "no hits": [f"olifant{n}" for n in numbers()],
    }


def measure(url: str, requests: int, complaints: int) -> dict:
    app = seeding.make_app(url)
    client, base = logged_in_client(app)
    rng = random.Random(5)
    results = {}
    for kind, typed in queries(complaints, requests, rng).items():
        times, hits = [], []
        for query in typed:
            started = time.perf_counter()
            response = client.get("/agent/", query_string={"q": query}, **base)
            body = response.get_data(as_text=True)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (kind, query, response.status_code)
            found = re.search(r"(\d[\d.,]*) (?:klacht|klachten) gevonden", body)
            hits.append(int(re.sub(r"\D", "", found.group(1))) if found else 0)
        times.sort()
        results[kind] = dict(p50=round(statistics.median(times), 1),
                             p95=round(times[max(int(len(times) * 0.95) - 1, 0)], 1),
                             max=round(times[-1], 1), requests=len(times),
                             hits_median=int(statistics.median(hits)))
    # A later page of a common word: the offset costs too.
    times = []
    for page in range(2, 2 + requests):
        started = time.perf_counter()
        response = client.get("/agent/", query_string={"q": "regen", "page": page}, **base)
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    results["story word, pages 2 and on"] = dict(p50=round(statistics.median(times), 1),
                                                  p95=round(times[max(int(len(times) * 0.95) - 1, 0)], 1),
                                                  max=round(times[-1], 1), requests=len(times), hits_median=None)
    return results


def report(backend: str, command: str, info: dict, results: dict) -> str:
    lines = [f"`{command}` — {datetime.now(timezone.utc).isoformat(timespec='seconds')}, {backend}, "
             f"{info['complaints']:,} complaints; {os.cpu_count()} CPUs (load average "
             f"{os.getloadavg()[0]:.1f}); Flask test client, `GET /agent/?q=…` as a logged-in agent.", "",
             "| search | requests | results (median) | p50 ms | p95 ms | max ms | target p95 < 200 ms |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for kind, r in results.items():
        met = "met" if r["p95"] < TARGET_P95_MS else "**not met**"
        hits = "" if r["hits_median"] is None else f"{r['hits_median']:,}"
        lines.append(f"| {kind} | {r['requests']} | {hits} | {r['p50']} | {r['p95']} | {r['max']} | {met} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL",
                                                             f"sqlite:///{DATA / 'search.sqlite'}"))
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60, help="requests per kind of search")
    parser.add_argument("--reuse-seed", action="store_true", help="search the database the last run seeded")
    args = parser.parse_args(argv)
    url = seeding.normalise_url(args.database)
    if url.startswith("postgresql"):  # never the tests' database: one of its own, dropped and made again
        parsed = make_url(url)
        if "bench" not in (parsed.database or ""):
            url = parsed.set(database="gehoord_bench_search").render_as_string(hide_password=False)
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    seed_file = DATA / f"search-seed-{backend}.json"
    if args.reuse_seed and seed_file.exists():
        info = json.loads(seed_file.read_text())
    else:
        print(f"seeding {backend} with {args.complaints:,} complaints ...", flush=True)
        info = seeding.seed(url, args.complaints, drafts=0, filed=0, out=seed_file)
        add_phones_and_messages(url, args.complaints)
    results = measure(url, args.requests, args.complaints)
    command = " ".join([".venv/bin/python", "bench/search.py", *(argv if argv is not None else sys.argv[1:])])
    table = report(backend, command, info, results)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if backend == "sqlite" else "-postgresql"
    (RESULTS / f"search{suffix}.json").write_text(json.dumps(dict(backend=backend, info=dict(
        complaints=info["complaints"]), results=results), indent=1))
    (RESULTS / f"search{suffix}.md").write_text(table)
    return 0 if all(r["p95"] < TARGET_P95_MS for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
