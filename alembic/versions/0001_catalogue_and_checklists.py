"""Catalogue (journeys, their versions, shared documents, generation) and saved checklists.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    state = op.create_table(
        "catalogue_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_state")),
    )
    # The one row that every worker watches for newly published versions.
    op.bulk_insert(state, [{"id": 1, "generation": 0}])
    op.create_table(
        "journeys",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_journeys")),
    )
    op.create_table(
        "shared_documents",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_shared_documents")),
    )
    op.create_table(
        "journey_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["slug"], ["journeys.slug"], name=op.f("fk_journey_versions_slug_journeys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_versions")),
        sa.UniqueConstraint("slug", "number", name=op.f("uq_journey_versions_slug")),
    )
    with op.batch_alter_table("journey_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journey_versions_slug"), ["slug"], unique=False)

    op.create_table(
        "checklists",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("journey_version_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("done", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["journey_version_id"],
            ["journey_versions.id"],
            name=op.f("fk_checklists_journey_version_id_journey_versions"),
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_checklists")),
    )
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklists_journey_version_id"), ["journey_version_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_checklists_last_used_at"), ["last_used_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklists_last_used_at"))
        batch_op.drop_index(batch_op.f("ix_checklists_journey_version_id"))

    op.drop_table("checklists")
    with op.batch_alter_table("journey_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journey_versions_slug"))

    op.drop_table("journey_versions")
    op.drop_table("shared_documents")
    op.drop_table("journeys")
    op.drop_table("catalogue_state")
