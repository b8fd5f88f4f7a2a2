"""accounts: case-insensitive unique usernames, session versions, demo passwords, deletion,
failed sign-ins

An existing account whose username differs from an earlier one only in case (`RB-Existing`
beside `rb-existing`) is renamed to `<username>-<id>` so that the two stay apart.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:45:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_folded', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('demo_password', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    _fold_usernames()
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('username_folded', existing_type=sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False)
        batch_op.create_unique_constraint('uq_user_username_folded', ['username_folded'])
    op.create_table(
        'signinfailures',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def _fold_usernames() -> None:
    """Fill username_folded in Python (casefold, which SQL's lower() is not for Cyrillic)."""
    connection = op.get_bind()
    users = sa.table('user', sa.column('id'), sa.column('username'), sa.column('username_folded'))
    taken: set[str] = set()
    for user_id, username in connection.execute(sa.select(users.c.id, users.c.username).order_by(users.c.id)):
        folded = username.strip().casefold()
        if folded in taken:
            username = f"{username}-{user_id}"
            folded = username.casefold()
        taken.add(folded)
        connection.execute(
            users.update().where(users.c.id == user_id).values(username=username, username_folded=folded)
        )


def downgrade() -> None:
    op.drop_table('signinfailures')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('uq_user_username_folded', type_='unique')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('demo_password')
        batch_op.drop_column('session_version')
        batch_op.drop_column('username_folded')
