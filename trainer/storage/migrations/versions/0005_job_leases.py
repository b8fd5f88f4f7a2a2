"""jobs: a worker's lease, the real call a job scores, a retry limit

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 15:02:11.418240
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_attempts', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('attempt_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('locked_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
        batch_op.add_column(sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_job_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_foreign_key('fk_job_attempt_id_attempt', 'attempt', ['attempt_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_constraint('fk_job_attempt_id_attempt', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_job_attempt_id'))
        batch_op.drop_column('locked_until')
        batch_op.drop_column('locked_by')
        batch_op.drop_column('attempt_id')
        batch_op.drop_column('max_attempts')
