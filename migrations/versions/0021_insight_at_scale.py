"""Insight at scale: what a reply and the first reply count, kept when sent; indexes for periods.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('reading_score', sa.Float(), nullable=True))
        batch.add_column(sa.Column('lint_warned', sa.Boolean(), nullable=True))
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('first_reply_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('first_reply_hours', sa.Float(), nullable=True))
        batch.add_column(sa.Column('customer_wrote_first', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('offer_reached_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('offer_accepted_at', sa.DateTime(timezone=True), nullable=True))
    # When a complaint ended, kept by the database (STORED on PostgreSQL; on SQLite a generated column
    # added to an existing table is VIRTUAL, and can be indexed all the same).
    stored = op.get_bind().dialect.name == 'postgresql'
    op.add_column('complaints', sa.Column('ended_at', sa.DateTime(timezone=True), sa.Computed(
        'coalesce(resolved_at, closed_at, withdrawn_at)', persisted=stored)))
    # On PostgreSQL each index carries the columns insight groups and counts on (index-only scans).
    op.create_index('ix_complaints_created_at', 'complaints', ['created_at'], postgresql_include=[
        'id', 'kind', 'channel', 'category_id', 'handled_as', 'root_cause', 'owner_id', 'status', 'wish', 'timeline_id',
        'escalated_at', 'first_reply_at', 'first_reply_hours', 'customer_wrote_first', 'resolved_at', 'closed_at',
        'withdrawn_at'])
    op.create_index('ix_complaints_ended_at', 'complaints', ['ended_at'],
                    postgresql_include=['id', 'created_at', 'kind', 'wish', 'category_id', 'channel', 'root_cause',
                                        'owner_id', 'status', 'resolved_at', 'offer_reached_at',
                                        'offer_accepted_at'])
    op.drop_index('ix_promises_due_at', 'promises')
    op.create_index('ix_promises_due_at', 'promises', ['due_at'],
                    postgresql_include=['complaint_id', 'key', 'state', 'missed_at'])
    op.drop_index('ix_complaints_survey_asked_at', 'complaints')
    op.create_index('ix_complaints_survey_asked_at', 'complaints', ['survey_asked_at'],
                    postgresql_include=['id', 'kind', 'category_id', 'channel', 'root_cause', 'owner_id'])
    op.create_index('ix_offers_made_at', 'offers', ['made_at'],
                    postgresql_include=['complaint_id', 'state', 'amount_cents', 'remedy'])
    op.create_index('ix_messages_created_at', 'messages', ['created_at'],
                    postgresql_include=['complaint_id', 'author', 'reading_score', 'lint_warned'])
    # Complaints answered before this migration: when our first message went (its working hours
    # need the calendar of that time, so they stay empty and out of the median).
    op.execute("UPDATE complaints SET first_reply_at = (SELECT min(m.created_at) FROM messages m "
               "WHERE m.complaint_id = complaints.id AND m.author = 'agent')")
    op.execute("UPDATE complaints SET offer_reached_at = (SELECT min(coalesce(o.cosigned_at, o.made_at)) FROM offers o "
               "WHERE o.complaint_id = complaints.id AND o.state IN ('offered', 'accepted', 'carried_out', 'declined')), "
               "offer_accepted_at = (SELECT min(o.answered_at) FROM offers o WHERE o.complaint_id = complaints.id "
               "AND o.state IN ('accepted', 'carried_out'))")
    op.execute("UPDATE complaints SET customer_wrote_first = true WHERE EXISTS (SELECT 1 FROM messages m "
               "WHERE m.complaint_id = complaints.id AND m.author = 'customer' AND (complaints.first_reply_at IS NULL "
               "OR m.created_at < complaints.first_reply_at))")


def downgrade():
    op.drop_index('ix_complaints_ended_at', 'complaints')
    op.drop_column('complaints', 'ended_at')
    op.drop_index('ix_messages_created_at', 'messages')
    op.drop_index('ix_offers_made_at', 'offers')
    op.drop_index('ix_complaints_created_at', 'complaints')
    op.drop_index('ix_promises_due_at', 'promises')
    op.create_index('ix_promises_due_at', 'promises', ['due_at'])
    op.drop_index('ix_complaints_survey_asked_at', 'complaints')
    op.create_index('ix_complaints_survey_asked_at', 'complaints', ['survey_asked_at'])
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('offer_accepted_at')
        batch.drop_column('offer_reached_at')
        batch.drop_column('customer_wrote_first')
        batch.drop_column('first_reply_hours')
        batch.drop_column('first_reply_at')
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('lint_warned')
        batch.drop_column('reading_score')
