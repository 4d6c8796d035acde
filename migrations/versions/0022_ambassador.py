"""Every colleague an ambassador: who passed a signal on, and where they heard it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 19:15:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch would copy the table, and with it lose the
    # search triggers (0016) and turn the generated ended_at (0021) into a plain column.
    if op.get_bind().dialect.name == 'sqlite':  # SQLite adds a column with a reference, not a constraint
        op.execute('ALTER TABLE complaints ADD COLUMN passed_on_by_id INTEGER REFERENCES users (id)')
    else:
        op.add_column('complaints', sa.Column('passed_on_by_id', sa.Integer(),
                                              sa.ForeignKey('users.id', name='fk_complaints_passed_on_by_id_users'),
                                              nullable=True))
    op.add_column('complaints', sa.Column('heard_where', sa.String(20), nullable=True))
    op.add_column('organisations', sa.Column('colleague_domains', sa.String(500), nullable=True))
    op.create_index('ix_complaints_passed_on_by_id', 'complaints', ['passed_on_by_id'])


def downgrade():
    op.drop_index('ix_complaints_passed_on_by_id', 'complaints')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('fk_complaints_passed_on_by_id_users', 'complaints', type_='foreignkey')
    op.drop_column('organisations', 'colleague_domains')
    op.drop_column('complaints', 'heard_where')
    op.drop_column('complaints', 'passed_on_by_id')
