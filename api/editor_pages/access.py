"""Who may see an editor page: the session cookie, its flags, the CSRF check on every form,
and the answers when either fails (to the sign-in page, or a page saying nothing changed).

Failed attempts count against POLKU_LIMIT_FAILED_SIGN_IN as the API's do (api.limits): a
wrong token on the sign-in page, and a cookie naming no live session. Once a client is over
the limit, every editor page it asks for with a cookie, and every sign-in, is refused (429).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api import metrics
from api.config import Settings
from api.db import transaction
from api.editor_pages import sessions
from api.editor_pages.render import render, see_other
from api.editor_pages.sessions import SignedIn
from api.errors import TooManyRequests
from api.limits import SignInAttempts

SIGN_IN = "/editor/sign-in"
CSRF_FIELD = "csrf"


def cookie_name(settings: Settings) -> str:
    # __Host-: the browser keeps it only if Secure, for this host alone, with Path=/.
    return "__Host-polku-editor" if secure(settings) else "polku-editor"


def secure(settings: Settings) -> bool:
    return settings.public_url.startswith("https://") or settings.environment == "production"


def idle(settings: Settings) -> dt.timedelta:
    return dt.timedelta(hours=settings.editor_session_idle_hours)


def set_cookie(response: Response, settings: Settings, session_id: str) -> None:
    """The session cookie: not readable by scripts, never sent by another site's request,
    only over https where Polku is served so; a browser session cookie (the server decides
    when it ends)."""
    response.set_cookie(
        cookie_name(settings),
        session_id,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(settings),
    )


def clear_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings), path="/", httponly=True, samesite="strict", secure=secure(settings)
    )


class NotSignedIn(Exception):
    """No live session: to the sign-in page (a stale cookie is removed)."""

    def __init__(self, *, stale: bool = False) -> None:
        super().__init__("not signed in")
        self.stale = stale


class EditorFormRefused(Exception):
    """A form without this session's CSRF token: nothing is changed."""

    def __init__(self, signed_in: SignedIn) -> None:
        super().__init__("form refused")
        self.signed_in = signed_in


class EditorPageNotFound(Exception):
    """No such editor page (an unknown journey, say), for a signed-in editor."""

    def __init__(self, signed_in: SignedIn) -> None:
        super().__init__("not found")
        self.signed_in = signed_in


class NoDraft(Exception):
    """The journey has no draft (now): its draft pages lead to the draft page, which offers to
    start one."""

    def __init__(self, slug: str) -> None:
        super().__init__("no draft")
        self.slug = slug


def draft_url(slug: str, tail: str = "") -> str:
    return f"/editor/journeys/{slug}/draft{tail}"


class TooManyAttempts(Exception):
    def __init__(self, retry_after: str) -> None:
        super().__init__("too many failed sign-ins")
        self.retry_after = retry_after


def attempts(request: Request) -> SignInAttempts:
    """This client's failed attempts; TooManyAttempts once over the limit."""
    try:
        return SignInAttempts(request)
    except TooManyRequests as exc:
        metrics.EDITOR_SIGN_INS.labels("refused").inc()
        raise TooManyAttempts(exc.headers.get("Retry-After", "60")) from None


def current(request: Request) -> SignedIn | None:
    """The live session the request's cookie names, if any (no failure counted)."""
    settings: Settings = request.app.state.settings
    session_id = request.cookies.get(cookie_name(settings))
    if not session_id:
        return None
    with transaction(request.app.state.sessions) as session:
        return sessions.find(session, session_id, idle=idle(settings))


def _signed_in(request: Request) -> SignedIn:
    settings: Settings = request.app.state.settings
    if not request.cookies.get(cookie_name(settings)):
        raise NotSignedIn()
    counted = attempts(request)  # checked before the cookie is looked at: no fast guessing
    found = current(request)
    if found is None:
        counted.failed()
        raise NotSignedIn(stale=True)
    return found


async def _form(request: Request, signed_in: Annotated[SignedIn, Depends(_signed_in)]) -> FormData:
    """The posted form, only with this session's CSRF token (compared in constant time)."""
    form = await request.form()
    if not sessions.csrf_matches(signed_in, form.get(CSRF_FIELD)):
        raise EditorFormRefused(signed_in)
    return form


SignedInDep = Annotated[SignedIn, Depends(_signed_in)]
CheckedFormDep = Annotated[FormData, Depends(_form)]


def local_path(value: object) -> str | None:
    """`value` if it is an editor page's path on this site (where to go after signing in or
    switching language), else None: never another site."""
    if (
        isinstance(value, str)
        and value.startswith("/editor/")
        and len(value) <= 500
        and "//" not in value
        and "\\" not in value
        and value.isprintable()
    ):
        return value
    return None


def sign_in_address(request: Request) -> str:
    """The sign-in page, coming back here afterwards (for a page that was asked for)."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method == "GET" and local_path(back) and request.url.path != "/editor/":
        return f"{SIGN_IN}?{urlencode({'next': back})}"
    return SIGN_IN


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotSignedIn)
    response = RedirectResponse(sign_in_address(request), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if exc.stale:
        clear_cookie(response, request.app.state.settings)
    return response


async def _form_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EditorFormRefused)
    return render(request, "editor/error.html", signed_in=exc.signed_in, status=400, reason="form")


async def _not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EditorPageNotFound)
    return render(request, "editor/error.html", signed_in=exc.signed_in, status=404, reason="gone")


async def _no_draft(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NoDraft)
    return see_other(draft_url(exc.slug))


async def _too_many(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooManyAttempts)
    return render(
        request,
        "editor/error.html",
        signed_in=None,
        status=429,
        reason="too_many",
        headers={"Retry-After": exc.retry_after},
    )


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(EditorFormRefused, _form_refused)
    app.add_exception_handler(TooManyAttempts, _too_many)
    app.add_exception_handler(EditorPageNotFound, _not_found)
    app.add_exception_handler(NoDraft, _no_draft)
