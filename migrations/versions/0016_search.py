"""Search: an index of each complaint's name, phone, story and messages, kept by triggers.

SQLite: an FTS5 table; PostgreSQL: a tsvector (Dutch and English) per complaint with a GIN index.
The statements are a frozen copy of portal/search_index.py as it was for this revision.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 10:00:00

"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

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
SQLITE_DROP = ["DROP TABLE IF EXISTS complaint_search"]

POSTGRESQL_CREATE = [
    """CREATE TABLE complaint_search (
        complaint_id integer PRIMARY KEY REFERENCES complaints (id) ON DELETE CASCADE,
        document tsvector NOT NULL)""",
    "CREATE INDEX ix_complaint_search_document ON complaint_search USING gin (document)",

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

# The complaints there are already: indexed once, as the triggers would have.
SQLITE_FILL = (
    "INSERT INTO complaint_search (rowid, name, phone, story, messages) "
    "SELECT id, name, replace(replace(replace(replace(replace(replace(coalesce(phone, ''), ' ', ''), '-', ''), "
    "'.', ''), '(', ''), ')', ''), '+', ''), story, "
    "(SELECT group_concat(body, ' ') FROM messages WHERE complaint_id = complaints.id) FROM complaints")
POSTGRESQL_FILL = "SELECT complaint_search_refresh(id) FROM complaints"


def _statements(create: bool):
    postgresql = op.get_bind().dialect.name == "postgresql"
    if create:
        return POSTGRESQL_CREATE + [POSTGRESQL_FILL] if postgresql else SQLITE_CREATE + [SQLITE_FILL]
    return POSTGRESQL_DROP if postgresql else SQLITE_DROP


def upgrade():
    for statement in _statements(create=True):
        op.execute(statement)


def downgrade():
    for statement in _statements(create=False):
        op.execute(statement)
