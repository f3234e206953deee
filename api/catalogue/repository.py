"""All SQL about the published catalogue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from api.catalogue.models import CatalogueState, JourneyRecord, JourneyVersion, SharedDocument


def generation(session: Session) -> int:
    value = session.scalar(select(CatalogueState.generation).where(CatalogueState.id == 1))
    return int(value or 0)


def bump_generation(session: Session) -> None:
    session.execute(
        update(CatalogueState)
        .where(CatalogueState.id == 1)
        .values(generation=CatalogueState.generation + 1, changed_at=func.now())
    )


def published_versions(session: Session) -> list[JourneyVersion]:
    """The published version of every journey that has one."""
    return list(session.scalars(_published(JourneyVersion)))


def _published(*columns: Any) -> Select[Any]:
    """`columns` of each journey's published version, by slug."""
    return (
        select(*columns)
        .join(JourneyRecord, JourneyRecord.slug == JourneyVersion.slug)
        .where(JourneyVersion.number == JourneyRecord.published_version)
        .order_by(JourneyVersion.slug)
    )


def published_fingerprints(session: Session) -> tuple[list[Any], list[Any]]:
    """What `published_versions` and `shared_documents` would give, without the contents:
    each journey's (slug, id, number, content_hash, created_at), each shared document's
    (name, content_hash)."""
    versions = session.execute(
        _published(
            JourneyVersion.slug,
            JourneyVersion.id,
            JourneyVersion.number,
            JourneyVersion.content_hash,
            JourneyVersion.created_at,
        )
    ).all()
    shared = session.execute(
        select(SharedDocument.name, SharedDocument.content_hash).order_by(SharedDocument.name)
    ).all()
    return list(versions), list(shared)


def published_version(session: Session, slug: str) -> JourneyVersion | None:
    return session.scalar(
        select(JourneyVersion)
        .join(JourneyRecord, JourneyRecord.slug == JourneyVersion.slug)
        .where(
            JourneyVersion.slug == slug, JourneyVersion.number == JourneyRecord.published_version
        )
    )


def shared_documents(session: Session) -> list[SharedDocument]:
    return list(session.scalars(select(SharedDocument).order_by(SharedDocument.name)))


def version_by_id(session: Session, version_id: int) -> JourneyVersion | None:
    return session.get(JourneyVersion, version_id)


def put_shared(session: Session, *, name: str, content: dict[str, Any], digest: str) -> bool:
    """Store a shared document; False when it was already exactly this."""
    existing = session.get(SharedDocument, name)
    if existing is not None and existing.content_hash == digest:
        return False
    if existing is None:
        session.add(SharedDocument(name=name, content=content, content_hash=digest))
    else:
        existing.content = content
        existing.content_hash = digest
    return True


def publish(
    session: Session,
    *,
    slug: str,
    content: dict[str, Any],
    digest: str,
    author: str,
    note: str,
) -> JourneyVersion | None:
    """Publish content as the journey's next version; None when it is already what is published."""
    record = session.get(JourneyRecord, slug, with_for_update=True)
    if record is None:
        record = JourneyRecord(slug=slug, published_version=None)
        session.add(record)
        session.flush()
    current = session.scalar(
        select(JourneyVersion).where(
            JourneyVersion.slug == slug, JourneyVersion.number == record.published_version
        )
    )
    if current is not None and current.content_hash == digest:
        return None
    last = session.scalar(
        select(func.max(JourneyVersion.number)).where(JourneyVersion.slug == slug)
    )
    version = JourneyVersion(
        slug=slug,
        number=(last or 0) + 1,
        content=content,
        content_hash=digest,
        created_by=author,
        change_note=note,
    )
    session.add(version)
    session.flush()
    record.published_version = version.number
    return version
