"""A mail in the outbox may wait for the worker to write it (subject and bodies empty until then),
so filing a complaint does not pay for rendering its confirmation mail.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:00:00

"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COLUMNS = (('subject', sa.String(length=300)), ('body_text', sa.Text()), ('body_html', sa.Text()))


def upgrade():
    _set_nullable(True)


def downgrade():
    # A mail still waiting to be written cannot go back to a schema without it: write it first
    # (`flask portal send-mail`), or it is given empty text here.
    op.execute("UPDATE outbox SET subject = '' WHERE subject IS NULL")
    op.execute("UPDATE outbox SET body_text = '' WHERE body_text IS NULL")
    op.execute("UPDATE outbox SET body_html = '' WHERE body_html IS NULL")
    _set_nullable(False)


def _set_nullable(nullable: bool) -> None:
    with warnings.catch_warnings():
        # SQLite changes NOT NULL by copying the table, and reflects the complaints table with it (the
        # foreign key); SQLAlchemy cannot reflect its index on lower(email), which is not touched here.
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('outbox', schema=None) as batch_op:
            for name, type_ in COLUMNS:
                batch_op.alter_column(name, existing_type=type_, nullable=nullable)
