"""The monthly review's five stories, picked by a supervisor.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 18:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'month_stories',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('month', sa.String(7), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('complaint_id', sa.Integer(), sa.ForeignKey('complaints.id'), nullable=False, index=True),
        sa.Column('picked_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('picked_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('month', 'position'),
        sa.UniqueConstraint('month', 'complaint_id'))


def downgrade():
    op.drop_table('month_stories')
