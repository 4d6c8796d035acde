"""Replies by e-mail: a tagged Reply-To per mail, and every mail that came in with what became of it.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 21:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reply_addresses',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('complaint_id', sa.Integer(), sa.ForeignKey('complaints.id'), nullable=False),
        sa.Column('tag_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))
    op.create_index('ix_reply_addresses_complaint_id', 'reply_addresses', ['complaint_id'])
    op.create_table(
        'inbound_mails',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('message_key', sa.String(300), nullable=False, unique=True),
        sa.Column('complaint_id', sa.Integer(), sa.ForeignKey('complaints.id'), nullable=True),
        sa.Column('message_id', sa.Integer(), sa.ForeignKey('messages.id'), nullable=True),
        sa.Column('sender', sa.String(254), nullable=False),
        sa.Column('subject', sa.String(300), nullable=True),
        sa.Column('outcome', sa.String(10), nullable=False),
        sa.Column('reason', sa.String(40), nullable=True),
        sa.Column('reply_text', sa.Text(), nullable=True),
        sa.Column('original', sa.Text(), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_inbound_mails_complaint_id', 'inbound_mails', ['complaint_id'])
    op.add_column('outbox', sa.Column('reply_to', sa.String(254), nullable=True))


def downgrade():
    op.drop_column('outbox', 'reply_to')
    op.drop_table('inbound_mails')
    op.drop_table('reply_addresses')
