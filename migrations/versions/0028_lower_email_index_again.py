"""Two indexes each filing or staff page needs: lower(email) again, where SQLite lost it, and the
complaints flagged for their owner's attention (the "Needs me" count in every staff page's header).

SQLite changes a column by copying the table (Alembic's batch mode), and it cannot reflect an index
on an expression, so the copies made after 0004 left `ix_complaints_lower_email` behind. Without it
"open complaints per address", asked on every filing, read every complaint: 6.5 ms a filing at
30,000 complaints (bench/README.md). PostgreSQL kept it; IF NOT EXISTS makes this a no-op there.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 06:10:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX IF NOT EXISTS ix_complaints_lower_email ON complaints (lower(email))")
    # An owner has thousands of complaints and a few flagged ones: the count read 5 ms of rows on every
    # staff page at 30,000 complaints, and now reads the flagged ones only.
    op.create_index('ix_complaints_attention_owner', 'complaints', ['owner_id'],
                    sqlite_where=sa.text('attention_at IS NOT NULL'), postgresql_where=sa.text('attention_at IS NOT NULL'))


def downgrade():
    op.drop_index('ix_complaints_attention_owner', table_name='complaints')
    # ix_complaints_lower_email: 0004 made it and drops it
