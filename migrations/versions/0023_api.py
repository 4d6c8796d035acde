"""The API: integrations (a hashed token, scopes, revocable) and the first answer per Idempotency-Key.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 19:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'integrations',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('scopes', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'api_answers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('integration_id', sa.Integer(), sa.ForeignKey('integrations.id'), nullable=False),
        sa.Column('key', sa.String(200), nullable=False),
        sa.Column('request_hash', sa.String(64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('integration_id', 'key'))
    op.create_table(
        'webhooks',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('integration_id', sa.Integer(), sa.ForeignKey('integrations.id'), nullable=False, index=True),
        sa.Column('url', sa.String(500), nullable=False),
        sa.Column('secret', sa.String(64), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('webhook_id', sa.Integer(), sa.ForeignKey('webhooks.id'), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(40), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(10), nullable=False, index=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column('last_error', sa.String(500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('webhook_id', 'event_id'))
    # Plain ADD COLUMN (see 0022: a batch on SQLite would copy the table and lose its triggers).
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE complaints ADD COLUMN integration_id INTEGER REFERENCES integrations (id)')
    else:
        op.add_column('complaints', sa.Column('integration_id', sa.Integer(), sa.ForeignKey(
            'integrations.id', name='fk_complaints_integration_id_integrations'), nullable=True))
    op.create_index('ix_complaints_integration_id', 'complaints', ['integration_id'])
    op.add_column('organisations', sa.Column('webhooks_read_to_event', sa.Integer(), nullable=False,
                                             server_default='0'))


def downgrade():
    op.drop_column('organisations', 'webhooks_read_to_event')
    op.drop_index('ix_complaints_integration_id', 'complaints')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('fk_complaints_integration_id_integrations', 'complaints', type_='foreignkey')
    op.drop_column('complaints', 'integration_id')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhooks')
    op.drop_table('api_answers')
    op.drop_table('integrations')
