"""The agent's desk: reply templates the organisation owns (with the three defaults), saved queue views,
and a person's switch for single-key shortcuts.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 06:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from portal.services.reply_templates import DEFAULTS

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    templates = op.create_table(
        'reply_templates',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('title', sa.String(80), nullable=False),
        sa.Column('language', sa.String(2), nullable=False),
        sa.Column('kind', sa.String(20), nullable=True),
        sa.Column('category_id', sa.Integer(), sa.ForeignKey('categories.id'), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True))
    op.create_table(
        'saved_views',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('name', sa.String(60), nullable=False),
        sa.Column('query', sa.String(500), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))
    op.create_index('ix_saved_views_owner_id', 'saved_views', ['owner_id'])
    op.add_column('users', sa.Column('shortcuts_off', sa.Boolean(), nullable=False, server_default=sa.false()))
    # An organisation that exists already starts with the defaults, as a new one does.
    if op.get_bind().execute(sa.text("SELECT count(*) FROM organisations")).scalar():
        now = datetime.now(timezone.utc)
        op.bulk_insert(templates, [
            dict(title=title, language=language, kind=None, category_id=None, body=body, position=position,
                 updated_at=now)
            for language, rows in DEFAULTS.items() for position, (title, body) in enumerate(rows, start=1)])


def downgrade():
    op.drop_column('users', 'shortcuts_off')
    op.drop_index('ix_saved_views_owner_id', 'saved_views')
    op.drop_table('saved_views')
    op.drop_table('reply_templates')
