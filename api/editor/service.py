"""The editors' workflow: drafts checked on every write, preview, scenario-guarded publishing,
rollback, history, the audit log and the translation report.

A draft is checked the way an import is: the published catalogue with the draft in place of its
journey goes through the engine's parse, validate and scenario run (`check_catalogue`). A draft
that does not parse as a journey is refused; every other problem is kept on it, and publishing
needs none at all, as importing does. Publishing and rollback go through the catalogue's one
publishing function, in one transaction with the generation bump and the audit entry.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from api import metrics
from api.catalogue import repository as catalogue_repository
from api.catalogue.content import normalised
from api.catalogue.service import CatalogueService, Published, publish_journey
from api.db import transaction, utcnow
from api.editor import repository, tokens
from api.editor.content import diff, pointer
from api.editor.models import AuditEntry, Draft
from api.editor.schemas import (
    AuditEntryRead,
    AuditPage,
    DiffRead,
    DraftCreate,
    DraftDiffRead,
    DraftList,
    DraftRead,
    DraftSummary,
    OutcomeChange,
    PublishedRead,
    ScenarioResult,
    ScenariosRead,
    TranslationJourney,
    TranslationReport,
    VersionList,
    VersionRead,
    VersionSummary,
)
from api.editor.tokens import Editor
from api.engine import model as m
from api.engine.answers import AnswersRefused
from api.engine.catalogue import parse_documents
from api.engine.check import CheckResult, affected_by, check_catalogue, compare
from api.engine.planner import Planner
from api.engine.problems import Path, Problem
from api.engine.validate import translation_report, validate
from api.engine.yamlfile import YamlError, load_yaml
from api.errors import (
    ApiError,
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Unauthorized,
    UnknownJourney,
)
from api.http.etag import etag_matches
from api.plans import views
from api.plans.schemas import PlanRead, PlanRequest
from api.plans.service import make_plan


class UnknownDraft(NotFound):
    type = "/problems/unknown-draft"
    title = "No such draft"


class UnknownVersion(NotFound):
    type = "/problems/unknown-version"
    title = "No such version"


class DraftExists(Conflict):
    type = "/problems/draft-exists"
    title = "The journey has a draft already"


class NothingToPublish(Conflict):
    type = "/problems/nothing-to-publish"
    title = "Nothing to publish"


class PublishedMeanwhile(Conflict):
    type = "/problems/published-meanwhile"
    title = "A newer version was published after the draft started"


class NotPlannable(Conflict):
    type = "/problems/not-plannable"
    title = "The draft cannot be planned yet"


class InvalidDraft(ApiError):
    """Content that does not parse as a journey: refused, each place named."""

    status = 422
    type = "/problems/invalid-draft"
    title = "The draft is not a valid journey"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"{len(problems)} problem(s); nothing was changed: fix each place and send it again",
            problems=places(problems),
        )


class PublishBlocked(Conflict):
    """The draft has problems or failing scenarios: nothing is published."""

    type = "/problems/not-ready-to-publish"
    title = "Not ready to publish"

    def __init__(self, problems: list[Problem], failing: list[ScenarioResult]) -> None:
        said = "; ".join(f"'{s.name}': {' / '.join(s.differences)}" for s in failing)
        detail = f"not published: {len(problems)} problem(s)"
        if failing:
            detail += f"; {len(failing)} scenario(s) fail: {said}"
        super().__init__(detail[:4000], problems=places(problems))


def places(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "pointer": pointer(p.path), "message": p.message, "kind": p.kind}
        for p in problems
    ]


# --- parsing and checking --------------------------------------------------------------------


def from_yaml(text: bytes, slug: str) -> tuple[Any, dict[Path, int]]:
    """A YAML body in the journey file format; a broken one is refused with its line."""
    try:
        return load_yaml(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidDraft([Problem(f"{slug}.yaml", (), "the text is not UTF-8")]) from None
    except YamlError as exc:
        line = f" (line {exc.line})" if exc.line else ""
        problem = Problem(f"{slug}.yaml", (), f"not valid YAML{line}: {exc.message}", exc.line)
        raise InvalidDraft([problem]) from None


def parse(slug: str, data: Any, lines: dict[Path, int] | None = None) -> m.Journey:
    """The draft's document as a journey, or InvalidDraft naming every place to fix (the same
    messages `polku journeys check` gives for a file). Its slug must be the draft's."""
    name = f"{slug}.yaml"
    catalogue, problems = parse_documents({name: data}, {name: lines or {}})
    mine = [p for p in problems if p.file == name]
    journey = catalogue.journeys.get(slug)
    if mine or journey is None:
        raise InvalidDraft(mine or [Problem(name, ("slug",), f"the slug must be '{slug}'")])
    return journey


