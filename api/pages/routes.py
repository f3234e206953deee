"""Citizen pages. Plain HTML forms and links: everything works without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.catalogue.service import Published
from api.deps import PublishedDep
from api.engine.model import EVENT_DATE, NOT_SURE, Journey
from api.engine.phrases import NOT_SURE_LABEL, format_date
from api.engine.plan import QuestionView, TextLookup
from api.http import negotiate
from api.pages import flow, views
from api.pages.calendar import plan_calendar
from api.pages.render import render, static_file

router = APIRouter(include_in_schema=False)


async def _page_lang(lang: Annotated[str, Path(max_length=10)]) -> str:
    # Any other first segment is not a page (e.g. a mistyped /v1/... address): 404, not 422.
    if lang not in ("fi", "sv", "en"):
        raise HTTPException(status_code=404)
    return lang


PageLang = Annotated[str, Depends(_page_lang)]
PageSlug = Annotated[str, Path(max_length=80)]


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


class PageNotFound(Exception):
    """No such journey: a friendly page in the person's language, not a problem document."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.lang = lang


async def page_not_found(request: Request, exc: Exception) -> Response:
    """The handler for PageNotFound (installed by api.main)."""
    lang = exc.lang if isinstance(exc, PageNotFound) else "fi"
    return render(request, "not_found.html", lang, status=404)


async def _page_journey(published: PublishedDep, lang: PageLang, slug: PageSlug) -> Journey:
    journey = published.catalogue.journeys.get(slug)
    if journey is None:
        raise PageNotFound(lang)
    return journey


JourneyDep = Annotated[Journey, Depends(_page_journey)]


