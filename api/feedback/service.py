"""Recording an answer to "was this useful?" and reading them back for editors. Keyword-only
functions of a session and plain values; the caller's transaction commits."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.feedback import repository

# Long enough for a sentence or two on what was missing, short enough that nobody pastes in
# their life story (the form asks for no personal data).
COMMENT_MAX = 500
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_comment(text: str) -> str:
    """The comment as stored: line breaks kept, other control characters dropped, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return _BLANK_LINES.sub("\n\n", kept).strip()


def record(
    *, session: Session, slug: str, version: int, useful: bool, comment: str, day: dt.date
) -> None:
    """Count one answer for a journey's version, and keep its comment (if any) with the day."""
    repository.count_one(session, slug=slug, version=version, useful=useful)
    if comment:
        repository.add_comment(
            session, slug=slug, version=version, useful=useful, comment=comment, day=day
        )


@dataclass(frozen=True)
class Count:
    slug: str
    version: int
    useful: int
    not_useful: int


@dataclass(frozen=True)
class Comment:
    id: int
    slug: str
    version: int
    useful: bool
    comment: str
    day: dt.date


@dataclass(frozen=True)
class Page:
    counts: list[Count]
    comments: list[Comment]
    next_cursor: int | None


def read(
    *, session: Session, slug: str | None, version: int | None, cursor: int | None, limit: int
) -> Page:
    """Counts per journey and version (all of them that match), and a page of comments, newest
    first."""
    totals: dict[tuple[str, int], dict[bool, int]] = {}
    for row in repository.counts(session, slug=slug, version=version):
        totals.setdefault((row.slug, row.version), {})[row.useful] = row.count
    rows = repository.comments(session, slug=slug, version=version, before=cursor, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        counts=[Count(s, v, by.get(True, 0), by.get(False, 0)) for (s, v), by in totals.items()],
        comments=[Comment(r.id, r.slug, r.version, r.useful, r.comment, r.day) for r in rows],
        next_cursor=rows[-1].id if more and rows else None,
    )
