"""Privacy: when a customer asked to erase their personal data, and when a complaint was anonymised.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erasure_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_erasure_requested_at'), ['erasure_requested_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_erasure_requested_at'))
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('erasure_requested_at')
