"""The published versions of each journey, and the audit log: written by every editor action
(`record`), read a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from api.catalogue.models import JourneyVersion
from api.catalogue.service import Published
from api.db import utcnow
from api.editor import repository
from api.editor.content import diff
from api.editor.models import AuditEntry
from api.editor.schemas import (
    AuditEntryRead,
    AuditPage,
    DiffRead,
    VersionList,
    VersionRead,
    VersionSummary,
)
from api.editor.tokens import Editor
from api.errors import NotFound, UnknownJourney


class UnknownVersion(NotFound):
    type = "/problems/unknown-version"
    title = "No such version"


def published_number(published: Published, slug: str) -> int | None:
    """The number of the journey's version served now; None when it is not published."""
    info = published.versions.get(slug)
    return info.number if info else None


def load_version(*, session: Session, slug: str, number: int) -> JourneyVersion:
    row = repository.version(session, slug, number)
    if row is None:
        raise UnknownVersion(f"'{slug}' has no version {number}")
    return row


def _summary(version: JourneyVersion, published: Published) -> dict[str, Any]:
    return {
        "number": version.number,
        "published": version.number == published_number(published, version.slug),
        "content_hash": version.content_hash,
        "created_at": version.created_at,
        "created_by": version.created_by,
        "change_note": version.change_note,
    }


def versions(*, session: Session, published: Published, slug: str) -> VersionList:
    rows = repository.versions(session, slug)
    if not rows:
        raise UnknownJourney(f"'{slug}' has never been published")
    return VersionList(slug=slug, versions=[VersionSummary(**_summary(v, published)) for v in rows])


def version(*, session: Session, published: Published, slug: str, number: int) -> VersionRead:
    row = load_version(session=session, slug=slug, number=number)
    return VersionRead(**_summary(row, published), slug=slug, content=row.content)


def diff_versions(*, session: Session, slug: str, older: int, newer: int) -> DiffRead:
    before, after = (
        load_version(session=session, slug=slug, number=number).content for number in (older, newer)
    )
    return DiffRead.model_validate(diff(before, after))


def record(
    *,
    session: Session,
    editor: Editor,
    action: str,
    slug: str | None,
    version: int | None,
    note: str = "",
    detail: Mapping[str, Any],
) -> None:
    """One audit entry, in the caller's transaction: it stands or falls with the change."""
    repository.audit(
        session,
        AuditEntry(
            at=utcnow(),
            actor=editor.name,
            action=action,
            slug=slug,
            version=version,
            change_note=note,
            detail=dict(detail),
        ),
    )


def audit_page(*, session: Session, cursor: int | None, limit: int) -> AuditPage:
    rows = repository.audit_page(session, before=cursor, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        entries=[
            AuditEntryRead(
                id=r.id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                slug=r.slug,
                version=r.version,
                change_note=r.change_note,
                detail=r.detail,
            )
            for r in rows
        ],
        next_cursor=rows[-1].id if more and rows else None,
    )
