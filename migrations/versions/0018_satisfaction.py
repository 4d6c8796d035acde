"""Did we put it right? Three questions after a complaint ended, asked once, and the answers.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 12:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('surveys_on', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column('survey_quiet_days', sa.Integer(), nullable=False, server_default='30'))
        batch.add_column(sa.Column('survey_sentence_nl', sa.Text(), nullable=True))
        batch.add_column(sa.Column('survey_sentence_en', sa.Text(), nullable=True))
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('survey_asked_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('survey_remind_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_complaints_survey_asked_at', 'complaints', ['survey_asked_at'])
    op.create_index('ix_complaints_survey_remind_at', 'complaints', ['survey_remind_at'])
    op.create_table(
        'survey_answers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('complaint_id', sa.Integer(), sa.ForeignKey('complaints.id'), nullable=False, unique=True),
        sa.Column('solved', sa.String(10), nullable=False),
        sa.Column('treatment', sa.Integer(), nullable=False),
        sa.Column('come_back', sa.String(10), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_table('survey_answers')
    op.drop_index('ix_complaints_survey_remind_at', 'complaints')
    op.drop_index('ix_complaints_survey_asked_at', 'complaints')
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('survey_remind_at')
        batch.drop_column('survey_asked_at')
    with op.batch_alter_table('organisations') as batch:
        for column in ('survey_sentence_en', 'survey_sentence_nl', 'survey_quiet_days', 'surveys_on'):
            batch.drop_column(column)
