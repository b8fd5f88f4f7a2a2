"""jobs: an uploaded call's key names its trainee (one call per file per trainee)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:10:00.000000

Before, the same file uploaded for two trainees found the first trainee's job (and
re-queued it when it had failed). Keys now end in ``:for:<trainee id>``; this gives the
existing upload jobs that ending, so a file uploaded again for the same trainee is still
recognised. No table changes.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPLOADS = "kind = 'analyse-call' AND attempt_id IS NOT NULL"


def upgrade() -> None:
    op.execute(
        "UPDATE job SET key = key || ':for:' || "
        "(SELECT CAST(attempt.trainee_id AS VARCHAR) FROM attempt WHERE attempt.id = job.attempt_id) "
        f"WHERE {UPLOADS} AND key NOT LIKE '%:for:%'"
    )


def downgrade() -> None:
    # An old key holds one file once: the oldest job of each file gets it back, later jobs
    # of the same file (for other trainees) keep their new keys.
    find = "strpos(key, ':for:')" if op.get_bind().dialect.name == "postgresql" else "instr(key, ':for:')"
    old_key = f"substr(key, 1, {find} - 1)"
    op.execute(
        f"UPDATE job SET key = {old_key} WHERE {UPLOADS} AND {find} > 0 AND NOT EXISTS "
        f"(SELECT 1 FROM job AS older WHERE older.kind = job.kind AND older.id < job.id "
        f"AND substr(older.key, 1, {find.replace('key', 'older.key')} - 1) = {old_key})"
    )
