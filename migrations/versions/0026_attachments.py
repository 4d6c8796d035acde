"""Photos and papers: attachments kept in a storage by random keys, and the admin's limits.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 22:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attachments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('complaint_id', sa.Integer(), sa.ForeignKey('complaints.id'), nullable=True),
        sa.Column('draft_key', sa.String(64), nullable=True),
        sa.Column('message_id', sa.Integer(), sa.ForeignKey('messages.id'), nullable=True),
        sa.Column('added_by', sa.String(10), nullable=False),
        sa.Column('key', sa.String(64), nullable=False, unique=True),
        sa.Column('thumbnail_key', sa.String(64), nullable=True),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('content_type', sa.String(60), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))
    op.create_index('ix_attachments_complaint_id', 'attachments', ['complaint_id'])
    op.create_index('ix_attachments_draft_key', 'attachments', ['draft_key'])
    op.add_column('organisations', sa.Column('attachments_max_files', sa.Integer(), nullable=False,
                                             server_default='5'))
    op.add_column('organisations', sa.Column('attachment_max_mb', sa.Integer(), nullable=False,
                                             server_default='10'))


def downgrade():
    op.drop_column('organisations', 'attachment_max_mb')
    op.drop_column('organisations', 'attachments_max_files')
    op.drop_table('attachments')
