"""Insight: the charter's targets and the handling cost an admin sets, and drafts started per day.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 18:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('charter_targets', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('handling_cost_per_hour_cents', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('handling_minutes_per_complaint', sa.Integer(), nullable=False,
                                   server_default='60'))
    op.create_table(
        'drafts_started',
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('count', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    op.drop_table('drafts_started')
    with op.batch_alter_table('organisations') as batch:
        for column in ('handling_minutes_per_complaint', 'handling_cost_per_hour_cents', 'charter_targets'):
            batch.drop_column(column)
