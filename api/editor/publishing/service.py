"""Publishing: a draft, or an earlier version's content (rollback), becomes the journey's next
version. Both take one path (`_new_version`): the same check, the same refusals, one audit
entry, and the catalogue every worker serves refreshed once it is committed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from api import metrics
from api.catalogue import repository as catalogue_repository
from api.catalogue.service import CatalogueService, Published, publish_journey
from api.db import transaction
from api.editor import checks, tokens
from api.editor.drafts import service as drafts_service
from api.editor.history import service as history_service
from api.editor.schemas import PublishedRead, ScenarioResult
from api.editor.tokens import Editor
from api.engine.problems import Problem
from api.errors import Conflict, Unauthorized


class NothingToPublish(Conflict):
    type = "/problems/nothing-to-publish"
    title = "Nothing to publish"


class PublishedMeanwhile(Conflict):
    type = "/problems/published-meanwhile"
    title = "A newer version was published after the draft started"


class PublishBlocked(Conflict):
    """The document has problems or failing scenarios: nothing is published."""

    type = "/problems/not-ready-to-publish"
    title = "Not ready to publish"

    def __init__(self, problems: list[Problem], failing: list[ScenarioResult]) -> None:
        said = "; ".join(f"'{s.name}': {' / '.join(s.differences)}" for s in failing)
        detail = f"not published: {len(problems)} problem(s)"
        if failing:
            detail += f"; {len(failing)} scenario(s) fail: {said}"
        super().__init__(detail[:4000], problems=checks.places(problems))


def _nothing() -> None:
    pass


@dataclass(frozen=True)
class Candidate:
    """A document to publish as the journey's next version, and what publishing it records."""

    content: dict[str, Any]
    action: str  # in the audit log and the metrics: "publish" or "rollback"
    note: str
    detail: dict[str, Any]  # for the audit entry, beside the new content hash
    unchanged: str  # the refusal when it is exactly what is published now
    then: Callable[[], None] = field(default=_nothing)  # once the version is written


def publish(
    *,
    sessions: sessionmaker[Session],
    catalogue: CatalogueService,
    editor: Editor,
    slug: str,
    if_match: str | None,
    note: str,
    replaces: int | None = None,
) -> PublishedRead:
    """Publish the draft at the revision If-Match names; the draft goes with it."""

    def the_draft(session: Session, published: Published) -> Candidate:
        row = drafts_service.load(session=session, slug=slug)
        expected = drafts_service.expected_revision(row, if_match)
        current = history_service.published_number(published, slug)
        if current != row.based_on_version and replaces != current:
            # Someone published (an import, another draft, a rollback) after this draft began:
            # publishing it unasked would silently undo their change.
            raise PublishedMeanwhile(
                f"version {current} was published after this draft started from version "
                f"{row.based_on_version}: see what it changed (preview/diff), then publish with "
                f"replaces_version: {current} to replace it"
            )
        return Candidate(
            content=row.content,
            action="publish",
            note=note,
            detail={"draft_revision": expected},
            unchanged="the draft is exactly the published version",
            then=lambda: drafts_service.remove(session=session, slug=slug, expected=expected),
        )

    return _new_version(
        sessions=sessions, catalogue=catalogue, editor=editor, slug=slug, candidate=the_draft
    )


def rollback(
    *,
    sessions: sessionmaker[Session],
    catalogue: CatalogueService,
    editor: Editor,
    slug: str,
    number: int,
    note: str,
) -> PublishedRead:
    """Publish an earlier version's content again, as a new version (history is never
    rewritten). It must still pass today's check: shared definitions may have moved on."""

    def the_old_version(session: Session, published: Published) -> Candidate:
        old = history_service.load_version(session=session, slug=slug, number=number)
        return Candidate(
            content=old.content,
            action="rollback",
            note=note,
            detail={"content_of_version": number},
            unchanged=f"version {number} is what is published now",
        )

    return _new_version(
        sessions=sessions, catalogue=catalogue, editor=editor, slug=slug, candidate=the_old_version
    )


def _new_version(
    *,
    sessions: sessionmaker[Session],
    catalogue: CatalogueService,
    editor: Editor,
    slug: str,
    candidate: Callable[[Session, Published], Candidate],
) -> PublishedRead:
    """The one way an editor publishes, all or nothing: the new version, the generation every
    worker watches, the audit entry and the candidate's own change commit together or not at
    all. `candidate` picks the document once the publishing lock is held."""
    with transaction(sessions) as session:
        published = _lock_and_refresh(session, catalogue)
        chosen = candidate(session, published)
        journey = checks.parse(slug=slug, data=chosen.content)
        result = checks.check(published, journey)
        if result.problems:
            failing = [s for s in checks.scenarios(result, journey).scenarios if not s.passed]
            raise PublishBlocked(result.problems, failing)
        _still_live(session, editor)
        version = publish_journey(session, journey, author=editor.name, note=chosen.note)
        if version is None:
            raise NothingToPublish(chosen.unchanged)
        chosen.then()
        history_service.record(
            session=session,
            editor=editor,
            action=chosen.action,
            slug=slug,
            version=version.number,
            note=chosen.note,
            detail={"content_hash": version.content_hash} | chosen.detail,
        )
        out = PublishedRead(slug=slug, version=version.number, content_hash=version.content_hash)
    metrics.PUBLISHES.labels(chosen.action).inc()  # committed
    catalogue.refresh()  # this worker serves it now; the others within POLKU_RELOAD_SECONDS
    return out


def _still_live(session: Session, editor: Editor) -> None:
    """Asked last, just before writing: the token may have been revoked (or have expired) since
    the request was let in, while the catalogue was checked."""
    if not tokens.is_live(session, editor):
        raise Unauthorized("the token was revoked or has expired: nothing was published")


def _lock_and_refresh(session: Session, catalogue: CatalogueService) -> Published:
    """Take the publishing lock, then look at what is published now. Bumping the generation
    first holds its row (PostgreSQL) or the database's write lock (SQLite) to the end of the
    transaction, so two publishes (or a publish and an import) never check against a
    catalogue the other is changing; the bump is undone with everything else on failure."""
    catalogue_repository.bump_generation(session)
    session.flush()
    catalogue.refresh()
    return catalogue.current
