"""One word for each thing, and no page cache: `grants` is `offers` (with `made_by_id`, `made_at`),
`users.grant_counter` is `offer_counter`, `complaints.signal_type` is `handled_as`, and event data
say "offer" where they said "grant". The version counters and their triggers (0006) go: the status
page cache they served almost never hit for real visitors (0.02-2.5% of visits on a trace of 10,000
customers over two weeks on 4 workers).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:00:00

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# What 0006 created, by name (this migration carries its own list: it must not depend on app code).
SQLITE_TRIGGERS = [f"{table}_{verb}_raises_complaint_version" for table in ("promises", "messages", "events", "grants")
                   for verb in ("insert", "update", "delete")] + [
    "complaints_update_raises_version", "users_name_raises_names_version",
    "categories_update_raises_names_version", "categories_delete_raises_names_version"]
POSTGRESQL_TRIGGERS = [(f"{table}_raise_complaint_version", table) for table in ("promises", "messages", "events", "grants")] + [
    ("complaints_raise_version", "complaints"), ("users_name_raises_names_version", "users"),
    ("categories_raise_names_version", "categories")]
POSTGRESQL_FUNCTIONS = ("gehoord_raise_complaint_version", "gehoord_raise_own_version", "gehoord_raise_names_version")

INDEXES = (("complaint_id", "complaint_id"), ("granted_by_id", "made_by_id"), ("state", "state"))


def _quietly():
    # SQLite changes a column by copying the table, and cannot reflect the index on lower(email).
    catcher = warnings.catch_warnings()
    catcher.__enter__()
    warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
    return catcher


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name, table in POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    catcher = _quietly()
    try:
        with op.batch_alter_table('complaints', schema=None) as batch_op:
            batch_op.drop_column('version')
            batch_op.alter_column('signal_type', new_column_name='handled_as', existing_type=sa.String(length=20))
        with op.batch_alter_table('organisations', schema=None) as batch_op:
            batch_op.drop_column('names_version')
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.alter_column('grant_counter', new_column_name='offer_counter', existing_type=sa.Integer(),
                                  existing_server_default='0', existing_nullable=False)
    finally:
        catcher.__exit__(None, None, None)
    for old, _new in INDEXES:
        op.drop_index(f'ix_grants_{old}', table_name='grants')
    op.rename_table('grants', 'offers')
    op.execute("ALTER TABLE offers RENAME COLUMN granted_by_id TO made_by_id")
    op.execute("ALTER TABLE offers RENAME COLUMN granted_at TO made_at")
    for _old, new in INDEXES:
        op.create_index(f'ix_offers_{new}', 'offers', [new], unique=False)
    _rename_event_key('grant', 'offer', dialect)


def downgrade():
    dialect = op.get_bind().dialect.name
    _rename_event_key('offer', 'grant', dialect)
    for _old, new in INDEXES:
        op.drop_index(f'ix_offers_{new}', table_name='offers')
    op.execute("ALTER TABLE offers RENAME COLUMN made_by_id TO granted_by_id")
    op.execute("ALTER TABLE offers RENAME COLUMN made_at TO granted_at")
    op.rename_table('offers', 'grants')
    for old, _new in INDEXES:
        op.create_index(f'ix_grants_{old}', 'grants', [old], unique=False)
    catcher = _quietly()
    try:
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.alter_column('offer_counter', new_column_name='grant_counter', existing_type=sa.Integer(),
                                  existing_server_default='0', existing_nullable=False)
        with op.batch_alter_table('organisations', schema=None) as batch_op:
            batch_op.add_column(sa.Column('names_version', sa.Integer(), server_default='0', nullable=False))
        with op.batch_alter_table('complaints', schema=None) as batch_op:
            batch_op.alter_column('handled_as', new_column_name='signal_type', existing_type=sa.String(length=20))
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
    finally:
        catcher.__exit__(None, None, None)
    # The triggers of 0006 are not made again: no code reads the counters any more.


def _rename_event_key(old: str, new: str, dialect: str) -> None:
    """Events of offers carry the offer's id under `old`; afterwards under `new`."""
    if dialect == "postgresql":
        op.execute(f"UPDATE events SET data = ((data::jsonb - '{old}') || jsonb_build_object('{new}', data::jsonb -> '{old}'))::json "
                   f"WHERE data::jsonb ? '{old}'")
    else:
        op.execute(f"UPDATE events SET data = json_remove(json_set(data, '$.{new}', json_extract(data, '$.{old}')), '$.{old}') "
                   f"WHERE json_type(data, '$.{old}') IS NOT NULL")
