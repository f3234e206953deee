"""A saved checklist's calendar subscription: the SHA-256 of its feed token.

The feed token is derived from the checklist's private id (one-way), so the address a calendar
app polls can read the feed and nothing else. Checklists saved before get theirs the next time
their page is opened (only then is the private id at hand); until then the column is empty.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_checklists_calendar_hash"), ["calendar_hash"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklists_calendar_hash"))
        batch_op.drop_column("calendar_hash")
