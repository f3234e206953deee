"""Feedback: counts of "was this useful?" per journey, version and answer, and the comments
left with them (with the day only: no answers, addresses or identifiers).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_counts",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["slug"], ["journeys.slug"], name=op.f("fk_feedback_counts_slug_journeys")
        ),
        sa.PrimaryKeyConstraint("slug", "version", "useful", name=op.f("pk_feedback_counts")),
    )
    op.create_table(
        "feedback_comments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["slug"], ["journeys.slug"], name=op.f("fk_feedback_comments_slug_journeys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_comments")),
    )
    op.create_index(
        "ix_feedback_comments_slug_version", "feedback_comments", ["slug", "version"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_feedback_comments_slug_version", table_name="feedback_comments")
    op.drop_table("feedback_comments")
    op.drop_table("feedback_counts")
