"""What an editor page works with, as one dependency: the request, the editor signed in, the
request's database session and the published catalogue; for a page about one journey its slug
(checked), and for a form the posted fields (this session's CSRF token checked).

A route takes one `EditorPageDep`, `JourneyPageDep` or `JourneyFormDep` (or `EditorFormDep`)
instead of repeating the parts, and hands it on to the helpers that render or write. The parts
are resolved in the order the routes always had: signed in, then the form's token (nothing else
is looked at for a refused form), then the session, the catalogue and the slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from api.catalogue.service import Published
from api.deps import PublishedDep, SessionDep
from api.editor_pages import access
from api.editor_pages.access import CheckedFormDep, SignedInDep
from api.editor_pages.render import render
from api.editor_pages.sessions import SignedIn
from api.editor_pages.slugs import SlugDep


@dataclass(frozen=True)
class EditorPage:
    """A signed-in editor's request, with its database session and the published catalogue."""

    request: Request
    signed_in: SignedIn
    session: Session
    published: Published

    @property
    def lang(self) -> str:
        """The editor's interface language."""
        return self.signed_in.lang

    def not_found(self) -> access.EditorPageNotFound:
        """The editor's page-not-found, to raise."""
        return access.EditorPageNotFound(self.signed_in)

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        """An editor page (templates/editor/) for this editor."""
        return render(self.request, template, signed_in=self.signed_in, status=status, **context)


@dataclass(frozen=True)
class EditorForm(EditorPage):
    """A posted editor form, its CSRF token checked."""

    form: FormData


@dataclass(frozen=True)
class JourneyPage(EditorPage):
    """A page about one journey (its history, draft, preview or publishing)."""

    slug: str

    @property
    def saved(self) -> bool:
        """Shown again after a form saved (`?saved=1`)."""
        return self.request.query_params.get("saved") == "1"

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        """An editor page about this journey (the templates link its other pages by slug)."""
        return super().render(template, status=status, slug=self.slug, **context)


@dataclass(frozen=True)
class JourneyForm(JourneyPage):
    """A form posted on a journey's page, its CSRF token checked."""

    form: FormData


# No I/O of their own: async, so FastAPI runs them without a thread-pool hop (api.deps).
async def _editor_page(
    request: Request, signed_in: SignedInDep, session: SessionDep, published: PublishedDep
) -> EditorPage:
    return EditorPage(request, signed_in, session, published)


async def _editor_form(
    request: Request,
    signed_in: SignedInDep,
    form: CheckedFormDep,
    session: SessionDep,
    published: PublishedDep,
) -> EditorForm:
    return EditorForm(request, signed_in, session, published, form)


async def _journey_page(
    request: Request,
    signed_in: SignedInDep,
    session: SessionDep,
    published: PublishedDep,
    slug: SlugDep,
) -> JourneyPage:
    return JourneyPage(request, signed_in, session, published, slug)


async def _journey_form(
    request: Request,
    signed_in: SignedInDep,
    form: CheckedFormDep,
    session: SessionDep,
    published: PublishedDep,
    slug: SlugDep,
) -> JourneyForm:
    return JourneyForm(request, signed_in, session, published, slug, form)


EditorPageDep = Annotated[EditorPage, Depends(_editor_page)]
EditorFormDep = Annotated[EditorForm, Depends(_editor_form)]
JourneyPageDep = Annotated[JourneyPage, Depends(_journey_page)]
JourneyFormDep = Annotated[JourneyForm, Depends(_journey_form)]
