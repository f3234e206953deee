"""Every stored deadline states its working-day rule.

`working_day_rule` used to default to true, and documents are stored normalised without their
defaults, so a deadline that moved off weekends was stored without the field. The field is now
required: this writes `working_day_rule: true` (what those deadlines did until now) into every
deadline of every published version and draft that lacks it. An `earliest` no longer takes the
field (an opening day was never moved), so it is dropped there. A changed version gets the hash
of its new content, so an import of the same journey still publishes nothing new.

Downgrading changes nothing: the explicit field is valid for the code before this revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

versions = sa.table(
    "journey_versions",
    sa.column("id", sa.Integer),
    sa.column("content", sa.JSON),
    sa.column("content_hash", sa.String(64)),
)
drafts = sa.table("drafts", sa.column("slug", sa.String(80)), sa.column("content", sa.JSON))
state = sa.table("catalogue_state", sa.column("generation", sa.Integer))


def explicit(content: Any) -> bool:
    """Give each deadline in a journey document its rule, in place; True if anything changed."""
    changed = False
    steps = content.get("steps") if isinstance(content, dict) else None
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict):
            continue
        deadline = step.get("deadline")
        if isinstance(deadline, dict) and "working_day_rule" not in deadline:
            deadline["working_day_rule"] = True
            changed = True
        earliest = step.get("earliest")
        if isinstance(earliest, dict) and "working_day_rule" in earliest:
            del earliest["working_day_rule"]
            changed = True
    return changed


def content_hash(content: Any) -> str:
    # A frozen copy of api.catalogue.content.content_hash, so this migration never changes.
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    published = False
    for row in bind.execute(sa.select(versions.c.id, versions.c.content)).all():
        content = row.content
        if explicit(content):
            bind.execute(
                versions.update()
                .where(versions.c.id == row.id)
                .values(content=content, content_hash=content_hash(content))
            )
            published = True
    for row in bind.execute(sa.select(drafts.c.slug, drafts.c.content)).all():
        content = row.content
        if explicit(content):
            bind.execute(drafts.update().where(drafts.c.slug == row.slug).values(content=content))
    if published:
        # Running workers reload what is published when the generation moves.
        bind.execute(state.update().values(generation=state.c.generation + 1))


def downgrade() -> None:
    pass
