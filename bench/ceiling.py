"""The ceiling: a bare Flask app that does the least a page of ours must do, on the same gunicorn
settings, against the same database.

- GET  /page/<reference>?size=N  reads one complaint by an indexed key (the unique `reference`) and
  renders a Jinja page of about N bytes (run.py passes the size of the portal page it stands for);
- GET  /form?size=N              renders a bare form page of about N bytes (a question page's
  stand-in: a text area and a hidden field, no session, no database);
- POST /insert                   inserts one row (into its own table, with a unique indexed key),
  commits, and redirects, as the filing POST does.

No sessions, no forms, no ORM, no translations: what is left is Flask, Jinja, one query and the
WSGI server. The portal's figures are reported as a share of these.

    BENCH_DATABASE_URL=sqlite:///... gunicorn --workers 2 --chdir bench ceiling:app
"""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from functools import lru_cache

from flask import Flask, abort, redirect, request
from sqlalchemy import (Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, event,
                        insert, select)

metadata = MetaData()
complaints = Table("complaints", MetaData(), Column("id", Integer, primary_key=True),
                   Column("reference", String(16)), Column("status", String(20)), Column("name", String(200)),
                   Column("story", Text), Column("created_at", String))
ceiling_rows = Table("bench_ceiling_rows", metadata, Column("id", Integer, primary_key=True),
                     Column("key", String(64), unique=True, nullable=False), Column("body", Text, nullable=False),
                     Column("created_at", DateTime(timezone=True), nullable=False))

HEAD = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/css/portal.css"></head>
<body><header><a href="/">Gehoord</a></header>
<main><h1>{{ title }}</h1>
"""
PAGE = HEAD + """<dl><dt>Reference</dt><dd>{{ row.reference }}</dd><dt>Status</dt><dd>{{ row.status }}</dd>
<dt>Name</dt><dd>{{ row.name }}</dd></dl>
<p>{{ row.story }}</p>
{% for paragraph in filler %}<p>{{ paragraph }}</p>
{% endfor %}</main></body></html>"""

FORM = HEAD + """<form method="post" novalidate><input type="hidden" name="csrf_token" value="{{ token }}">
<label for="story">{{ title }}</label><textarea id="story" name="story" rows="8"></textarea>
{% for paragraph in filler %}<p>{{ paragraph }}</p>
{% endfor %}<button type="submit">Verder</button></form></main></body></html>"""


def make_engine(url: str):
    engine = create_engine(url, pool_pre_ping=True)  # the portal's engine option
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # the portal's SQLite pragmas
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    return engine


def prepare(url: str) -> None:
    """Create the ceiling's insert table (run once, before the workers start)."""
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    engine.dispose()


SENTENCE = "Wij lezen elk bericht en laten u weten wat we ermee doen, met een datum voor elke stap. "


@lru_cache(maxsize=64)
def filler(size: int, skeleton: int) -> tuple[str, ...]:
    """Paragraphs that bring a page whose skeleton (with the row) is `skeleton` bytes to `size` bytes."""
    per_paragraph = len(SENTENCE) + len("<p></p>\n")
    return tuple(SENTENCE for _ in range(max(size - skeleton, 0) // per_paragraph))


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    engine = make_engine(url or os.environ["BENCH_DATABASE_URL"])
    page = app.jinja_env.from_string(PAGE)  # compiled once, as Flask caches a file template
    skeletons: dict[int, int] = {}

    @app.get("/page/<reference>")
    def read_page(reference):
        with engine.connect() as connection:
            row = connection.execute(
                select(complaints.c.reference, complaints.c.status, complaints.c.name, complaints.c.story)
                .where(complaints.c.reference == reference)).first()
        if row is None:
            abort(404)
        size = request.args.get("size", 8000, type=int)
        if size not in skeletons:  # measured once per size: the page without filler
            skeletons[size] = len(page.render(title="Uw klacht", row=row, filler=()).encode())
        return page.render(title="Uw klacht", row=row, filler=filler(size, skeletons[size]))

    form = app.jinja_env.from_string(FORM)
    form_skeletons: dict[int, int] = {}

    @app.get("/form")
    def form_page():
        size = request.args.get("size", 8000, type=int)
        token = secrets.token_hex(20)
        if size not in form_skeletons:
            form_skeletons[size] = len(form.render(title="Wat is er gebeurd?", token=token, filler=()).encode())
        return form.render(title="Wat is er gebeurd?", token=token, filler=filler(size, form_skeletons[size]))

    @app.post("/insert")
    def insert_row():
        body = request.form.get("story", "")
        with engine.begin() as connection:
            connection.execute(insert(ceiling_rows).values(
                key=secrets.token_urlsafe(24), body=body, created_at=datetime.now(timezone.utc)))
        return redirect("/page/done", code=302)

    return app


app = create_app() if "BENCH_DATABASE_URL" in os.environ else None
