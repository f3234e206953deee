"""Rendering the editors' pages: the citizen pages' Jinja2 environment (autoescape, strict,
gettext catalogues) and security headers, never cached, never framed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.editor_pages import problem_text
from api.editor_pages.sessions import SignedIn
from api.engine.model import LANGS
from api.http.responses import negotiate
from api.pages.render import PAGE_CSP, environment

# Private to the editor: kept by no cache, not even the browser's history of a shared computer.
PRIVATE = "no-store"
# Times are shown as the editors live them.
HELSINKI = ZoneInfo("Europe/Helsinki")
# Dates as written in Finland: never the US "12/4/26" (4 December or 12 April?).
DATE_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def _day(day: dt.date | dt.datetime, lang: str) -> str:
    return format_date(day, "medium", locale=DATE_LOCALES[lang])


def _when(moment: dt.datetime, lang: str) -> str:
    """'4.12.2026 18.40', '4 dec. 2026 18.40', '4 Dec 2026 18:40' (Helsinki time)."""
    local = moment.astimezone(HELSINKI)
    time = format_time(local, "short", locale=DATE_LOCALES[lang])
    return f"{_day(local.date(), lang)} {time}"


def page_language(request: Request, signed_in: SignedIn | None) -> str:
    """The session's language; before signing in `?lang=`, else Accept-Language."""
    if signed_in is not None:
        return signed_in.lang
    asked = request.query_params.get("lang")
    return negotiate(asked if asked in LANGS else None, request.headers.get("accept-language"))


def render(
    request: Request,
    template: str,
    *,
    signed_in: SignedIn | None,
    lang: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """An editor page (templates/editor/) in the editor's language, saying who is signed in."""
    lang = lang or page_language(request, signed_in)
    # Before signing in, the language is chosen by link (the sign-in page keeps `next`).
    context.setdefault(
        "other_languages",
        [(other, f"/editor/sign-in?lang={other}") for other in LANGS if other != lang],
    )
    html = (
        environment(lang)
        .get_template(template)
        .render(
            lang=lang,
            signed_in=signed_in,
            here=request.url.path,
            day=lambda day: _day(day, lang),
            when=lambda moment: _when(moment, lang),
            problem_message=lambda problem: problem_text.message(problem, lang),
            **context,
        )
    )
    return HTMLResponse(
        html,
        status_code=status,
        headers={
            "Content-Security-Policy": PAGE_CSP + "'none'",
            "X-Frame-Options": "DENY",
            "Content-Language": lang,
            "Cache-Control": PRIVATE,
            **(headers or {}),
        },
    )


def see_other(url: str) -> RedirectResponse:
    """After a form, or where a page has moved: never kept by a cache."""
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": PRIVATE})
