"""The editors' pages under /editor/: signing in and out, the interface language, the
dashboard, a journey's history and the audit log. Plain forms and links: no scripts needed.

Every page but the sign-in page needs a session (else: to the sign-in page); every form carries
the session's CSRF token (else: nothing changes). The rules live in the editor services
(api.editor): these routes only read, call and render.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request, Response

from api import metrics
from api.catalogue.service import Published
from api.config import Settings
from api.db import transaction, utcnow
from api.deps import SessionDep
from api.editor import repository as editor_repository
from api.editor import tokens
from api.editor.history import service as history_service
from api.editor.schemas import TranslationReport
from api.editor.translations import service as translations_service
from api.editor_pages import (
    access,
    drafts,
    feedback,
    journey,
    new_journey,
    preview,
    publishing,
    scenarios,
    sessions,
    translations,
    views,
)
from api.editor_pages.access import CheckedFormDep, SignedInDep, local_path
from api.editor_pages.page import EditorPageDep, JourneyPageDep
from api.editor_pages.render import HELSINKI, page_language, render, see_other
from api.editor_pages.slugs import version_number
from api.engine.model import LANGS
from api.http.numbers import whole_number
from api.http.responses import negotiate
from api.pages.forms import FormRefused, form_token, verified_form

router = APIRouter(prefix="/editor", include_in_schema=False)
AUDIT_PAGE = 50


def install(app: FastAPI) -> None:
    """The editors' pages and the answers to their refusals (called by api.main)."""
    app.include_router(router)
    app.include_router(drafts.router)
    app.include_router(new_journey.router)
    app.include_router(scenarios.router)
    app.include_router(journey.router)
    app.include_router(preview.router)
    app.include_router(publishing.router)
    app.include_router(translations.router)
    app.include_router(feedback.router)
    access.install_handlers(app)
    publishing.install_handlers(app)


# --- signing in and out ------------------------------------------------------------------------


def _sign_in_page(
    request: Request,
    *,
    lang: str,
    next_page: str | None,
    error: str | None = None,
    expired_on: dt.datetime | None = None,
    status: int = 200,
) -> Response:
    settings: Settings = request.app.state.settings
    return render(
        request,
        "editor/sign_in.html",
        signed_in=None,
        lang=lang,
        status=status,
        token=form_token(request, access.SIGN_IN),
        next_page=next_page or "",
        error=error,
        expired_on=expired_on,
        signed_out=request.query_params.get("signed_out") == "1",
        idle_hours=f"{settings.editor_session_idle_hours:g}",
        other_languages=[
            (other, f"{access.SIGN_IN}?{urlencode({'lang': other, 'next': next_page or ''})}")
            for other in LANGS
            if other != lang
        ],
    )


@router.get("/sign-in")
def sign_in_page(request: Request) -> Response:
    """Where an editor gives their token; one already signed in goes on at once."""
    next_page = local_path(request.query_params.get("next"))
    if access.current(request) is not None:
        return see_other(next_page or "/editor/")
    return _sign_in_page(request, lang=page_language(request, None), next_page=next_page)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Check the token once and start a session; a wrong one is counted (and slowed down by
    the limit), never said apart from a revoked one. The counting and the database work run
    in a thread: with redis:// the count is a network round trip."""
    counted = await asyncio.to_thread(access.attempts, request)
    form = await request.form()
    asked = form.get("lang")
    lang = negotiate(
        asked if isinstance(asked, str) else None, request.headers.get("accept-language")
    )
    next_page = local_path(form.get("next"))
    try:
        await verified_form(request, lang, access.SIGN_IN)
    except FormRefused:
        return _sign_in_page(request, lang=lang, next_page=next_page, error="form", status=400)
    token = form.get("token")
    token = token.strip() if isinstance(token, str) else ""
    if not token:
        return _sign_in_page(request, lang=lang, next_page=next_page, error="empty", status=400)
    settings: Settings = request.app.state.settings
    try:
        signed_in = await asyncio.to_thread(_start, request, token, lang)
    except tokens.Expired as exc:
        metrics.EDITOR_SIGN_INS.labels("failed").inc()
        return _sign_in_page(
            request,
            lang=lang,
            next_page=next_page,
            error="expired",
            expired_on=exc.expired_at,
            status=400,
        )
    if signed_in is None:
        await asyncio.to_thread(counted.failed)
        metrics.EDITOR_SIGN_INS.labels("failed").inc()
        return _sign_in_page(request, lang=lang, next_page=next_page, error="unknown", status=400)
    metrics.EDITOR_SIGN_INS.labels("ok").inc()
    response = see_other(next_page or "/editor/")
    access.set_cookie(response, settings, signed_in.session_id)
    return response


