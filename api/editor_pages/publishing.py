"""Publishing a draft with a change note, comparing two versions and rolling back to one.

Publishing and rolling back are the publishers' (an editor gets a page saying so, 403, and never
sees their buttons). What blocks a publish and every refusal are the publishing service's
(api.editor.publishing); these routes call it and show its answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypedDict

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from api.catalogue.service import CatalogueService
from api.db import transaction
from api.editor import checks
from api.editor.drafts import service as drafts_service
from api.editor.history import service as history_service
from api.editor.preview import service as preview_service
from api.editor.publishing import service as publishing_service
from api.editor.schemas import VersionList
from api.editor.tokens import Editor
from api.editor_pages import access
from api.editor_pages.access import CheckedFormDep, SignedInDep
from api.editor_pages.page import JourneyPage, JourneyPageDep
from api.editor_pages.render import render, see_other
from api.editor_pages.sessions import SignedIn
from api.editor_pages.slugs import SlugDep, version_number
from api.engine.texts import TextLookup
from api.errors import (
    ApiError,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Unauthorized,
)
from api.http.numbers import whole_number

router = APIRouter(prefix="/editor/journeys/{slug}", include_in_schema=False)
NOTE_LIMIT = 2000  # as the API's change note


class NotAllowed(Exception):
    """A publisher's action asked for by an editor: a page saying so, nothing done."""

    def __init__(self, signed_in: SignedIn) -> None:
        super().__init__("publishers only")
        self.signed_in = signed_in


def _publisher(signed_in: SignedIn) -> None:
    if not signed_in.editor.may("publisher"):
        raise NotAllowed(signed_in)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotAllowed)
    return render(
        request, "editor/error.html", signed_in=exc.signed_in, status=403, reason="forbidden"
    )


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NotAllowed, _not_allowed)


class _Acting(TypedDict):
    sessions: sessionmaker[Session]
    catalogue: CatalogueService
    editor: Editor
    slug: str


@dataclass(frozen=True)
class PublisherForm:
    """A publisher's form on a journey (publish, roll back), its CSRF token and the role
    checked. No database session of the request's: the publishing service holds its own
    transaction, and the page shown again after a refusal opens a new one."""

    request: Request
    signed_in: SignedIn
    form: FormData
    slug: str

    def acting(self) -> _Acting:
        """Who publishes which journey, with what: as both publishing services take it."""
        return _Acting(
            sessions=self.request.app.state.sessions,
            catalogue=self.request.app.state.catalogue,
            editor=self.signed_in.editor,
            slug=self.slug,
        )


# Resolved as the routes always were: signed in, the form's token, the slug, then the role.
async def _publisher_form(
    request: Request, signed_in: SignedInDep, form: CheckedFormDep, slug: SlugDep
) -> PublisherForm:
    _publisher(signed_in)
    return PublisherForm(request, signed_in, form, slug)


PublisherFormDep = Annotated[PublisherForm, Depends(_publisher_form)]


def _title(page: JourneyPage) -> str:
    journey = page.published.catalogue.journeys.get(page.slug)
    return TextLookup(page.lang).get(journey.title) if journey else page.slug


def versions(page: JourneyPage) -> VersionList:
    """The journey's published versions, newest first; an unknown journey is not found."""
    try:
        return history_service.versions(
            session=page.session, published=page.published, slug=page.slug
        )
    except NotFound:
        raise page.not_found() from None


# --- publishing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Noted:
    """The change-note form as shown: the note as typed, what is wrong with it (`error`) or why
    the service refused (`refusal`, and what blocks it), none of it at first."""

    note: str = ""
    error: str | None = None
    refusal: str | None = None
    blocking: list[dict[str, Any]] | None = None
    status: int = 200

    def context(self) -> dict[str, Any]:
        """What both note forms' templates show of it."""
        return {
            "note": self.note,
            "error": self.error,
            "refusal": self.refusal,
            "note_limit": NOTE_LIMIT,
        }


FIRST = Noted()


def _publish_page(page: JourneyPage, noted: Noted = FIRST) -> Response:
    """The draft's state before publishing: what blocks it (every problem and failing
    scenario), and for a publisher the form with the change note."""
    session, published, slug = page.session, page.published, page.slug
    try:
        draft = drafts_service.read(session=session, published=published, slug=slug)
    except drafts_service.UnknownDraft:
        raise page.not_found() from None
    ran = preview_service.scenarios(session=session, published=published, slug=slug)
    blocking = noted.blocking
    problems: list[Any] = list(draft.problem_list if blocking is None else blocking)
    if ran.run:
        # The draft's own failing scenarios are listed once, with how each differs.
        own = f"{slug}.yaml"
        problems = [p for p in problems if not _own_scenario(p, own)]
    return page.render(
        "editor/publish.html",
        status=noted.status,
        title=_title(page),
        draft=draft,
        problems=problems,
        failing=[s for s in ran.scenarios if not s.passed],
        scenarios_run=ran.run,
        may_publish=page.signed_in.editor.may("publisher"),
        **noted.context(),
    )


