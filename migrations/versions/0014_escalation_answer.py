"""A request for a manager is a task for supervisors until a manager answers it.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-04 01:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('escalation_answered_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('escalation_answered_at')
