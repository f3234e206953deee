"""All SQL about saved checklists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from api.catalogue.models import JourneyVersion
from api.checklists.models import Checklist


def get(session: Session, id_hash: str) -> Checklist | None:
    """The checklist as stored now, read again even if this session has it already.

    On PostgreSQL the row stays locked until the request's transaction ends, so writers to one
    checklist queue instead of retrying; SQLite has no row locks (and Python's driver reads
    outside a transaction anyway): there `write_if_unchanged` alone keeps writes whole.
    """
    return session.get(Checklist, id_hash, with_for_update=True, populate_existing=True)


def by_calendar_hash(session: Session, calendar_hash: str) -> Checklist | None:
    """The checklist whose calendar feed this is (read only: no lock)."""
    found: Checklist | None = session.scalars(
        select(Checklist).where(Checklist.calendar_hash == calendar_hash)
    ).one_or_none()
    return found


def add(session: Session, checklist: Checklist) -> None:
    session.add(checklist)
    session.flush()


def write_if_unchanged(session: Session, checklist: Checklist, **values: Any) -> bool:
    """Compare-and-set: store `values` and the next revision only if the stored revision is still
    the one `checklist` was read at. False (and nothing written) if another request wrote the
    checklist in between, or deleted it."""
    written = session.execute(
        update(Checklist)
        .where(Checklist.id_hash == checklist.id_hash, Checklist.revision == checklist.revision)
        .values(**values, revision=checklist.revision + 1)
        .returning(Checklist),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).scalar_one_or_none()
    return written is not None


def remove(session: Session, id_hash: str) -> bool:
    """Delete a checklist; False if it was not there."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(Checklist).where(Checklist.id_hash == id_hash)
    )
    return result.rowcount == 1


def version(session: Session, version_id: int) -> JourneyVersion | None:
    return session.get(JourneyVersion, version_id)


def purge_unused(session: Session, *, before: dt.datetime) -> int:
    """Delete checklists last used before `before`, in one statement; how many went."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(Checklist).where(Checklist.last_used_at < before)
    )
    return result.rowcount
