"""Feedback for editors: the counts per journey and version, and the comments a page at a time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.editor import repository
from api.editor.history.service import UnknownVersion
from api.editor.schemas import FeedbackCommentRead, FeedbackCountRead, FeedbackPage
from api.errors import UnknownJourney
from api.feedback import service as feedback_service


def feedback_page(
    *,
    session: Session,
    journey: str | None,
    version: int | None,
    cursor: int | None,
    limit: int,
) -> FeedbackPage:
    """Feedback on one journey (or all), on one of its versions (or all)."""
    if journey is not None:
        numbers = {v.number for v in repository.versions(session, journey)}
        if not numbers:
            raise UnknownJourney(f"'{journey}' has never been published")
        if version is not None and version not in numbers:
            raise UnknownVersion(f"'{journey}' has no version {version}")
    page = feedback_service.read(
        session=session, slug=journey, version=version, cursor=cursor, limit=limit
    )
    return FeedbackPage(
        counts=[
            FeedbackCountRead(
                journey=c.slug, version=c.version, useful=c.useful, not_useful=c.not_useful
            )
            for c in page.counts
        ],
        comments=[
            FeedbackCommentRead(
                id=c.id,
                journey=c.slug,
                version=c.version,
                useful=c.useful,
                comment=c.comment,
                day=c.day,
            )
            for c in page.comments
        ],
        next_cursor=page.next_cursor,
    )
