"""All SQL about feedback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from api.feedback.models import FeedbackComment, FeedbackCount


def count_one(session: Session, *, slug: str, version: int, useful: bool) -> None:
    """Add one to a counter in one statement (insert, or on conflict add): two answers at the
    same moment both count, with no read-modify-write between them."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = FeedbackCount.__table__
    statement = dialect.insert(table).values(slug=slug, version=version, useful=useful, count=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["slug", "version", "useful"],
            set_={"count": table.c.count + 1},
        )
    )


def add_comment(
    session: Session, *, slug: str, version: int, useful: bool, comment: str, day: dt.date
) -> None:
    row = FeedbackComment(slug=slug, version=version, useful=useful, comment=comment, day=day)
    session.add(row)
    session.flush()


def counts(session: Session, *, slug: str | None, version: int | None) -> Sequence[FeedbackCount]:
    query = select(FeedbackCount).order_by(FeedbackCount.slug, FeedbackCount.version.desc())
    if slug is not None:
        query = query.where(FeedbackCount.slug == slug)
    if version is not None:
        query = query.where(FeedbackCount.version == version)
    return session.scalars(query).all()


def comments(
    session: Session, *, slug: str | None, version: int | None, before: int | None, limit: int
) -> Sequence[FeedbackComment]:
    """Newest first, `limit` of them, those with an id below `before`."""
    query = select(FeedbackComment).order_by(FeedbackComment.id.desc()).limit(limit)
    if slug is not None:
        query = query.where(FeedbackComment.slug == slug)
    if version is not None:
        query = query.where(FeedbackComment.version == version)
    if before is not None:
        query = query.where(FeedbackComment.id < before)
    return session.scalars(query).all()
