"""All SQL about saved checklists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.catalogue.models import JourneyVersion
from api.checklists.models import Checklist


def get(session: Session, id_hash: str) -> Checklist | None:
    return session.get(Checklist, id_hash, with_for_update=True)


def add(session: Session, checklist: Checklist) -> None:
    session.add(checklist)
    session.flush()


def remove(session: Session, checklist: Checklist) -> None:
    session.delete(checklist)


def version(session: Session, version_id: int) -> JourneyVersion | None:
    return session.get(JourneyVersion, version_id)


def purge_unused(session: Session, *, before: dt.datetime) -> int:
    """Delete checklists last used before `before`; how many went."""
    ids = list(session.scalars(select(Checklist.id_hash).where(Checklist.last_used_at < before)))
    if ids:
        session.execute(delete(Checklist).where(Checklist.id_hash.in_(ids)))
    return len(ids)