def check(published: Published, journey: m.Journey) -> CheckResult:
    """The published catalogue with this journey in place of its published version, checked
    end to end: references, translations, and the scenarios and coverage of every journey the
    draft can change (the others passed theirs when they were published, and still do)."""
    catalogue = published.catalogue.with_journey(journey)
    return check_catalogue(catalogue, [], scenarios_of=affected_by(catalogue, journey.slug))


def scenarios(result: CheckResult, journey: m.Journey) -> ScenariosRead:
    """The journey's scenarios run against the checked catalogue, each with how it differs."""
    planner = result.planner
    if planner is None or journey.slug not in planner.slugs:
        return ScenariosRead(run=False, scenarios=[])
    out = []
    for scenario in journey.scenarios:
        try:
            plan = planner.plan(
                journey.slug,
                scenario.answers,
                event_date=scenario.event_date,
                today=scenario.today,
                lang="en",
            )
        except AnswersRefused as exc:
            differences = [f"the answer to '{p.question}': {p.message}" for p in exc.problems]
        else:
            differences = [message for _, message in compare(journey, scenario, plan)]
        out.append(
            ScenarioResult(name=scenario.name, passed=not differences, differences=differences)
        )
    return ScenariosRead(run=True, scenarios=out)


# --- drafts ----------------------------------------------------------------------------------


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


def _published_version(published: Published, slug: str) -> int | None:
    info = published.versions.get(slug)
    return info.number if info else None


def _summary(row: Draft, published: Published) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "revision": row.revision,
        "based_on_version": row.based_on_version,
        "published_version": _published_version(published, row.slug),
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


def list_drafts(session: Session, published: Published) -> DraftList:
    return DraftList(
        drafts=[DraftSummary(**_summary(row, published)) for row in repository.drafts(session)]
    )


def load(session: Session, slug: str) -> Draft:
    row = repository.draft(session, slug)
    if row is None:
        raise UnknownDraft(f"there is no draft of '{slug}': start one with POST /v1/editor/drafts")
    return row


def start(session: Session, published: Published, editor: Editor, data: DraftCreate) -> DraftRead:
    slug = data.slug
    based_on = _published_version(published, slug)
    if data.content is None:
        if based_on is None:
            raise UnknownJourney(
                f"'{slug}' is not published: send `content` to start a new journey"
            )
        source: Any = normalised(published.catalogue.journeys[slug])
    else:
        source = data.content
    journey = parse(slug, source)
    result = check(published, journey)
    now = utcnow()
    row = Draft(
        slug=slug,
        key=secrets.token_hex(8),
        content=normalised(journey),
        problems=places(result.problems),
        revision=1,
        based_on_version=based_on,
        created_at=now,
        updated_at=now,
        updated_by=editor.name,
    )
    if repository.draft(session, slug) is not None or not repository.add_draft(session, row):
        raise DraftExists(f"'{slug}' has a draft already: edit that one, or discard it first")
    _audit(session, editor, "draft.start", slug, based_on, detail={"revision": 1})
    return draft_read(row, published)


Edit = Callable[[dict[str, Any]], Any]


def write(
    session: Session,
    published: Published,
    editor: Editor,
    *,
    slug: str,
    if_match: str | None,
    edit: Edit,
    action: str,
    lines: dict[Path, int] | None = None,
) -> DraftRead:
    """Apply `edit` to the draft at the revision If-Match names, check the result and store it
    only if no one wrote meanwhile (compare-and-set on the revision)."""
    row = load(session, slug)
    expected = expected_revision(row, if_match)
    journey = parse(slug, edit(row.content), lines)
    result = check(published, journey)
    content, problems, now = normalised(journey), places(result.problems), utcnow()
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
    _audit(session, editor, action, slug, row.based_on_version, detail={"revision": expected + 1})
    session.expire(row)
    return draft_read(load(session, slug), published)


