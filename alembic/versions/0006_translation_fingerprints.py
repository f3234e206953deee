"""Translation fingerprints: per journey, text place and language, the SHA-256 of the Finnish a
translation was written against and of the translation itself (stale when the Finnish changes).

Nothing is filled in here: the next import (or draft save) records the fingerprints of the
translations it finds, against the Finnish beside them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "translation_fingerprints",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("place", sa.String(length=400), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("translation_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("slug", "place", "lang", name=op.f("pk_translation_fingerprints")),
    )


def downgrade() -> None:
    op.drop_table("translation_fingerprints")