def _start(request: Request, token: str, lang: str) -> sessions.SignedIn | None:
    settings: Settings = request.app.state.settings
    with transaction(request.app.state.sessions) as session:
        return sessions.start(session, token, lang=lang, idle=access.idle(settings))


@router.post("/sign-out")
def sign_out(request: Request, signed_in: SignedInDep, form: CheckedFormDep) -> Response:
    """End every session of this token, in every browser."""
    with transaction(request.app.state.sessions) as session:
        sessions.end_everywhere(session, signed_in)
    response = see_other(
        f"{access.SIGN_IN}?{urlencode({'signed_out': '1', 'lang': signed_in.lang})}"
    )
    access.clear_cookie(response, request.app.state.settings)
    return response


@router.post("/language")
def choose_language(request: Request, signed_in: SignedInDep, form: CheckedFormDep) -> Response:
    """Keep the interface language in the session, and show the same page again."""
    lang = form.get("lang")
    if isinstance(lang, str) and lang in LANGS:
        with transaction(request.app.state.sessions) as session:
            sessions.choose_language(session, signed_in, lang)
    return see_other(local_path(form.get("back")) or "/editor/")


# --- reading -----------------------------------------------------------------------------------


def _translation_report(request: Request, published: Published) -> TranslationReport:
    """The published catalogue's translation report, made once per catalogue this worker
    loads (kept beside the app, so two apps in one process never share one)."""
    kept = getattr(request.app.state, "editor_translations", None)
    if kept is None or kept[0] is not published:
        kept = (published, translations_service.report(published=published))
        request.app.state.editor_translations = kept
    report: TranslationReport = kept[1]
    return report


@router.get("/")
def dashboard(page: EditorPageDep) -> Response:
    """Every journey, what needs work first."""
    request, session, published = page.request, page.session, page.published
    settings: Settings = request.app.state.settings
    rows = views.dashboard(
        published,
        editor_repository.drafts(session),
        _translation_report(request, published),
        translations_service.stale_counts(session=session, published=published),
        lang=page.lang,
        today=utcnow().astimezone(HELSINKI).date(),
        review_months=settings.editor_review_months,
    )
    return page.render(
        "editor/dashboard.html",
        rows=rows,
        review_months=settings.editor_review_months,
    )


@router.get("/journeys/{slug}/history")
def history(page: JourneyPageDep) -> Response:
    """Every published version of a journey, newest first, with its author and note."""
    listed = publishing.versions(page)
    journey = page.published.catalogue.journeys.get(page.slug)
    return page.render(
        "editor/history.html",
        title=journey.title.get(page.lang) if journey else page.slug,
        versions=listed.versions,
        may_publish=page.signed_in.editor.may("publisher"),
        published_now=version_number(page.request.query_params.get("published")),
    )


@router.get("/audit")
def audit_log(request: Request, signed_in: SignedInDep, session: SessionDep) -> Response:
    """What editors did, newest first, a page at a time (`before`: the last id shown)."""
    before = whole_number(request.query_params.get("before"), digits=12)
    page = history_service.audit_page(session=session, cursor=before, limit=AUDIT_PAGE)
    return render(
        request,
        "editor/audit.html",
        signed_in=signed_in,
        entries=page.entries,
        next_page=f"/editor/audit?before={page.next_cursor}" if page.next_cursor else None,
        first_page=before is not None,
    )
