"""Citizen pages. Plain HTML forms and links: everything works without JavaScript."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from api import deps, metrics
from api.catalogue.service import Published
from api.deps import PublishedDep
from api.engine.model import EVENT_DATE, LANGS, Journey
from api.engine.phrases import format_date
from api.engine.plan import QuestionView
from api.engine.texts import TextLookup
from api.http.responses import negotiate
from api.pages import flow, views
from api.pages.calendar import plan_calendar
from api.pages.feedback import plan_form
from api.pages.forms import form_token
from api.pages.pieces import plan_html
from api.pages.plan import (
    answer_text,
    plan_context,
    question_error_message,
    shown_value,
)
from api.pages.render import (
    GLOSSARY_PATH,
    Site,
    page_context,
    page_response,
    render,
    static_file,
    theme_css,
    theme_url,
)

# The journey pages, served twice by api.main: at / and, with minimal chrome, under /embed.
router = APIRouter(include_in_schema=False)
IMMUTABLE = "public, max-age=31536000, immutable"
# A page with nothing of a person in it (no query): any cache may keep it a while, this
# worker's own included (api/http/cache.py keeps only `public` responses).
PUBLIC_PAGE = {"Cache-Control": "public, max-age=300"}
# A page with a person's answers in its address: kept nowhere, not even by the browser of a
# shared computer, and never answered faster for having been asked before.
PERSONAL_PAGE = {"Cache-Control": "private, no-store"}
# `?all=1` on a plan or a saved checklist: every step open (the "show all" that needs no script).
SHOW_ALL = "all"
# Served once: the language choice, static files and the embed theme.
site_router = APIRouter(include_in_schema=False)


class PageNotFound(Exception):
    """No such page: a friendly page in the person's language, not a problem document."""

    def __init__(self, site: Site, *, checklist: bool = False) -> None:
        super().__init__(site.lang)
        self.site = site
        self.checklist = checklist  # a saved checklist that is gone: say so


async def _site(
    request: Request,
    lang: str,
    accept_language: Annotated[str | None, Header()] = None,
) -> Site:
    return site_of(request, lang, accept_language)


def site_of(request: Request, lang: str, accept_language: str | None) -> Site:
    embed = request.scope["path"].startswith("/embed/")
    if lang not in LANGS:
        if lang == "v1":  # a mistyped API address gets a problem document, not a page
            raise HTTPException(status_code=404)
        raise PageNotFound(Site(negotiate(None, accept_language), embed))
    return Site(lang, embed)


SiteDep = Annotated[Site, Depends(_site)]
# No length limits here: an address too long for anything is simply not found (a page, not
# a 422 problem document).
PageSlug = str


@site_router.get("/")
@site_router.get("/embed/")
async def choose_language(
    request: Request,
    accept_language: Annotated[str | None, Header()] = None,
) -> RedirectResponse:
    """Send people to their language: Accept-Language, else Finnish."""
    site = Site(negotiate(None, accept_language), request.url.path.startswith("/embed/"))
    return RedirectResponse(site.url(), status_code=303)


@router.get("/{lang}/")
async def home(
    request: Request,
    published: PublishedDep,
    site: SiteDep,
    q: str = "",
    life_event: str = "",
) -> Response:
    """Each journey once, filtered by life-event class (links, no script), business events
    apart; or what a search finds."""
    page = views.home(published, site.lang, q[:100], life_event or None)
    if life_event and not q.strip() and page.chosen is None:
        raise PageNotFound(site)  # a class that does not exist or holds no journey
    return render(request, "home.html", site, headers=_public_unless_query(request), home=page)


@site_router.get("/static/{version}/{name}")
async def static(version: str, name: str) -> Response:
    """Static files under a content-hash path: cached for a year, changed by a new address.
    Any other version is not found (the error page, never stored): served, it would be kept for
    a year under an address that promises other content, e.g. when a page of a newer release
    asks a worker still running the old one; a redirect could bounce between such workers."""
    content = static_file(version, name)
    if content is None:
        raise HTTPException(status_code=404)
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(content, media_type=media, headers={"Cache-Control": IMMUTABLE})


@site_router.get("/embed/theme.css")
async def embed_theme(request: Request, v: str = "") -> Response:
    """The portal's colours and font for the embed pages (POLKU_EMBED_THEME); the address
    carries a hash of the content, and only that address is served (as for static files)."""
    theme = request.app.state.settings.embed_theme
    if theme_url(theme) != f"/embed/theme.css?v={v}":
        raise HTTPException(status_code=404)
    css = theme_css(theme)
    return Response(css, media_type="text/css", headers={"Cache-Control": IMMUTABLE})