@router.get("/{lang}/{slug}/")
async def start(
    request: Request,
    published: PublishedDep,
    lang: PageLang,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """What the journey covers, what you need, who owns it and when it was last reviewed."""
    texts = TextLookup(lang)
    owner = published.catalogue.organisations[journey.owner]
    return render(
        request,
        "start.html",
        lang,
        slug=slug,
        title=texts.get(journey.title),
        summary=texts.get(journey.summary),
        you_will_need=texts.get(journey.you_will_need) if journey.you_will_need else None,
        owner=texts.get(owner.name),
        last_reviewed=journey.last_reviewed,
    )


@router.get("/{lang}/{slug}/questions")
async def questions(
    request: Request,
    published: PublishedDep,
    lang: PageLang,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """One question at a time: the next one that matters, or the one to change."""
    items = list(request.query_params.multi_items())
    params = dict(items)
    state = flow.read(published.planner, slug, items, lang)
    asked = params.get("asked")
    if asked and asked not in state.answers and asked not in state.errors:
        state.errors[asked] = "missing"
    changing = params.get("change")
    wanted = [q for q in state.plan.questions if q.id in state.errors]
    if changing and changing in state.plan.answered and not state.errors:
        question = published.planner.questions[changing]
        view = _question_view(published, slug, question.id, lang)
    elif wanted:
        view = wanted[0]
    elif state.errors and asked in state.errors and asked in published.planner.universe(slug):
        view = _question_view(published, slug, asked, lang)
    elif state.plan.questions:
        if asked or any("." in key for key, _ in items) or state.dropped:
            # An answer was just given: continue from a clean address (back and bookmarks).
            return _see_other(f"/{lang}/{slug}/questions?{state.query()}")
        view = state.plan.questions[0]
    else:
        return _see_other(f"/{lang}/{slug}/check?{state.query()}")
    return render(
        request,
        "question.html",
        lang,
        slug=slug,
        journey_title=TextLookup(lang).get(journey.title),
        question=view,
        current=state.answers.get(view.id),
        error=state.errors.get(view.id),
        hidden=[(k, v) for k, v in _pairs(state) if k != view.id],
        # Back is the question answered last (or the start page before the first).
        back=f"/{lang}/{slug}/questions?{state.query(change=state.plan.answered[-1])}"
        if state.plan.answered
        else f"/{lang}/{slug}/",
        dropped=state.dropped,
    )


@router.get("/{lang}/{slug}/check")
async def check(
    request: Request,
    published: PublishedDep,
    lang: PageLang,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """Check your answers, each with a link to change it."""
    state = flow.read(published.planner, slug, list(request.query_params.multi_items()), lang)
    if state.plan.questions or state.errors:
        return _see_other(f"/{lang}/{slug}/questions?{state.query()}")
    rows = []
    for qid in state.plan.answered:
        view = _question_view(published, slug, qid, lang)
        rows.append(
            (
                view,
                _answer_text(view, state.answers[qid], lang),
                f"/{lang}/{slug}/questions?{state.query(change=qid)}",
            )
        )
    return render(
        request,
        "check.html",
        lang,
        slug=slug,
        journey_title=TextLookup(lang).get(journey.title),
        rows=rows,
        plan_url=f"/{lang}/{slug}/plan?{state.query()}",
    )


@router.get("/{lang}/{slug}/plan")
async def plan_page(
    request: Request,
    published: PublishedDep,
    lang: PageLang,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """The checklist: steps by timing with real dates and reasons, what happens by itself, and
    the journeys that may come next."""
    items = list(request.query_params.multi_items())
    state = flow.read(published.planner, slug, items, lang)
    if state.plan.questions:
        return _see_other(f"/{lang}/{slug}/questions?{state.query()}")
    if any(key.startswith(f"{EVENT_DATE}.") for key, _ in items) and not state.event_date_error:
        return _see_other(f"/{lang}/{slug}/plan?{state.query()}")
    texts = TextLookup(lang)
    groups = [
        (timing, [s for s in state.plan.steps if s.timing == timing])
        for timing in ("before", "around", "after")
    ]
    return render(
        request,
        "plan.html",
        lang,
        slug=slug,
        journey_title=texts.get(journey.title),
        event_label=texts.get(journey.event_date.label),
        event_date=state.event_date,
        event_date_error=state.event_date_error,
        groups=[(timing, steps) for timing, steps in groups if steps],
        automatic=state.plan.automatic,
        chains=[
            (chain, f"/{lang}/{chain.journey}/questions?{urlencode(_json_pairs(chain.answers))}")
            for chain in state.plan.chains
        ],
        hidden=[(k, v) for k, v in _pairs(state) if k != EVENT_DATE],
        check_url=f"/{lang}/{slug}/check?{state.query()}",
        calendar_url=f"/{lang}/{slug}/plan.ics?{state.query()}" if state.event_date else None,
    )


@router.get("/{lang}/{slug}/plan.ics")
async def plan_ics(
    request: Request,
    published: PublishedDep,
    lang: PageLang,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """The dated steps as a calendar file to import (RFC 5545)."""
    state = flow.read(published.planner, slug, list(request.query_params.multi_items()), lang)
    if state.plan.questions or state.event_date is None:
        return _see_other(f"/{lang}/{slug}/plan?{state.query()}")
    page = f"{request.base_url}{lang}/{slug}/plan?{state.query()}"
    body = plan_calendar(state.plan, title=TextLookup(lang).get(journey.title), url=page)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{slug}.ics"',
            "Cache-Control": "private, no-store",
        },
    )


def _question_view(published: Published, slug: str, qid: str, lang: str) -> QuestionView:
    return published.planner.question_view(qid, lang, slug)


def _answer_text(view: QuestionView, value: Any, lang: str) -> str:
    labels = {o.id: o.label for o in view.options}
    values = value if isinstance(value, list) else [value]
    if values == [NOT_SURE]:
        return NOT_SURE_LABEL[lang]
    if view.type == "date":
        return format_date(dt.date.fromisoformat(str(value)), lang)
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def _pairs(state: flow.Flow) -> list[tuple[str, str]]:
    return parse_qsl(state.query())


def _json_pairs(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for qid, value in answers.items():
        out += [(qid, str(v)) for v in (value if isinstance(value, list) else [value])]
    return out


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