def _own_scenario(problem: Any, file: str) -> bool:
    place = problem if isinstance(problem, dict) else problem.model_dump()
    return bool(place["file"] == file and str(place["pointer"]).startswith("/scenarios/"))


@router.get("/publish")
def publish_page(page: JourneyPageDep) -> Response:
    return _publish_page(page)


@router.post("/publish")
def publish(posted: PublisherFormDep) -> Response:
    """Publish the draft at the revision the page showed, with the change note."""
    revision = str(posted.form.get("revision") or "")
    replaces = str(posted.form.get("replaces") or "")

    def publish(note: str) -> int:
        try:
            return publishing_service.publish(
                **posted.acting(),
                if_match=revision,
                note=note,
                replaces=whole_number(replaces, digits=8),
            ).version
        except drafts_service.UnknownDraft:
            raise access.EditorPageNotFound(posted.signed_in) from None
        except publishing_service.PublishedMeanwhile:
            raise Refused("meanwhile") from None
        except (PreconditionFailed, PreconditionRequired):
            raise Refused("changed") from None

    return _noted(posted, publish, _publish_page)


class Refused(Exception):
    """Why nothing was published: a refusal the page names, and what blocks it."""

    def __init__(self, reason: str, blocking: list[dict[str, Any]] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.blocking = blocking


def _noted(
    posted: PublisherForm,
    act: Callable[[str], int],
    again: Callable[[JourneyPage, Noted], Response],
) -> Response:
    """Publish (or roll back) with the form's change note: the history page when done, else
    the page again with the note as typed and the reason (the refusals both share here)."""
    request, slug = posted.request, posted.slug
    note = str(posted.form.get("note") or "").strip()
    error: str | None = None
    refused = Refused("")
    if not note:
        error = "note_missing"
    elif len(note) > NOTE_LIMIT:
        error = "note_long"
    else:
        try:
            version = act(note)
        except Refused as exc:
            refused = exc
        except (publishing_service.PublishBlocked, checks.InvalidDraft) as exc:
            refused = Refused("blocked", exc.extra.get("problems", []))
        except publishing_service.NothingToPublish:
            refused = Refused("nothing")
        except Unauthorized:
            raise access.NotSignedIn(stale=True) from None
        except ApiError:
            refused = Refused("blocked")
        else:
            return see_other(f"/editor/journeys/{slug}/history?published={version}")
    with transaction(request.app.state.sessions) as session:
        published = request.app.state.catalogue.current
        shown = Noted(
            note[:NOTE_LIMIT],
            error,
            refused.reason or None,
            refused.blocking,
            400 if error else 409,
        )
        return again(JourneyPage(request, posted.signed_in, session, published, slug), shown)


# --- comparing and rolling back ----------------------------------------------------------------


@router.get("/compare")
def compare(page: JourneyPageDep) -> Response:
    """What changed between two versions (`older`, `newer`): steps and questions added,
    removed and changed, and the texts per language."""
    listed = versions(page)
    numbers = [v.number for v in listed.versions]
    older = version_number(page.request.query_params.get("older"))
    newer = version_number(page.request.query_params.get("newer"))
    if older is None or older not in numbers:
        older = numbers[1] if len(numbers) > 1 else numbers[0]
    if newer is None or newer not in numbers:
        newer = numbers[0]
    diff = history_service.diff_versions(
        session=page.session, slug=page.slug, older=older, newer=newer
    )
    return page.render(
        "editor/compare.html",
        title=_title(page),
        versions=listed.versions,
        older=older,
        newer=newer,
        diff=diff,
    )


def _rollback_page(page: JourneyPage, number: int | None, noted: Noted = FIRST) -> Response:
    listed = versions(page)
    chosen = next((v for v in listed.versions if v.number == number), None)
    if chosen is None:
        raise page.not_found()
    current = next((v for v in listed.versions if v.published), None)
    return page.render(
        "editor/rollback.html",
        status=noted.status,
        title=_title(page),
        version=chosen,
        current=current,
        diff=history_service.diff_versions(
            session=page.session, slug=page.slug, older=current.number, newer=chosen.number
        )
        if current and current.number != chosen.number
        else None,
        problems=noted.blocking or [],
        **noted.context(),
    )


@router.get("/rollback")
def rollback_page(page: JourneyPageDep) -> Response:
    """Asks first: what rolling back to `version` changes, and the change note."""
    _publisher(page.signed_in)
    number = version_number(page.request.query_params.get("version"))
    return _rollback_page(page, number)


@router.post("/rollback")
def rollback(posted: PublisherFormDep) -> Response:
    """Publish the chosen version's content again, as a new version."""
    number = version_number(str(posted.form.get("version") or ""))

    def roll_back(note: str) -> int:
        if number is None:
            raise Refused("")
        try:
            return publishing_service.rollback(**posted.acting(), number=number, note=note).version
        except history_service.UnknownVersion:
            raise access.EditorPageNotFound(posted.signed_in) from None

    def again(page: JourneyPage, shown: Noted) -> Response:
        return _rollback_page(page, number, shown)

    return _noted(posted, roll_back, again)
