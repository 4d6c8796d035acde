"""The search index: one row per complaint with the words of its name, phone, story and messages.

The database keeps it, with triggers on `complaints` and `messages`: filing writes its rows with plain
INSERT statements (not through the session), erasure through the ORM, and a later door may write in
yet another way; a trigger sees them all, so a new message is findable at once and erased words are
gone at once.

- SQLite: an FTS5 table (`rowid` is the complaint's id; the porter stemmer for English, accents
  folded). SQLite has no Dutch stemmer: a Dutch word is found as written.
- PostgreSQL: a table with one `tsvector` per complaint (Dutch and English stemming combined) and a
  GIN index on it.

The phone number is indexed as its digits only, so "06-1234 5678" and "0612345678" are the same word.
`db.create_all()` makes it through the DDL events below; migration 0016 makes the same from its own
frozen copy (a migration must not change when this file does).
"""
from __future__ import annotations

from sqlalchemy import DDL, event

TABLE = "complaint_search"


def is_index_table(name: str) -> bool:
    """The search table and the tables SQLite's FTS5 keeps beside it: not in the models' metadata."""
    return name == TABLE or name.startswith(TABLE + "_")


# Plain SQL, written out (no string building): what the database runs is what you read. The phone's
# digits: what `is_phone_number` lets through besides digits is taken out (spaces - . ( ) +).
SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE complaint_search USING fts5(name, phone, story, messages,
        tokenize = 'porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER complaint_search_filed AFTER INSERT ON complaints BEGIN
        INSERT INTO complaint_search (rowid, name, phone, story, messages) VALUES (new.id, new.name,
            replace(replace(replace(replace(replace(replace(coalesce(new.phone, ''),
                ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''),
            new.story, (SELECT group_concat(body, ' ')
            FROM messages WHERE complaint_id = new.id));
    END""",
    """CREATE TRIGGER complaint_search_changed AFTER UPDATE OF name, phone, story ON complaints BEGIN
        UPDATE complaint_search SET name = new.name, story = new.story,
            phone = replace(replace(replace(replace(replace(replace(coalesce(new.phone, ''),
                ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', '')
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER complaint_search_removed AFTER DELETE ON complaints BEGIN
        DELETE FROM complaint_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER complaint_search_message_added AFTER INSERT ON messages BEGIN
        UPDATE complaint_search SET messages = (SELECT group_concat(body, ' ')
            FROM messages WHERE complaint_id = new.complaint_id)
        WHERE rowid = new.complaint_id;
    END""",
    """CREATE TRIGGER complaint_search_message_changed AFTER UPDATE OF body ON messages BEGIN
        UPDATE complaint_search SET messages = (SELECT group_concat(body, ' ')
            FROM messages WHERE complaint_id = new.complaint_id)
        WHERE rowid = new.complaint_id;
    END""",
    """CREATE TRIGGER complaint_search_message_removed AFTER DELETE ON messages BEGIN
        UPDATE complaint_search SET messages = (SELECT group_concat(body, ' ')
            FROM messages WHERE complaint_id = old.complaint_id)
        WHERE rowid = old.complaint_id;
    END""",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS complaint_search"]  # the triggers go with their tables

POSTGRESQL_CREATE = [
    """CREATE TABLE complaint_search (
        complaint_id integer PRIMARY KEY REFERENCES complaints (id) ON DELETE CASCADE,
        document tsvector NOT NULL)""",
    "CREATE INDEX ix_complaint_search_document ON complaint_search USING gin (document)",
    # Dutch and English stems of the same words: a search word is looked up in both (services/search.py).
    """CREATE OR REPLACE FUNCTION complaint_search_refresh(refreshed integer) RETURNS void LANGUAGE sql AS $$
        INSERT INTO complaint_search (complaint_id, document)
        SELECT c.id, to_tsvector('dutch', words.text) || to_tsvector('english', words.text)
        FROM complaints c, LATERAL (SELECT concat_ws(' ', c.name,
            regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g'), c.story,
            (SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM messages m WHERE m.complaint_id = c.id))
            AS text) words
        WHERE c.id = refreshed
        ON CONFLICT (complaint_id) DO UPDATE SET document = excluded.document
    $$""",
    """CREATE OR REPLACE FUNCTION complaint_search_on_complaint() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM complaint_search_refresh(NEW.id); RETURN NULL; END $$""",
    """CREATE OR REPLACE FUNCTION complaint_search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN PERFORM complaint_search_refresh(OLD.complaint_id); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM complaint_search_refresh(NEW.complaint_id); END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER complaint_search_complaint AFTER INSERT OR UPDATE OF name, phone, story ON complaints
        FOR EACH ROW EXECUTE FUNCTION complaint_search_on_complaint()""",
    """CREATE TRIGGER complaint_search_message AFTER INSERT OR UPDATE OF body, complaint_id OR DELETE ON messages
        FOR EACH ROW EXECUTE FUNCTION complaint_search_on_message()""",
]
POSTGRESQL_DROP = [
    "DROP TABLE IF EXISTS complaint_search",
    # CASCADE: the triggers that call them go too (drop_all drops their tables just after).
    "DROP FUNCTION IF EXISTS complaint_search_on_complaint() CASCADE",
    "DROP FUNCTION IF EXISTS complaint_search_on_message() CASCADE",
    "DROP FUNCTION IF EXISTS complaint_search_refresh(integer)",
]


def keep_with(metadata) -> None:
    """Make and drop the index with the tables: `db.create_all()` and `db.drop_all()` (the tests)."""
    for dialect, create, drop in (("sqlite", SQLITE_CREATE, SQLITE_DROP),
                                  ("postgresql", POSTGRESQL_CREATE, POSTGRESQL_DROP)):
        for statement in create:
            event.listen(metadata, "after_create", DDL(statement).execute_if(dialect=dialect))
        for statement in drop:
            event.listen(metadata, "before_drop", DDL(statement).execute_if(dialect=dialect))
