"""A journey's draft: started from the published version or new content, read, edited and
discarded. Every write is checked (`checks`) and stored only at the revision its writer read
(compare-and-set), so no one's edit is silently lost."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from api.catalogue import fingerprints
from api.catalogue.content import normalised
from api.catalogue.service import Published
from api.db import utcnow
from api.editor import checks, repository
from api.editor.content import UnknownItem
from api.editor.history import service as history_service
from api.editor.models import Draft
from api.editor.schemas import DraftList, DraftRead, DraftSummary
from api.editor.tokens import Editor
from api.engine.problems import Path
from api.errors import Conflict, NotFound, PreconditionFailed, PreconditionRequired, UnknownJourney
from api.http.etag import etag_matches


class UnknownDraft(NotFound):
    type = "/problems/unknown-draft"
    title = "No such draft"


class DraftExists(Conflict):
    type = "/problems/draft-exists"
    title = "The journey has a draft already"


def etag(row: Draft) -> str:
    return f'"{row.key}.{row.revision}"'


def expected_revision(row: Draft, if_match: str | None) -> int:
    """The revision a write may replace: the draft's, if If-Match names its current ETag."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "send If-Match with the draft's ETag (from reading it), so no one's edit is lost"
        )
    if not etag_matches(if_match, etag(row), wildcard=False):
        raise PreconditionFailed(
            "the draft changed since you read it (or If-Match is not its ETag): read it again, "
            "make your change on the new version and send it with the new ETag"
        )
    return row.revision


def _summary(row: Draft, published: Published) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "revision": row.revision,
        "based_on_version": row.based_on_version,
        "published_version": history_service.published_number(published, row.slug),
        "problems": len(row.problems),
        "updated_at": row.updated_at,
        "updated_by": row.updated_by,
    }


def draft_read(row: Draft, published: Published) -> DraftRead:
    return DraftRead(
        **_summary(row, published),
        etag=etag(row),
        ready_to_publish=not row.problems,
        problem_list=row.problems,
        content=row.content,
    )


def list_drafts(*, session: Session, published: Published) -> DraftList:
    return DraftList(
        drafts=[DraftSummary(**_summary(row, published)) for row in repository.drafts(session)]
    )


def load(*, session: Session, slug: str) -> Draft:
    row = repository.draft(session, slug)
    if row is None:
        raise UnknownDraft(f"there is no draft of '{slug}': start one with POST /v1/editor/drafts")
    return row


def read(*, session: Session, published: Published, slug: str) -> DraftRead:
    return draft_read(load(session=session, slug=slug), published)


def start(
    *,
    session: Session,
    published: Published,
    editor: Editor,
    slug: str,
    content: dict[str, Any] | None = None,
) -> DraftRead:
    """A new draft: of the published version when `content` is None, else of `content`."""
    based_on = history_service.published_number(published, slug)
    if content is None:
        if based_on is None:
            raise UnknownJourney(
                f"'{slug}' is not published: send `content` to start a new journey"
            )
        source: Any = normalised(published.catalogue.journeys[slug])
    else:
        source = content
    journey = checks.parse(slug=slug, data=source)
    result = checks.check(published, journey)
    now = utcnow()
    row = Draft(
        slug=slug,
        key=secrets.token_hex(8),
        content=normalised(journey),
        problems=checks.places(result.problems),
        revision=1,
        based_on_version=based_on,
        created_at=now,
        updated_at=now,
        updated_by=editor.name,
    )
    if repository.draft(session, slug) is not None or not repository.add_draft(session, row):
        raise DraftExists(f"'{slug}' has a draft already: edit that one, or discard it first")
    fingerprints.record(
        session,
        slug=slug,
        before=None if based_on is None else normalised(published.catalogue.journeys[slug]),
        after=row.content,
        by=editor.name,
    )
    history_service.record(
        session=session,
        editor=editor,
        action="draft.start",
        slug=slug,
        version=based_on,
        detail={"revision": 1},
    )
    return draft_read(row, published)


def new_journey(
    *,
    session: Session,
    published: Published,
    editor: Editor,
    slug: str,
    title: str,
    owner: str,
    today: dt.date,
) -> DraftRead:
    """A draft of a journey that is not published yet, from the smallest content the format
    accepts: one step and the owner's own page as its source. What is still missing (the
    translations, the step's real texts, scenarios) the check names as problems."""
    if slug in published.catalogue.journeys:
        raise DraftExists(f"'{slug}' is published already: start a draft of it instead")
    organisation = published.catalogue.organisations.get(owner)
    if organisation is None:
        raise UnknownItem(f"there is no organisation '{owner[:80]}'")
    content = {
        "slug": slug,
        "kind": "life",
        "title": {"fi": title},
        "summary": {"fi": title},
        "owner": owner,
        "last_reviewed": today.isoformat(),
        "sources": [
            {"id": "owner_page", "title": normalised(organisation.name), "url": organisation.url.fi}
        ],
        "event_date": {
            "label": {"fi": "Tapahtumapäivä"},
            "after": {"fi": "tapahtumapäivän jälkeen"},
            "before": {"fi": "ennen tapahtumapäivää"},
        },
        "steps": [
            {
                "id": "first-step",
                "kind": "task",
                "timing": "after",
                "title": {"fi": title},
                "body": {"fi": title},
                "organisation": owner,
                "sources": ["owner_page"],
            }
        ],
    }
    return start(session=session, published=published, editor=editor, slug=slug, content=content)


Edit = Callable[[dict[str, Any]], Any]


def write(
    *,
    session: Session,
    published: Published,
    editor: Editor,
    slug: str,
    if_match: str | None,
    edit: Edit,
    action: str,
    lines: dict[Path, int] | None = None,
) -> DraftRead:
    """Apply `edit` to the draft at the revision If-Match names (the draft's ETag, as read),
    check the result and store it only if no one wrote meanwhile (compare-and-set)."""
    row = load(session=session, slug=slug)
    expected, before = expected_revision(row, if_match), row.content
    journey = checks.parse(slug=slug, data=edit(before), lines=lines)
    result = checks.check(published, journey)
    content, problems, now = normalised(journey), checks.places(result.problems), utcnow()
    stored = repository.replace_draft(
        session,
        slug=slug,
        expected=expected,
        content=content,
        problems=problems,
        by=editor.name,
        at=now,
    )
    if not stored:
        raise PreconditionFailed(
            "someone else changed the draft at the same moment: read it again and redo your edit"
        )
    # A translation saved here was written against the Finnish saved with it.
    fingerprints.record(session, slug=slug, before=before, after=content, by=editor.name)
    history_service.record(
        session=session,
        editor=editor,
        action=action,
        slug=slug,
        version=row.based_on_version,
        detail={"revision": expected + 1},
    )
    session.expire(row)
    return read(session=session, published=published, slug=slug)


def discard(*, session: Session, editor: Editor, slug: str, if_match: str | None) -> None:
    """Throw the draft away, if it is still at the revision If-Match names."""
    row = load(session=session, slug=slug)
    remove(session=session, slug=slug, expected=expected_revision(row, if_match))
    history_service.record(
        session=session,
        editor=editor,
        action="draft.discard",
        slug=slug,
        version=row.based_on_version,
        detail={},
    )


def remove(*, session: Session, slug: str, expected: int) -> None:
    """Delete the draft if it is still at the `expected` revision (discarded, or published)."""
    if not repository.remove_draft(session, slug=slug, expected=expected):
        raise PreconditionFailed("the draft changed meanwhile: read it again")
