"""Staff are told: notices per person gathered into at most one digest mail an hour, category
subscriptions, and each person's language and the kinds they turned off.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 08:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('notice_hours_before', sa.Integer(), nullable=False, server_default='4'))
        batch.add_column(sa.Column('notices_read_to_event', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('language', sa.String(2), nullable=False, server_default='nl'))
        batch.add_column(sa.Column('notices_off', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('last_digest_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'category_subscriptions',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), primary_key=True),
        sa.Column('category_id', sa.Integer(), sa.ForeignKey('categories.id'), primary_key=True, index=True))
    op.create_table(
        'staff_notices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False, index=True),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('complaint_id', sa.Integer(), sa.ForeignKey('complaints.id'), nullable=False, index=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id'), nullable=True),
        sa.Column('promise_id', sa.Integer(), sa.ForeignKey('promises.id'), nullable=True, index=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True, index=True),
        sa.UniqueConstraint('user_id', 'event_id', name='uq_staff_notice_event'),
        sa.UniqueConstraint('user_id', 'promise_id', name='uq_staff_notice_promise'))


def downgrade():
    op.drop_table('staff_notices')
    op.drop_table('category_subscriptions')
    with op.batch_alter_table('users') as batch:
        for column in ('last_digest_at', 'notices_off', 'language'):
            batch.drop_column(column)
    with op.batch_alter_table('organisations') as batch:
        batch.drop_column('notices_read_to_event')
        batch.drop_column('notice_hours_before')
