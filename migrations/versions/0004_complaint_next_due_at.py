"""The queue's sort key on the complaint (the due moment of its earliest open promise), and an index
for counting open complaints per lower-cased e-mail address.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 20:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_next_due_at'), ['next_due_at'], unique=False)
    op.create_index('ix_complaints_lower_email', 'complaints', [sa.text('lower(email)')], unique=False)
    # Complaints filed before this revision: their earliest open promise, as the flush hook keeps it.
    op.execute("UPDATE complaints SET next_due_at = (SELECT min(promises.due_at) FROM promises "
               "WHERE promises.complaint_id = complaints.id AND promises.state = 'open')")


def downgrade():
    op.drop_index('ix_complaints_lower_email', table_name='complaints')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_next_due_at'))
        batch_op.drop_column('next_due_at')
