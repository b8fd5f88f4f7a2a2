"""drills: an attempt may replay one moment of another (the call and the line it starts at)

Revision ID: 0009_drills
Revises: 0008
Create Date: 2026-12-02 04:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009_drills'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('drill_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('drill_from', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_attempt_drill_of_id', 'attempt', ['drill_of_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_constraint('fk_attempt_drill_of_id', type_='foreignkey')
        batch_op.drop_column('drill_from')
        batch_op.drop_column('drill_of_id')
