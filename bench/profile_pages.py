"""Where a page's time goes: the benchmark's requests, in-process, under cProfile.

    .venv/bin/python bench/profile_pages.py [status|start|filing|queue|mail ...] [--requests 200]

Runs against the database the last `bench/run.py` seeded (bench/.data/seed.json), with the same app
settings as the benchmark (bench/wsgi.py), through Flask's test client (no HTTP server: what is left
is the app). For each page it prints the milliseconds per request spent in each part (database,
templates, translations, forms and CSRF, sessions, the business calendar, ...; a part's time
includes what it calls, so parts overlap) and the functions with the most time of their own.
Full listings go to bench/results/profile-<page>.txt.

Filing consumes drafts (one per request): it takes drafts nobody filed yet, from those run.py left.
"mail" is the mail worker writing one waiting confirmation (what a filing no longer does itself): it
writes the ones the filing runs left, oldest first.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

# Parts of a request, by where the code lives: (label, file pattern, function pattern).
PARTS = [
    ("database: SQL executed (driver)", r"sqlalchemy/engine/default\.py", r"^do_execute$|^do_executemany$"),
    ("database: SQLAlchemy execute, incl. compile", r"sqlalchemy/engine/base\.py", r"^_execute_context$"),
    ("database: ORM loading rows", r"sqlalchemy/orm/loading\.py", r"^instances$"),
    ("database: lazy loads (relationship access)", r"sqlalchemy/orm/strategies\.py", r"^_load_for_state$"),
    ("database: commit", r"sqlalchemy/orm/session\.py", r"^commit$"),
    ("templates: render_template", r"flask/templating\.py", r"^render_template$"),
    ("templates: compile/load (cache misses)", r"jinja2/environment\.py", r"^_load_template$"),
    ("translations: gettext/lazy strings", r"flask_babel/__init__\.py", r"gettext$|^get_translations$"),
    ("babel: locale/date formatting", r"babel/(dates|numbers|core)\.py", r"^format_|^parse$|^__init__$"),
    ("forms: building forms", r"wtforms/form\.py", r"^__call__$"),
    ("forms: CSRF token", r"flask_wtf/csrf\.py", r"^generate_csrf$|^validate_csrf$"),
    ("session: cookie load/save", r"flask/sessions\.py", r"^open_session$|^save_session$"),
    ("login: user loader", r"flask_login/login_manager\.py", r"^_load_user$"),
    ("business calendar", r"portal/services/calendar\.py", r"."),
    ("holidays package", r"holidays/", r"^__init__$|^_populate$"),
    ("outbox: mail rendering", r"portal/services/outbox\.py", r"^queue_mail$|^render_mail$"),
    ("outbox: public_url (test_request_context)", r"portal/services/outbox\.py", r"^public_url$"),
    ("plain-language lint (charter)", r"charter/", r"."),
    ("rate limiter", r"flask_limiter/", r"^_check_request_limit$|^__check_request_limit$"),
]


# Own time (exclusive, adds up to the whole) by the library the code is in.
LIBRARIES = [
    ("SQLAlchemy (ORM, compiling, unit of work)", r"sqlalchemy/"),
    ("database driver (sqlite3 / psycopg)", r"sqlite3|psycopg|socket|select\."),
    ("Jinja2 and the templates", r"jinja2/|/templates/|markupsafe"),
    ("translations and formatting (Babel)", r"babel/|flask_babel/"),
    ("forms and CSRF (WTForms)", r"wtforms/|flask_wtf/|itsdangerous"),
    ("business calendar and holidays", r"portal/services/calendar\.py|holidays/|zoneinfo"),
    ("portal code", r"/portal/|/charter/"),
    ("Flask, Werkzeug, Flask-Login, Limiter", r"flask/|werkzeug/|flask_login/|flask_limiter/|limits/"),
]


def libraries_table(stats: pstats.Stats, requests: int) -> list[tuple[str, float]]:
    totals = {label: 0.0 for label, _ in LIBRARIES}
    totals["other (Python itself, stdlib)"] = 0.0
    for (filename, _line, function), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        where = f"{filename} {function}"
        for label, pattern in LIBRARIES:
            if re.search(pattern, where):
                totals[label] += tt
                break
        else:
            totals["other (Python itself, stdlib)"] += tt
    return [(label, total * 1000 / requests) for label, total in totals.items()]


def prepare(page: str, app, info: dict, count: int):
    """A function that makes one request of this page, as the benchmark does."""
    from run import USER_AGENT, csrf_token

    client = app.test_client()
    headers = {"User-Agent": USER_AGENT}
    if page == "status":
        tokens = info["tokens"]
        state = {"n": 0}

        def call():
            state["n"] += 1
            return client.get(f"/s/{tokens[state['n'] % len(tokens)]}", headers=headers)
        return call
    if page == "start":
        return lambda: client.get("/", headers=headers)
    if page == "queue":
        login = client.get("/agent/login", headers=headers).get_data(as_text=True)
        response = client.post("/agent/login", headers=headers, data={
            "csrf_token": csrf_token(login), "email": "agent@gehoord.example", "password": "demo-agent"})
        assert response.status_code == 302, response.status_code
        return lambda: client.get("/agent/", headers=headers)
    if page == "filing":
        page_html = client.get("/complaint/what-happened", headers=headers).get_data(as_text=True)
        token = csrf_token(page_html)
        from sqlalchemy import text

        from portal.extensions import db

        with app.app_context():  # drafts nobody filed yet (run.py files from the start of the list)
            drafts = db.session.scalars(text(
                "SELECT key FROM drafts WHERE kind = 'complaint' AND key NOT IN "
                "(SELECT submission_key FROM complaints WHERE submission_key IS NOT NULL) "
                "ORDER BY created_at DESC, key LIMIT :n"), {"n": count + 20}).all()
            db.session.remove()
        if len(drafts) < count:
            raise SystemExit(f"only {len(drafts)} unfiled drafts left: seed again (bench/seed.py)")
        state = {"n": 0}

        def call():
            key = drafts[state["n"]]
            state["n"] += 1
            response = client.post("/complaint/check", headers=headers, data={"csrf_token": token, "draft": key})
            assert response.status_code == 302 and "/s/" in response.headers["Location"], response.status_code
            return response
        return call
    if page == "mail":  # not a page: the mail worker writing one waiting confirmation
        from portal.services.outbox import write_waiting

        def call():
            with app.app_context():
                written = write_waiting(limit=1)
            if written != (1, 0):
                raise SystemExit(f"no confirmation waiting to be written ({written}): run the filing first")
            return written
        return call
    raise SystemExit(f"unknown page {page!r}")


def parts_table(stats: pstats.Stats, requests: int) -> list[tuple[str, float]]:
    rows = []
    for label, file_pattern, function_pattern in PARTS:
        total = 0.0
        for (filename, _line, function), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
            if re.search(file_pattern, filename) and re.search(function_pattern, function):
                # Count only calls from outside the same part, so recursion is not counted twice.
                outside = {caller: value for caller, value in callers.items()
                           if not (re.search(file_pattern, caller[0]) and re.search(function_pattern, caller[2]))}
                total += sum(value[3] for value in outside.values()) if outside else ct
        rows.append((label, total * 1000 / requests))
    return rows


def profile(page: str, requests: int, url: str | None = None) -> str:
    info = json.loads((BENCH / ".data" / "seed.json").read_text())
    os.environ["BENCH_DATABASE_URL"] = url or info["database"]
    import wsgi

    app = wsgi.app
    call = prepare(page, app, info, 2 * requests + 20)
    for _ in range(10):  # warm: templates compiled, translations loaded, pool filled
        call()
    started = time.perf_counter()
    for _ in range(requests):
        call()
    plain_ms = (time.perf_counter() - started) * 1000 / requests
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        call()
    profiler.disable()
    profiled_ms = (time.perf_counter() - started) * 1000 / requests

    stats = pstats.Stats(profiler)
    from sqlalchemy import event

    queries = {"n": 0}

    def count(*_args):
        queries["n"] += 1

    from portal.extensions import db

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    call()
    event.remove(engine, "before_cursor_execute", count)

    out = io.StringIO()
    out.write(f"# {page}: {requests} requests in-process (test client)\n")
    out.write(f"{plain_ms:.1f} ms per request without the profiler, {profiled_ms:.1f} ms with it; "
              f"{queries['n']} SQL statements per request\n\n")
    out.write("ms per request (profiled; a part includes what it calls, so parts overlap):\n")
    for label, ms in parts_table(stats, requests):
        if ms >= 0.05:
            out.write(f"  {ms:8.2f}  {label}\n")
    out.write("\nms per request by library (own time, adds up to the profiled total):\n")
    for label, ms in libraries_table(stats, requests):
        out.write(f"  {ms:8.2f}  {label}\n")
    out.write("\nTop functions by own time:\n")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("tottime").print_stats(25)
    out.write(buffer.getvalue().split("\n", 6)[-1] if buffer.getvalue() else "")
    summary = out.getvalue()

    full = io.StringIO()
    pstats.Stats(profiler, stream=full).sort_stats("cumulative").print_stats(80)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / f"profile-{page}.txt").write_text(summary + "\n\nBy cumulative time:\n" + full.getvalue())
    return summary


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Profile the benchmark's pages in-process.")
    parser.add_argument("pages", nargs="*", default=["status", "start", "filing", "queue"])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    for page in args.pages:
        summary = profile(page, args.requests if page != "queue" else max(args.requests // 10, 10))
        print(summary.split("\nTop functions")[0] + "\n")
    print(f"full listings: {BENCH / 'results'}/profile-<page>.txt")


if __name__ == "__main__":
    main()
