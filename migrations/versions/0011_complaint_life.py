"""A complaint's whole life: waiting on the customer (promises paused), carrying out an accepted
offer, and closing announced in advance.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03 20:15:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('wait_days', sa.Integer(), nullable=False, server_default='10'))
        batch.add_column(sa.Column('close_after_days', sa.Integer(), nullable=False, server_default='10'))
        batch.add_column(sa.Column('carry_out_days', sa.JSON(), nullable=True))
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('waiting_for', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('wait_remind_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('wait_ends_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_complaints_wait_remind_at', ['wait_remind_at'])
        batch.create_index('ix_complaints_wait_ends_at', ['wait_ends_at'])
        batch.create_index('ix_complaints_closes_at', ['closes_at'])
    with op.batch_alter_table('promises') as batch:
        batch.add_column(sa.Column('due_before_wait', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('offers') as batch:
        batch.add_column(sa.Column('carried_out_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('carried_out_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('carried_out_note', sa.String(length=200), nullable=True))
        batch.create_foreign_key('fk_offers_carried_out_by_id_users', 'users', ['carried_out_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('offers') as batch:
        batch.drop_constraint('fk_offers_carried_out_by_id_users', type_='foreignkey')
        batch.drop_column('carried_out_note')
        batch.drop_column('carried_out_by_id')
        batch.drop_column('carried_out_at')
    with op.batch_alter_table('promises') as batch:
        batch.drop_column('due_before_wait')
    with op.batch_alter_table('complaints') as batch:
        batch.drop_index('ix_complaints_closes_at')
        batch.drop_index('ix_complaints_wait_ends_at')
        batch.drop_index('ix_complaints_wait_remind_at')
        for column in ('closes_at', 'wait_ends_at', 'wait_remind_at', 'waiting_for', 'waiting_since'):
            batch.drop_column(column)
    with op.batch_alter_table('organisations') as batch:
        for column in ('carry_out_days', 'close_after_days', 'wait_days'):
            batch.drop_column(column)