def discard(session: Session, editor: Editor, *, slug: str, if_match: str | None) -> None:
    row = load(session, slug)
    expected = expected_revision(row, if_match)
    if not repository.remove_draft(session, slug=slug, expected=expected):
        raise PreconditionFailed("the draft changed meanwhile: read it again")
    _audit(session, editor, "draft.discard", slug, row.based_on_version, detail={})


# --- preview -----------------------------------------------------------------------------------


def _checked(session: Session, published: Published, slug: str) -> tuple[m.Journey, CheckResult]:
    journey = parse(slug, load(session, slug).content)
    return journey, check(published, journey)


def preview_plan(
    session: Session, published: Published, slug: str, data: PlanRequest, lang: str
) -> PlanRead:
    """The plan this person would get once the draft is published."""
    _, result = _checked(session, published, slug)
    if result.planner is None or slug not in result.planner.slugs:
        errors = [p for p in result.problems if p.kind == "error"]
        raise NotPlannable(f"fix {len(errors)} problem(s) first", problems=places(errors))
    plan = make_plan(
        result.planner,
        slug,
        data.answers,
        event_date=data.event_date,
        today=data.today,
        lang=data.lang or lang,
    )
    return views.plan_read(plan, 0)


def preview_scenarios(session: Session, published: Published, slug: str) -> ScenariosRead:
    journey, result = _checked(session, published, slug)
    return scenarios(result, journey)


def preview_diff(session: Session, published: Published, slug: str) -> DraftDiffRead:
    """The draft against the published version, and whose plans it changes: every scenario of
    either, planned by both."""
    journey, result = _checked(session, published, slug)
    before = published.catalogue.journeys.get(slug)
    people = {s.name: s for s in (before.scenarios if before else [])} | {
        s.name: s for s in journey.scenarios
    }
    changes = []
    for scenario in people.values():
        old = _outcome(published.planner if before else None, slug, scenario)
        new = _outcome(result.planner, slug, scenario)
        if old != new:
            changes.append(
                OutcomeChange(
                    scenario=scenario.name,
                    added=[k for k in new if k not in old],
                    removed=[k for k in old if k not in new],
                    due_changed=[k for k in new if k in old and new[k] != old[k]],
                )
            )
    return DraftDiffRead(
        published_version=_published_version(published, slug),
        diff=DiffRead.model_validate(
            diff(normalised(before) if before else None, normalised(journey))
        ),
        outcomes_changed=changes,
    )


def _outcome(planner: Planner | None, slug: str, scenario: m.Scenario) -> dict[str, str | None]:
    """A scenario person's steps and their due dates; nothing when they cannot be planned."""
    if planner is None or slug not in planner.slugs:
        return {}
    try:
        plan = planner.plan(
            slug, scenario.answers, event_date=scenario.event_date, today=scenario.today, lang="en"
        )
    except AnswersRefused:
        return {}
    return {s.key: s.due.isoformat() if s.due else None for s in plan.all_steps()}


# --- publishing ------------------------------------------------------------------------------


def publish(
    sessions: sessionmaker[Session],
    catalogue: CatalogueService,
    editor: Editor,
    *,
    slug: str,
    if_match: str | None,
    note: str,
    replaces: int | None = None,
) -> PublishedRead:
    """Publish the draft, all or nothing: the new version, the generation every worker
    watches, the audit entry and the draft's removal commit together or not at all."""
    with transaction(sessions) as session:
        published = _lock_and_refresh(session, catalogue)
        row = load(session, slug)
        expected = expected_revision(row, if_match)
        current = _published_version(published, slug)
        if current != row.based_on_version and replaces != current:
            # Someone published (an import, another draft, a rollback) after this draft began:
            # publishing it unasked would silently undo their change.
            raise PublishedMeanwhile(
                f"version {current} was published after this draft started from version "
                f"{row.based_on_version}: see what it changed (preview/diff), then publish with "
                f"replaces_version: {current} to replace it"
            )
        journey = parse(slug, row.content)
        result = check(published, journey)
        if result.problems:
            failing = [s for s in scenarios(result, journey).scenarios if not s.passed]
            raise PublishBlocked(result.problems, failing)
        _still_live(session, editor)
        version = publish_journey(session, journey, author=editor.name, note=note)
        if version is None:
            raise NothingToPublish("the draft is exactly the published version")
        if not repository.remove_draft(session, slug=slug, expected=expected):
            raise PreconditionFailed("the draft changed meanwhile: read it again")
        _audit(
            session,
            editor,
            "publish",
            slug,
            version.number,
            note=note,
            detail={"content_hash": version.content_hash, "draft_revision": expected},
        )
        out = PublishedRead(slug=slug, version=version.number, content_hash=version.content_hash)
    metrics.PUBLISHES.labels("publish").inc()  # committed
    catalogue.refresh()  # this worker serves it now; the others within POLKU_RELOAD_SECONDS
    return out


