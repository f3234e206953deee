"""Saved checklists: create from a plan, read, tick, change answers, upgrade, delete, expire.

The private id is 256 random bits shown once to its holder; only its SHA-256 is stored, so the
database alone cannot open anyone's checklist.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from api.catalogue.service import CatalogueService
from api.checklists import repository
from api.checklists.models import Checklist
from api.checklists.schemas import (
    ChecklistCreate,
    ChecklistRead,
    ChecklistUpdate,
    NewerVersion,
)
from api.db import utcnow
from api.engine.plan import Plan
from api.errors import InvalidAnswers, NotFound, NotReady, UnknownJourney
from api.plans import views
from api.plans.service import make_plan


class UnknownChecklist(NotFound):
    type = "/problems/unknown-checklist"
    title = "Unknown checklist"


class UnknownStep(NotFound):
    type = "/problems/unknown-step"
    title = "Unknown step"


class ChecklistBusy(NotReady):
    type = "/problems/checklist-busy"
    title = "Checklist busy"


def new_id() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def hash_id(checklist_id: str) -> str:
    return hashlib.sha256(checklist_id.encode()).hexdigest()


def calendar_token(checklist_id: str) -> str:
    """The calendar feed's token, derived one-way from the private id: the address handed to a
    calendar app (and its provider's servers) reads the feed, and cannot open, change or delete
    the checklist. Stored, like the id, only as its SHA-256."""
    digest = hmac.new(checklist_id.encode(), b"polku calendar feed", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# Where the calendar feed is served (api/pages/saved.py), on the citizen pages: a calendar app
# subscribes to it without any API key or header.
CALENDAR_FEED_PATH = "/{lang}/checklist/calendar/{token}.ics"


def calendar_feed_path(lang: str, checklist_id: str) -> str:
    """The path of a checklist's calendar feed, in one language."""
    return CALENDAR_FEED_PATH.format(lang=lang, token=calendar_token(checklist_id))


def _feed_ready(row: Checklist, checklist_id: str) -> None:
    """Give a checklist saved before feeds existed its feed: the id is at hand now."""
    if row.calendar_hash is None:
        row.calendar_hash = hash_id(calendar_token(checklist_id))


def create(
    *,
    session: Session,
    catalogue: CatalogueService,
    data: ChecklistCreate,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
    public_url: str,
) -> ChecklistRead:
    published = catalogue.current
    info = published.versions.get(data.journey)
    if info is None:
        raise UnknownJourney(f"there is no published journey '{data.journey}'")
    # Planning validates the answers: a checklist is only ever made from a valid plan.
    make_plan(
        published.planner,
        data.journey,
        data.answers,
        event_date=data.event_date,
        today=today,
        lang=lang,
    )
    checklist_id = new_id()
    row = Checklist(
        id_hash=hash_id(checklist_id),
        journey_version_id=info.id,
        answers=data.answers,
        event_date=data.event_date,
        done=[],
        created_at=utcnow(),
        last_used_at=utcnow(),
        revision=1,
        calendar_hash=hash_id(calendar_token(checklist_id)),
    )
    repository.add(session, row)
    return _read(session, catalogue, row, checklist_id, lang, today, ttl, public_url)


def get(
    *,
    session: Session,
    catalogue: CatalogueService,
    checklist_id: str,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
    public_url: str,
) -> ChecklistRead:
    row = _load(session, checklist_id, ttl)
    return _read(session, catalogue, row, checklist_id, lang, today, ttl, public_url)


def update(
    *,
    session: Session,
    catalogue: CatalogueService,
    checklist_id: str,
    data: ChecklistUpdate,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
    public_url: str,
) -> ChecklistRead:
    def change(row: Checklist) -> dict[str, Any]:
        slug = _slug(session, row)
        version_id, answers, event_date = row.journey_version_id, row.answers, row.event_date
        if data.upgrade:
            info = catalogue.current.versions.get(slug)
            if info is None:
                raise UnknownJourney(f"the journey '{slug}' is no longer published")
            version_id = info.id
        if data.answers is not None:
            answers = data.answers
        if data.clear_event_date:
            event_date = None
        elif data.event_date is not None:
            event_date = data.event_date
        planner, _ = catalogue.planner_for(version_id)
        # Refuses invalid answers.
        plan = make_plan(planner, slug, answers, event_date=event_date, today=today, lang=lang)
        keys = {step.key for step in plan.all_steps()}
        return {
            "journey_version_id": version_id,
            "answers": answers,
            "event_date": event_date,
            "done": [key for key in row.done if key in keys],  # ticks of steps that went away go
        }

    row = _change(session, checklist_id, ttl, change)
    return _read(session, catalogue, row, checklist_id, lang, today, ttl, public_url)


def set_done(
    *,
    session: Session,
    catalogue: CatalogueService,
    checklist_id: str,
    step_key: str,
    done: bool,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
    public_url: str,
) -> ChecklistRead:
    def change(row: Checklist) -> dict[str, Any]:
        plan = _plan(catalogue, row, _slug(session, row), lang=lang, today=today)
        if step_key not in {step.key for step in plan.all_steps()}:
            raise UnknownStep(f"this checklist has no step '{step_key[:160]}'")
        ticked = [key for key in row.done if key != step_key]
        return {"done": [*ticked, step_key] if done else ticked}

    row = _change(session, checklist_id, ttl, change)
    return _read(session, catalogue, row, checklist_id, lang, today, ttl, public_url)


def delete(*, session: Session, checklist_id: str, ttl: dt.timedelta) -> None:
    _find(session, checklist_id, ttl)
    if not repository.remove(session, hash_id(checklist_id)):
        raise _unknown()


def purge(*, session: Session, ttl: dt.timedelta) -> int:
    """Delete every checklist unused for longer than `ttl`."""
    return repository.purge_unused(session, before=utcnow() - ttl)


def _find(session: Session, checklist_id: str, ttl: dt.timedelta) -> Checklist:
    """The checklist as stored now, unless it is unknown or expired."""
    row = repository.get(session, hash_id(checklist_id)) if len(checklist_id) <= 100 else None
    if row is None or row.last_used_at < utcnow() - ttl:
        raise _unknown()
    return row


def _unknown() -> UnknownChecklist:
    return UnknownChecklist("there is no such checklist: it was deleted, or it expired")


def _load(session: Session, checklist_id: str, ttl: dt.timedelta) -> Checklist:
    """The checklist, to read: using it keeps it from expiring."""
    row = _find(session, checklist_id, ttl)
    row.last_used_at = utcnow()  # written alone (not the rest of the row) when the request ends
    return row


# Writers that keep losing the race this often are told to try again (503); in practice the
# second attempt wins: by then this request holds the lock (SQLite's write lock, PostgreSQL's row).
ATTEMPTS = 5


def _change(
    session: Session,
    checklist_id: str,
    ttl: dt.timedelta,
    change: Callable[[Checklist], dict[str, Any]],
) -> Checklist:
    """Read the checklist, compute new values from it with `change` (which may refuse) and store
    them only if nobody wrote the checklist in between; else read it again and recompute. Every
    write is one compare-and-set on `revision`, so no request overwrites another's change."""
    for _ in range(ATTEMPTS):
        row = _find(session, checklist_id, ttl)
        if repository.write_if_unchanged(session, row, **change(row), last_used_at=utcnow()):
            return row
    raise ChecklistBusy("the checklist is being changed by many at once: try again")


def _slug(session: Session, row: Checklist) -> str:
    version = repository.version(session, row.journey_version_id)
    assert version is not None  # a foreign key guarantees it
    return version.slug


def _plan(
    catalogue: CatalogueService, row: Checklist, slug: str, *, lang: str, today: dt.date | None
) -> Plan:
    planner, _ = catalogue.planner_for(row.journey_version_id)
    return make_plan(planner, slug, row.answers, event_date=row.event_date, today=today, lang=lang)


@dataclass(frozen=True)
class Opened:
    """A saved checklist with its plan as the engine made it (for the pages)."""

    journey: str
    version: int
    answers: dict[str, Any]
    event_date: dt.date | None
    done: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    newer_version: NewerVersion | None
    plan: Plan


def open_checklist(
    *,
    session: Session,
    catalogue: CatalogueService,
    checklist_id: str,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
) -> Opened:
    row = _load(session, checklist_id, ttl)
    _feed_ready(row, checklist_id)
    return _open(session, catalogue, row, lang=lang, today=today, ttl=ttl)


@dataclass(frozen=True)
class Feed:
    """What a checklist's calendar feed shows: the plan, the ticks, and a per-checklist seed
    for the events' UIDs (stable, so an update replaces the events instead of adding)."""

    journey: str
    done: frozenset[str]
    plan: Plan
    revision: int
    uid_seed: str


def calendar_feed(
    *,
    session: Session,
    catalogue: CatalogueService,
    token: str,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
) -> Feed:
    """The checklist a calendar feed token belongs to, as it is now. A calendar app polling is
    not the person using the checklist: reading the feed does not keep it from expiring."""
    calendar_hash = hash_id(token)
    row = repository.by_calendar_hash(session, calendar_hash) if len(token) <= 100 else None
    if row is None or row.last_used_at < utcnow() - ttl:
        raise _unknown()
    slug = _slug(session, row)
    return Feed(
        journey=slug,
        done=frozenset(row.done),
        plan=_plan(catalogue, row, slug, lang=lang, today=today),
        revision=row.revision,
        uid_seed=calendar_hash,
    )


def _open(
    session: Session,
    catalogue: CatalogueService,
    row: Checklist,
    *,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
) -> Opened:
    version = repository.version(session, row.journey_version_id)
    assert version is not None
    plan = _plan(catalogue, row, version.slug, lang=lang, today=today)
    return Opened(
        journey=version.slug,
        version=version.number,
        answers=row.answers,
        event_date=row.event_date,
        done=list(row.done),
        created_at=row.created_at,
        expires_at=row.last_used_at + ttl,
        newer_version=_newer(catalogue, row, version.slug, plan, lang=lang, today=today),
        plan=plan,
    )


def _read(
    session: Session,
    catalogue: CatalogueService,
    row: Checklist,
    checklist_id: str,
    lang: str,
    today: dt.date | None,
    ttl: dt.timedelta,
    public_url: str,
) -> ChecklistRead:
    _feed_ready(row, checklist_id)
    opened = _open(session, catalogue, row, lang=lang, today=today, ttl=ttl)
    return ChecklistRead(
        id=checklist_id,
        journey=opened.journey,
        version=opened.version,
        answers=opened.answers,
        event_date=opened.event_date,
        done=opened.done,
        created_at=opened.created_at,
        expires_at=opened.expires_at,
        newer_version=opened.newer_version,
        plan=views.plan_read(opened.plan, opened.version),
        calendar_feed_url=public_url + calendar_feed_path(lang, checklist_id),
    )


def _newer(
    catalogue: CatalogueService,
    row: Checklist,
    slug: str,
    plan: Plan,
    *,
    lang: str,
    today: dt.date | None,
) -> NewerVersion | None:
    """What the newest published version would change, if this checklist is on an older one."""
    info = catalogue.current.versions.get(slug)
    if info is None or info.id == row.journey_version_id:
        return None
    try:
        newer = make_plan(
            catalogue.current.planner,
            slug,
            row.answers,
            event_date=row.event_date,
            today=today,
            lang=lang,
        )
    except InvalidAnswers:
        # The answers no longer fit: everything would need answering again.
        return NewerVersion(
            version=info.number, added=[], removed=[s.key for s in plan.all_steps()]
        )
    before = [s.key for s in plan.all_steps()]
    after = [s.key for s in newer.all_steps()]
    return NewerVersion(
        version=info.number,
        added=[key for key in after if key not in before],
        removed=[key for key in before if key not in after],
    )
