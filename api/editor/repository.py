"""All SQL of the editors' API: tokens, drafts (compare-and-set on the revision), the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.catalogue.models import JourneyVersion
from api.editor.models import AuditEntry, Draft, EditorToken

# --- tokens -----------------------------------------------------------------------------------


def token_by_hash(session: Session, token_hash: str) -> EditorToken | None:
    return session.scalar(
        select(EditorToken).where(
            EditorToken.token_hash == token_hash, EditorToken.revoked_at.is_(None)
        )
    )


def token_by_name(session: Session, name: str) -> EditorToken | None:
    return session.scalar(select(EditorToken).where(EditorToken.name == name))


def live_token(session: Session, name: str, now: dt.datetime) -> EditorToken | None:
    """The token named `name` if neither revoked nor expired, read under a share lock
    (PostgreSQL): a revoke waits until the caller's transaction ends."""
    return session.scalar(
        select(EditorToken)
        .where(
            EditorToken.name == name,
            EditorToken.revoked_at.is_(None),
            EditorToken.expires_at > now,
        )
        .with_for_update(read=True)
    )


def mark_used(session: Session, token_id: int, now: dt.datetime, since: dt.datetime) -> None:
    """Record a use unless one after `since` is recorded already (another request may have)."""
    session.execute(
        update(EditorToken)
        .where(
            EditorToken.id == token_id,
            (EditorToken.last_used_at.is_(None)) | (EditorToken.last_used_at < since),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def add_token(session: Session, token: EditorToken) -> bool:
    """False when the name is taken (by a live or a revoked token: names stay unique)."""
    try:
        with session.begin_nested():
            session.add(token)
    except IntegrityError:
        return False
    return True


# --- drafts -----------------------------------------------------------------------------------


def drafts(session: Session) -> list[Draft]:
    return list(session.scalars(select(Draft).order_by(Draft.slug)))


def draft(session: Session, slug: str) -> Draft | None:
    return session.get(Draft, slug)


def add_draft(session: Session, row: Draft) -> bool:
    """False when the journey has a draft already (two starts at once: one wins)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def replace_draft(
    session: Session,
    *,
    slug: str,
    expected: int,
    content: dict[str, Any],
    problems: list[dict[str, Any]],
    by: str,
    at: dt.datetime,
) -> bool:
    """Compare-and-set: write only if the draft is still at revision `expected`. One statement,
    so of two workers writing on the same revision exactly one wins (PostgreSQL re-checks the
    WHERE after waiting for the other's row lock; SQLite has one writer at a time)."""
    result = session.execute(
        update(Draft)
        .where(Draft.slug == slug, Draft.revision == expected)
        .values(
            content=content,
            problems=problems,
            revision=expected + 1,
            updated_at=at,
            updated_by=by,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def remove_draft(session: Session, *, slug: str, expected: int) -> bool:
    """Delete the draft only if it is still at revision `expected`."""
    result = session.execute(
        delete(Draft)
        .where(Draft.slug == slug, Draft.revision == expected)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- versions ---------------------------------------------------------------------------------


def versions(session: Session, slug: str) -> list[JourneyVersion]:
    return list(
        session.scalars(
            select(JourneyVersion)
            .where(JourneyVersion.slug == slug)
            .order_by(JourneyVersion.number.desc())
        )
    )


def version(session: Session, slug: str, number: int) -> JourneyVersion | None:
    return session.scalar(
        select(JourneyVersion).where(JourneyVersion.slug == slug, JourneyVersion.number == number)
    )


# --- audit ------------------------------------------------------------------------------------


def audit(session: Session, entry: AuditEntry) -> None:
    session.add(entry)
    session.flush()


def audit_page(session: Session, *, before: int | None, limit: int) -> list[AuditEntry]:
    """Newest first; `before` is the id of the last entry of the previous page."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return list(session.scalars(query))
