"""Staff sign-in: a password chosen again by a mailed link, two-step login with recovery codes, and
erasure requests that came by phone or letter.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 06:45:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('must_choose_password', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('two_step_secret', sa.String(64), nullable=True))
        batch.add_column(sa.Column('two_step_pending_secret', sa.String(64), nullable=True))
        batch.add_column(sa.Column('two_step_since', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('two_step_last_step', sa.Integer(), nullable=True))
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('admins_need_two_step', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('erasure_requested_via', sa.String(10), nullable=True))
    op.create_table(
        'password_resets',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False, index=True),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'recovery_codes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False, index=True),
        sa.Column('code_hash', sa.String(64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_table('recovery_codes')
    op.drop_table('password_resets')
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('erasure_requested_via')
    with op.batch_alter_table('organisations') as batch:
        batch.drop_column('admins_need_two_step')
    with op.batch_alter_table('users') as batch:
        for column in ('two_step_last_step', 'two_step_since', 'two_step_pending_secret', 'two_step_secret',
                       'must_choose_password'):
            batch.drop_column(column)
