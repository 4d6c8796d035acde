"""Version counters kept by the database (triggers), so a status page built earlier is known to be
still true: `complaints.version` and `organisations.names_version`. (Migration 0008 removes them
again: the cache they served did not pay for itself. The SQL lives here, not in the app, so this
migration runs the same whatever the app's code is now.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The lists under a complaint that its status page shows.
CHILD_TABLES = ("promises", "messages", "events", "grants")

_SQLITE_CHILD = """
CREATE TRIGGER IF NOT EXISTS {table}_{verb}_raises_complaint_version AFTER {op} ON {table}
BEGIN UPDATE complaints SET version = version + 1 WHERE id = {row}.complaint_id; END
"""

_SQLITE_CATEGORY = """
CREATE TRIGGER IF NOT EXISTS categories_{verb}_raises_names_version AFTER {op} ON categories
BEGIN UPDATE organisations SET names_version = names_version + 1; END
"""

SQLITE = [
    *(_SQLITE_CHILD.format(table=table, verb=verb, op=op, row=row)
      for table in CHILD_TABLES
      for verb, op, row in (("insert", "INSERT", "NEW"), ("update", "UPDATE", "NEW"), ("delete", "DELETE", "OLD"))),
    # An update that did not raise the version itself raises it once (SQLite's triggers do not
    # fire themselves again, and the WHEN stops the one from a child's trigger).
    """
CREATE TRIGGER IF NOT EXISTS complaints_update_raises_version AFTER UPDATE ON complaints
WHEN NEW.version = OLD.version
BEGIN UPDATE complaints SET version = version + 1 WHERE id = NEW.id; END
""",
    """
CREATE TRIGGER IF NOT EXISTS users_name_raises_names_version AFTER UPDATE OF name ON users
WHEN NEW.name IS NOT OLD.name
BEGIN UPDATE organisations SET names_version = names_version + 1; END
""",
    *(_SQLITE_CATEGORY.format(verb=verb, op=verb.upper()) for verb in ("update", "delete")),
]

_POSTGRESQL_CHILD = """
CREATE OR REPLACE TRIGGER {table}_raise_complaint_version AFTER INSERT OR UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION gehoord_raise_complaint_version()
"""

POSTGRESQL = [
    """
CREATE OR REPLACE FUNCTION gehoord_raise_complaint_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE complaints SET version = version + 1 WHERE id = OLD.complaint_id;
  ELSE
    UPDATE complaints SET version = version + 1 WHERE id = NEW.complaint_id;
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE OR REPLACE FUNCTION gehoord_raise_own_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$
""",
    """
CREATE OR REPLACE FUNCTION gehoord_raise_names_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organisations SET names_version = names_version + 1;
  RETURN NULL;
END $$
""",
    *(_POSTGRESQL_CHILD.format(table=table) for table in CHILD_TABLES),
    # Before the row is written: no second UPDATE. A child's trigger already raised it (the WHEN).
    """
CREATE OR REPLACE TRIGGER complaints_raise_version BEFORE UPDATE ON complaints
FOR EACH ROW WHEN (NEW.version = OLD.version) EXECUTE FUNCTION gehoord_raise_own_version()
""",
    """
CREATE OR REPLACE TRIGGER users_name_raises_names_version AFTER UPDATE OF name ON users
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION gehoord_raise_names_version()
""",
    """
CREATE OR REPLACE TRIGGER categories_raise_names_version AFTER UPDATE OR DELETE ON categories
FOR EACH ROW EXECUTE FUNCTION gehoord_raise_names_version()
""",
]

STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def create_triggers(execute, dialect_name: str) -> None:
    """Create (or replace) the triggers; `execute` runs one SQL string (a connection's or alembic's)."""
    if dialect_name not in STATEMENTS:
        raise RuntimeError(f"no version triggers for the {dialect_name} database: add them to portal/versions.py")
    for statement in STATEMENTS[dialect_name]:
        execute(statement.strip())


def drop_triggers(execute, dialect_name: str) -> None:
    names = []
    for statement in STATEMENTS[dialect_name]:
        words = statement.split()
        if "TRIGGER" in words:
            name = words[words.index("TRIGGER") + 1]
            name = words[words.index("EXISTS") + 1] if name == "IF" else name
            names.append((name, words[words.index("ON") + 1]))
    for name, table in names:
        execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if dialect_name == "postgresql" else ""))
    if dialect_name == "postgresql":
        for function in ("gehoord_raise_complaint_version", "gehoord_raise_own_version",
                         "gehoord_raise_names_version"):
            execute(f"DROP FUNCTION IF EXISTS {function}()")



def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names_version', sa.Integer(), server_default='0', nullable=False))
    create_triggers(op.execute, op.get_bind().dialect.name)


def downgrade():
    drop_triggers(op.execute, op.get_bind().dialect.name)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('names_version')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('version')
