"""Citizen pages. Plain HTML forms and links: everything works without JavaScript."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import PublishedDep
from api.http import negotiate
from api.pages import views
from api.pages.render import render, static_file

router = APIRouter(include_in_schema=False)

PageLang = Annotated[Literal["fi", "sv", "en"], Path()]


@router.get("/")
async def choose_language(
    accept_language: Annotated[str | None, Header(max_length=500)] = None,
) -> RedirectResponse:
    """Send people to their language: Accept-Language, else Finnish."""
    return RedirectResponse(f"/{negotiate(None, accept_language)}/", status_code=303)


@router.get("/{lang}/")
async def home(
    request: Request,
    published: PublishedDep,
    lang: PageLang,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """Life events grouped by class, business events apart, and a search."""
    return render(request, "home.html", lang, home=views.home(published, lang, q))


@router.get("/static/{version}/{name}")
async def static(version: str, name: str) -> Response:
    """Static files under a content-hash path: cached for a year, changed by a new address."""
    content = static_file(name)
    if content is None:
        return Response(status_code=404)
    media = "text/css" if name.endswith(".css") else "application/javascript"
    return Response(
        content, media_type=media, headers={"Cache-Control": "public, max-age=31536000, immutable"}
    )
