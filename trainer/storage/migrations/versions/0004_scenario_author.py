"""scenario versions saved by a trainer name their author

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:12:31.204518
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_scenario_author_id_user', 'user', ['author_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_constraint('fk_scenario_author_id_user', type_='foreignkey')
        batch_op.drop_column('author_id')
