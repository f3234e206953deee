"""Previewing a draft: the citizen plan page rendered from the draft with the citizen templates
(for answers the editor picks, or a scenario's, in any language), the draft's scenarios and its
difference from the published version, and saving a preview's answers as a scenario.

The rules are the editor services' (api.editor.preview, api.editor.drafts); these routes read,
call and render. A preview saves nothing, counts nothing (no plan metric) and is never cached.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from api.db import transaction
from api.deps import PublishedDep
from api.editor import checks
from api.editor.drafts import service as drafts_service
from api.editor.preview import service as preview_service
from api.editor_pages.access import CheckedFormDep, SignedInDep
from api.editor_pages.page import JourneyPage, JourneyPageDep
from api.editor_pages.render import PRIVATE
from api.editor_pages.slugs import SlugDep
from api.engine.model import LANGS
from api.engine.plan import Plan
from api.engine.planner import Planner
from api.engine.texts import TextLookup
from api.errors import PreconditionFailed
from api.pages import flow
from api.pages.plan import pairs_of, plan_context
from api.pages.render import PAGE_CSP, Site, environment

router = APIRouter(prefix="/editor/journeys/{slug}", include_in_schema=False)


def _lang(request: Request, fallback: str) -> str:
    asked = request.query_params.get("lang")
    return asked if asked in LANGS else fallback


def _draft_planner(page: JourneyPage) -> Planner | None:
    """The planner with the draft in place; None when the draft cannot be planned yet.
    No draft at all: the page is not found."""
    try:
        return preview_service.planner(
            session=page.session, published=page.published, slug=page.slug
        )
    except drafts_service.UnknownDraft:
        raise page.not_found() from None
    except (preview_service.NotPlannable, checks.InvalidDraft):
        return None


@router.get("/preview")
def preview(page: JourneyPageDep) -> Response:
    """The preview's starting point: pick answers (or a scenario) and a language; the draft's
    scenarios, pass or fail; and what the draft changes against the published version."""
    request, session, published, slug = page.request, page.session, page.published, page.slug
    try:
        draft = drafts_service.read(session=session, published=published, slug=slug)
    except drafts_service.UnknownDraft:
        raise page.not_found() from None
    planner = _draft_planner(page)
    lang = page.lang
    questions = (
        [planner.question_view(qid, lang, slug) for qid in planner.universe(slug)]
        if planner
        else []
    )
    # The answers form starts from the answers in the address (a preview's "change answers").
    chosen = (
        flow.read(planner, slug, list(request.query_params.multi_items()), lang)
        if planner
        else None
    )
    scenario_rows = []
    diff = None
    if planner is not None:
        ran = preview_service.scenarios(session=session, published=published, slug=slug)
        by_name = {s.name: s for s in checks.parse(slug=slug, data=draft.content).scenarios}
        for result in ran.scenarios:
            scenario = by_name[result.name]
            query = pairs_of(scenario.answers, scenario.event_date)
            scenario_rows.append((result, query))
        diff = preview_service.diff(session=session, published=published, slug=slug)
    journey = published.catalogue.journeys.get(slug)
    return page.render(
        "editor/preview.html",
        title=TextLookup(lang).get(journey.title) if journey else slug,
        draft=draft,
        plannable=planner is not None,
        questions=questions,
        given={
            qid: [str(v) for v in (value if isinstance(value, list) else [value])]
            for qid, value in (chosen.answers if chosen else {}).items()
        },
        event_date=chosen.event_date if chosen else None,
        scenarios=scenario_rows,
        diff=diff,
        saved=request.query_params.get("saved"),
        langs=LANGS,
    )


@router.get("/preview/plan")
def preview_plan(page: JourneyPageDep) -> Response:
    """The citizen plan page from the draft, for the answers in the address, with a banner."""
    request, slug = page.request, page.slug
    planner = _draft_planner(page)
    if planner is None:
        return RedirectResponse(
            f"/editor/journeys/{slug}/preview", 303, headers={"Cache-Control": PRIVATE}
        )
    lang = _lang(request, page.lang)
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    state = flow.read(planner, slug, items, lang)
    journey = planner.journey(slug)
    query, pairs = state.query(), state.pairs()
    here = f"/editor/journeys/{slug}/preview/plan"
    context = plan_context(planner, journey, state, Site(lang), show_all=True, pairs=pairs)
    html = (
        environment(lang)
        .get_template("editor/preview_plan.html")
        .render(
            lang=lang,
            root="/editor",
            embed=False,
            theme=None,
            ttl_days=0,
            other_languages=[
                (other, f"{here}?{_with_lang(query, other)}") for other in LANGS if other != lang
            ],
            **{**context, "hidden": [("lang", lang), *context["hidden"]]},
            show_all_url=f"{here}?{query}",  # an editor checks every step: always all open
            address=f"{here}?{query}",
            plan_action=here,
            check_url=f"/editor/journeys/{slug}/preview?{query}#answers",
            save=None,
            calendar_url=None,
            unanswered=state.plan.questions,
            answers_query=query,
            tools=f"/editor/journeys/{slug}/preview",
            csrf=page.signed_in.csrf,
            revision=drafts_service.etag(drafts_service.load(session=page.session, slug=slug)),
            may_save=True,
        )
    )
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": PAGE_CSP + "'none'",
            "X-Frame-Options": "DENY",
            "X-Robots-Tag": "noindex",
            "Content-Language": lang,
            "Cache-Control": PRIVATE,
        },
    )


def _with_lang(query: str, lang: str) -> str:
    return urlencode([("lang", lang), *parse_qsl(query)])


@router.post("/scenarios")
def save_scenario(
    request: Request,
    signed_in: SignedInDep,
    form: CheckedFormDep,
    published: PublishedDep,
    slug: SlugDep,
) -> Response:
    """The preview's answers as a new scenario of the draft, expecting what the draft plans for
    them now; written at the revision the preview showed (else: the draft changed, nothing is
    written)."""
    with transaction(request.app.state.sessions) as session:
        return _save_scenario(JourneyPage(request, signed_in, session, published, slug), form)


def _save_scenario(page: JourneyPage, form: FormData) -> Response:
    session, published, slug = page.session, page.published, page.slug
    planner = _draft_planner(page)
    name = str(form.get("name") or "").strip()[:300]
    query = str(form.get("answers") or "")[:4000]
    revision = str(form.get("revision") or "")
    back = f"/editor/journeys/{slug}/preview"
    if planner is None:
        return RedirectResponse(back, 303, headers={"Cache-Control": PRIVATE})
    state = flow.read(planner, slug, parse_qsl(query), "en")
    error = None
    if not name:
        error = "name"
    else:
        scenario: dict[str, Any] = {
            "name": name,
            "answers": state.answers,
            "expect": expectation(planner, slug, state.plan),
        }
        if state.event_date is not None:
            scenario["event_date"] = state.event_date.isoformat()

        def add(content: dict[str, Any]) -> dict[str, Any]:
            changed = copy.deepcopy(content)
            changed.setdefault("scenarios", []).append(scenario)
            return changed

        try:
            drafts_service.write(
                session=session,
                published=published,
                editor=page.signed_in.editor,
                slug=slug,
                if_match=revision,
                edit=add,
                action="draft.scenario",
            )
        except PreconditionFailed:
            error = "changed"
        except checks.InvalidDraft:
            error = "invalid"
        else:
            return RedirectResponse(f"{back}?saved=1", 303, headers={"Cache-Control": PRIVATE})
    return page.render(
        "editor/scenario_error.html",
        status=409 if error == "changed" else 400,
        error=error,
        back=f"{back}/plan?{query}",
    )


def expectation(planner: Planner, slug: str, plan: Plan) -> dict[str, Any]:
    """What the plan shows now, as a scenario expects it: its steps (and none of the journey's
    other steps), their due dates, the follow-on journeys and the questions still to ask."""
    got = {step.key for step in plan.all_steps()}
    own = [f"{slug}/{step.id}" for step in planner.journey(slug).steps]
    return {
        "steps": sorted(got),
        "not_steps": [ref for ref in own if ref not in got],
        "due": {s.key: s.due.isoformat() for s in plan.all_steps() if s.due},
        "chains": sorted({chain.journey for chain in plan.chains}),
        "questions": [q.id for q in plan.questions],
    }
