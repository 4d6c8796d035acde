"""Insight at a million complaints: a summary per local day and category, and what made it stale.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 21:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'insight_days',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('brief', sa.JSON(), nullable=True),
        sa.UniqueConstraint('category_id', 'day'))
    op.create_table(
        'insight_stale',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('complaint_id', sa.Integer(), nullable=True),
        sa.Column('part', sa.String(10), nullable=True),
        sa.Column('day', sa.Date(), nullable=True))
    op.create_index('ix_complaints_id_dimensions', 'complaints', ['id'],
                    postgresql_include=['category_id', 'kind', 'root_cause'])
    op.create_index('ix_offers_carried_out_at', 'offers', ['carried_out_at'],
                    postgresql_include=['complaint_id', 'state', 'amount_cents'])
    # Nothing is summarised yet: one note that everything is stale makes the first reader (or
    # `flask portal insight-summary`) count every day once.
    op.execute("INSERT INTO insight_stale (complaint_id, day) VALUES (NULL, NULL)")


def downgrade():
    op.drop_index('ix_offers_carried_out_at', 'offers')
    op.drop_index('ix_complaints_id_dimensions', 'complaints')
    op.drop_table('insight_stale')
    op.drop_table('insight_days')