def rollback(
    sessions: sessionmaker[Session],
    catalogue: CatalogueService,
    editor: Editor,
    *,
    slug: str,
    number: int,
    note: str,
) -> PublishedRead:
    """Publish an earlier version's content again, as a new version (history is never
    rewritten). It must still pass today's check: shared definitions may have moved on."""
    with transaction(sessions) as session:
        published = _lock_and_refresh(session, catalogue)
        old = repository.version(session, slug, number)
        if old is None:
            raise UnknownVersion(f"'{slug}' has no version {number}")
        journey = parse(slug, old.content)
        result = check(published, journey)
        if result.problems:
            failing = [s for s in scenarios(result, journey).scenarios if not s.passed]
            raise PublishBlocked(result.problems, failing)
        _still_live(session, editor)
        version = publish_journey(session, journey, author=editor.name, note=note)
        if version is None:
            raise NothingToPublish(f"version {number} is what is published now")
        _audit(
            session,
            editor,
            "rollback",
            slug,
            version.number,
            note=note,
            detail={"content_of_version": number, "content_hash": version.content_hash},
        )
        out = PublishedRead(slug=slug, version=version.number, content_hash=version.content_hash)
    metrics.PUBLISHES.labels("rollback").inc()  # committed
    catalogue.refresh()
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


# --- history -----------------------------------------------------------------------------------


def _summary_of(version: Any, published: Published) -> dict[str, Any]:
    return {
        "number": version.number,
        "published": version.number == _published_version(published, version.slug),
        "content_hash": version.content_hash,
        "created_at": version.created_at,
        "created_by": version.created_by,
        "change_note": version.change_note,
    }


def versions(session: Session, published: Published, slug: str) -> VersionList:
    rows = repository.versions(session, slug)
    if not rows:
        raise UnknownJourney(f"'{slug}' has never been published")
    return VersionList(
        slug=slug, versions=[VersionSummary(**_summary_of(v, published)) for v in rows]
    )


def version(session: Session, published: Published, slug: str, number: int) -> VersionRead:
    row = repository.version(session, slug, number)
    if row is None:
        raise UnknownVersion(f"'{slug}' has no version {number}")
    return VersionRead(**_summary_of(row, published), slug=slug, content=row.content)


def diff_versions(session: Session, slug: str, older: int, newer: int) -> DiffRead:
    contents = []
    for number in (older, newer):
        row = repository.version(session, slug, number)
        if row is None:
            raise UnknownVersion(f"'{slug}' has no version {number}")
        contents.append(row.content)
    return DiffRead.model_validate(diff(contents[0], contents[1]))


# --- audit and translations --------------------------------------------------------------------


def _audit(
    session: Session,
    editor: Editor,
    action: str,
    slug: str | None,
    version_number: int | None,
    *,
    note: str = "",
    detail: Mapping[str, Any],
) -> None:
    repository.audit(
        session,
        AuditEntry(
            at=utcnow(),
            actor=editor.name,
            action=action,
            slug=slug,
            version=version_number,
            change_note=note,
            detail=dict(detail),
        ),
    )


def audit_page(session: Session, *, cursor: int | None, limit: int) -> AuditPage:
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


def translations(published: Published) -> TranslationReport:
    """The same report as `polku journeys translations`, over what is published."""
    rows = translation_report(published.catalogue, validate(published.catalogue))
    return TranslationReport(
        journeys=[
            TranslationJourney(
                name=row.name,
                texts=row.texts,
                missing_sv=[pointer(p.path[:-1]) for p in row.missing_in("sv")],
                missing_en=[pointer(p.path[:-1]) for p in row.missing_in("en")],
            )
            for row in rows
        ],
        missing=sum(len(row.missing) for row in rows),
    )