@router.get(f"/{{lang}}/{GLOSSARY_PATH}")
async def glossary(request: Request, published: PublishedDep, site: SiteDep) -> Response:
    """The words the steps use, explained, each term at its own anchor (the steps link the
    first use of a term here)."""
    entries = views.glossary(published, site.lang)
    return render(request, "glossary.html", site, headers=PUBLIC_PAGE, terms=entries)


async def _page_journey(published: PublishedDep, site: SiteDep, slug: PageSlug) -> Journey:
    journey = published.catalogue.journeys.get(slug)
    if journey is None:
        raise PageNotFound(site)
    return journey


JourneyDep = Annotated[Journey, Depends(_page_journey)]


@router.get("/{lang}/{slug}/")
async def start(
    request: Request,
    published: PublishedDep,
    site: SiteDep,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """What the journey covers, what you need, how many questions at most and about how long
    they take, who owns it and when it was last reviewed."""
    texts = TextLookup(site.lang)
    owner = published.catalogue.organisations[journey.owner]
    most = most_questions(published, slug)
    return render(
        request,
        "start.html",
        site,
        headers=_public_unless_query(request),
        slug=slug,
        title=texts.get(journey.title),
        summary=texts.get(journey.summary),
        you_will_need=texts.get(journey.you_will_need) if journey.you_will_need else None,
        owner=texts.get(owner.name),
        last_reviewed=journey.last_reviewed,
        most_questions=most,
        minutes=max(1, math.ceil(most * SECONDS_PER_QUESTION / 60)),
    )


# About how long a person takes over one question, reading it and perhaps its hint: for the
# start page's "about N minutes", rounded up.
SECONDS_PER_QUESTION = 30


def most_questions(published: Published, slug: str) -> int:
    """The most questions anyone is asked in a journey's flow: the engine's count of the
    journey's questions on the longest way through them, and the event date."""
    return published.planner.most_questions(slug) + 1


@router.get("/{lang}/{slug}/questions")
async def questions(
    request: Request,
    published: PublishedDep,
    site: SiteDep,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """One question at a time: the next one that matters, or the one to change."""
    items = list(request.query_params.multi_items())
    params = dict(items)
    state = flow.read(published.planner, slug, items, site.lang)
    known = published.planner.universe(slug)
    asked = params.get("asked")
    if asked and not state.has_answer(asked) and asked not in state.errors:
        state.errors[asked] = "missing"
    changing = params.get("change")
    pending = state.pending
    wanted = [qid for qid in pending if qid in state.errors]
    if changing and not state.errors and changing in (*state.plan.answered, EVENT_DATE):
        qid = changing
    elif wanted:
        qid = wanted[0]
    elif state.errors and asked in state.errors and (asked in known or asked == EVENT_DATE):
        qid = asked
    elif pending:
        if asked or any("." in key for key, _ in items) or state.dropped:
            # An answer was just given: continue from a clean address (back and bookmarks).
            return see_other(site.url(f"{slug}/questions", state.query()))
        qid = pending[0]
    else:
        return see_other(site.url(f"{slug}/check", state.query()))
    view = _question_view(published, journey, qid, site.lang)
    error = state.errors.get(qid)
    answered = state.plan.answered
    return render(
        request,
        "question.html",
        site,
        # The first question, asked of everyone, is public; any answer makes the page personal.
        headers=_public_unless_query(request) or PERSONAL_PAGE,
        slug=slug,
        journey_title=TextLookup(site.lang).get(journey.title),
        question=view,
        current=state.answers.get(qid),
        shown=shown_value(state, view),
        unknown_date=qid == EVENT_DATE and state.date_given and state.event_date is None,
        error=error,
        message=question_error_message(published.planner, view, error, site.lang)
        if error
        else None,
        # Where the person is: this question's place on their way, of the most there can be.
        number=(answered.index(qid) if qid in answered else len(answered)) + 1,
        most=most_questions(published, slug),
        hidden=[(k, v) for k, v in _pairs(state) if k != qid],
        # Back is the question answered last (or the start page before the first).
        back=site.url(f"{slug}/questions", state.query(change=answered[-1]))
        if answered
        else site.url(f"{slug}/"),
        dropped=state.dropped,
    )


@router.get("/{lang}/{slug}/check")
async def check(
    request: Request,
    published: PublishedDep,
    site: SiteDep,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """Check your answers, the event date's too, each with a link to change it."""
    state = flow.read(published.planner, slug, list(request.query_params.multi_items()), site.lang)
    if state.pending or state.errors:
        return see_other(site.url(f"{slug}/questions", state.query()))
    rows = []
    for qid in (*state.plan.answered, EVENT_DATE):
        view = _question_view(published, journey, qid, site.lang)
        if qid == EVENT_DATE:
            answer = format_date(state.event_date, site.lang) if state.event_date else None
        else:
            answer = answer_text(view, state.answers[qid], site.lang)
        rows.append((view, answer, site.url(f"{slug}/questions", state.query(change=qid))))
    return render(
        request,
        "check.html",
        site,
        headers=PERSONAL_PAGE,
        slug=slug,
        journey_title=TextLookup(site.lang).get(journey.title),
        rows=rows,
        plan_url=site.url(f"{slug}/plan", state.query()),
    )


@router.get("/{lang}/{slug}/plan")
async def plan_page(request: Request, lang: str, slug: PageSlug) -> Response:
    """The checklist: steps by timing with real dates and reasons, what happens by itself, and
    the journeys that may come next."""
    # The page most asked and never cached (it holds answers): what SiteDep, PublishedDep and
    # JourneyDep give, read here without FastAPI's dependency machinery on every request.
    site = site_of(request, lang, request.headers.get("accept-language"))
    published = deps.published(request)
    journey = published.catalogue.journeys.get(slug)
    if journey is None:
        raise PageNotFound(site)
    items = list(request.query_params.multi_items())
    state = flow.read(published.planner, slug, items, site.lang)
    if state.plan.questions:
        return see_other(site.url(f"{slug}/questions", state.query()))
    if any(key.startswith(f"{EVENT_DATE}.") for key, _ in items) and not state.event_date_error:
        return see_other(site.url(f"{slug}/plan", state.query()))
    metrics.PLANS.labels(slug, "page").inc()
    show_all = request.query_params.get(SHOW_ALL) == "1"
    query, pairs = state.query(), state.pairs()
    save_action = site.url(f"{slug}/save")
    context = {
        **page_context(request, site),
        **plan_context(published.planner, journey, state, site, show_all=show_all, pairs=pairs),
        # state.query(all="1") without encoding the answers again.
        "show_all_url": site.url(
            f"{slug}/plan", query if show_all else "&".join(filter(None, [query, f"{SHOW_ALL}=1"]))
        ),
        # Printed, the page says where it came from: the full site's address, also from a frame.
        "address": request.app.state.settings.public_url
        + Site(site.lang).url(f"{slug}/plan", query),
        "check_url": site.url(f"{slug}/check", query),
        "save": (save_action, form_token(request, save_action), pairs),
        "calendar_url": site.url(f"{slug}/plan.ics", query) if state.event_date else None,
        "feedback": plan_form(request, site, slug, published.versions[slug].number, pairs),
    }
    return page_response(request, plan_html(context), site, headers=PERSONAL_PAGE)


@router.get("/{lang}/{slug}/plan.ics")
async def plan_ics(
    request: Request,
    published: PublishedDep,
    site: SiteDep,
    slug: PageSlug,
    journey: JourneyDep,
) -> Response:
    """The dated steps as a calendar file to import (RFC 5545)."""
    state = flow.read(published.planner, slug, list(request.query_params.multi_items()), site.lang)
    if state.plan.questions or state.event_date is None:
        return see_other(site.url(f"{slug}/plan", state.query()))
    # The events link to the journey's start page on the full site at the public address (also
    # when downloaded from a frame), never to the plan: its address holds the person's answers.
    page = request.app.state.settings.public_url + Site(site.lang).url(f"{slug}/")
    body = plan_calendar(state.plan, title=TextLookup(site.lang).get(journey.title), url=page)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{slug}.ics"',
            **PERSONAL_PAGE,
        },
    )


def _public_unless_query(request: Request) -> dict[str, str] | None:
    """PUBLIC_PAGE for an address without a query; else None (the page decides)."""
    return None if request.scope["query_string"] else PUBLIC_PAGE


def _question_view(published: Published, journey: Journey, qid: str, lang: str) -> QuestionView:
    if qid == EVENT_DATE:
        return flow.event_date_view(journey, lang)
    return published.planner.question_view(qid, lang, journey.slug)


def _pairs(state: flow.Flow) -> list[tuple[str, str]]:
    return state.pairs()


def see_other(url: str) -> RedirectResponse:
    """After a form or a cleaned-up address: GET the page at `url`."""
    return RedirectResponse(url, status_code=303)
