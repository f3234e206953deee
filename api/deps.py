"""Dependencies routes share, as Annotated aliases: who and what a route needs shows in its
signature. Those that do no I/O are `async`: FastAPI runs plain `def` dependencies in its
thread pool, a hop that cost a plan request more than planning itself (bench/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from sqlalchemy.orm import Session

from api.catalogue.service import CatalogueService, NotLoaded, Published
from api.config import Settings
from api.engine.model import Lang
from api.errors import NotReady
from api.http.responses import negotiate


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _catalogue(request: Request) -> CatalogueService:
    service: CatalogueService = request.app.state.catalogue
    return service


async def _loaded(catalogue: Annotated[CatalogueService, Depends(_catalogue)]) -> CatalogueService:
    """The catalogue, once something is published: 503 before (never a server error)."""
    if not catalogue.loaded:
        raise NotReady("no published journeys are loaded yet")
    return catalogue


async def _published(catalogue: Annotated[CatalogueService, Depends(_catalogue)]) -> Published:
    return current(catalogue)


def published(request: Request) -> Published:
    """PublishedDep without FastAPI's dependency machinery, for the hottest routes."""
    return current(request.app.state.catalogue)


def current(catalogue: CatalogueService) -> Published:
    try:
        return catalogue.current
    except NotLoaded as exc:
        raise NotReady(str(exc)) from None


def _session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with request.app.state.sessions() as session, session.begin():
        yield session


# LangDep's two parameters, for a route that declares them itself (fewer dependencies).
LangQuery = Annotated[
    Lang | None, Query(description="fi, sv or en (else Accept-Language)", examples=["en"])
]
AcceptLanguage = Annotated[str | None, Header(max_length=500, examples=["sv-FI,sv;q=0.9,en;q=0.5"])]


async def _lang(lang: LangQuery = None, accept_language: AcceptLanguage = None) -> str:
    return negotiate(lang, accept_language)


SettingsDep = Annotated[Settings, Depends(_settings)]
CatalogueDep = Annotated[CatalogueService, Depends(_catalogue)]
LoadedCatalogueDep = Annotated[CatalogueService, Depends(_loaded)]
PublishedDep = Annotated[Published, Depends(_published)]
# scope="function": commit before the response is sent, so a client that reads what it just
# wrote (a checklist's Location, on any worker) finds it, and a failed commit is never a 2xx.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
LangDep = Annotated[str, Depends(_lang)]
