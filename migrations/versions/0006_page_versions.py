"""Version counters kept by the database (triggers), so a status page built earlier is known to be
still true: `complaints.version` and `organisations.names_version` (portal/versions.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:00:00

"""
from alembic import op
import sqlalchemy as sa

from portal.versions import create_triggers, drop_triggers


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


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
