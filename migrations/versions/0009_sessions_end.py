"""Sessions that end: a per-person session version (logout, a new password or deactivation ends
every session of that person) and the idle time after which an agent's session ends.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 16:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('agent_idle_hours', sa.Integer(), nullable=False, server_default='8'))


def downgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.drop_column('agent_idle_hours')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_version')
