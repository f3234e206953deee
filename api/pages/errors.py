"""The one HTML error page of the site and /embed/, and the pages that explain the API's
problem types (/problems/<name>).

api.errors decides between this page and a problem document by address; everything here is
the page side.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.engine.model import LANGS
from api.errors import PROBLEM_TYPES
from api.http.responses import negotiate
from api.pages.forms import FormRefused
from api.pages.render import Site, render
from api.pages.routes import PageNotFound

problems_router = APIRouter(include_in_schema=False)
# Reasons with a page of their own; any other error is told by its status.
REASONS = frozenset({"not_found", "checklist", "form_refused"})


def site_of(request: Request) -> Site:
    """The pages an address is on: /embed/ or not, and its language (from the address, else
    Accept-Language), also when the address itself is unknown."""
    path = request.url.path
    embed = path.startswith("/embed/")
    first = path.removeprefix("/embed").lstrip("/").partition("/")[0]
    lang = first if first in LANGS else negotiate(None, request.headers.get("accept-language"))
    return Site(lang, embed)


def error_page(
    request: Request,
    status: int,
    *,
    headers: Mapping[str, str] | None = None,
    reason: str | None = None,
    back: str | None = None,
    site: Site | None = None,
) -> HTMLResponse:
    """The error page: `status` and a plain explanation of it in the page's language (or of
    `reason`, one of REASONS), with a way on (`back`, else the list of situations). Never
    stored by caches."""
    if reason is not None and reason not in REASONS:
        raise ValueError(f"unknown reason '{reason}'")
    return render(
        request,
        "error.html",
        site or site_of(request),
        status=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
        code=status,
        reason=reason,
        back=back,
    )


async def page_not_found(request: Request, exc: Exception) -> Response:
    """The handler for PageNotFound (installed by api.main)."""
    if not isinstance(exc, PageNotFound):
        raise exc
    reason = "checklist" if exc.checklist else "not_found"
    return error_page(request, 404, reason=reason, site=exc.site)


async def form_refused(request: Request, exc: Exception) -> Response:
    """The handler for FormRefused: the form expired or did not come from our page."""
    if not isinstance(exc, FormRefused):
        raise exc
    site = Site(exc.lang, request.url.path.startswith("/embed/"))
    # Not "no-store": the page says nothing private, and back/forward may keep it.
    return error_page(
        request,
        400,
        reason="form_refused",
        back=exc.back,
        site=site,
        headers={"Cache-Control": "no-cache"},
    )


@problems_router.get("/problems/{name}")
async def problem_type(request: Request, name: str) -> Response:
    """What a problem type of the API means and what to do about it (in English, the API's
    language)."""
    site = Site("en")
    problem = PROBLEM_TYPES.get(name)
    if problem is None:
        raise PageNotFound(site)
    return render(
        request,
        "problem.html",
        site,
        headers={"Cache-Control": "public, max-age=86400"},
        name=name,
        problem=problem,
    )
