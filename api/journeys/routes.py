"""Public reads under /v1 (journeys, organisations, life events, the glossary) and the plan
routes, whose plans are made and serialised by `api.plans`. Everything here is served from the
prepared catalogue in memory: no route touches the database, so all are `async`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request, Response

from api import deps, metrics
from api.catalogue.service import Published
from api.deps import AcceptLanguage, LangDep, LangQuery, PublishedDep
from api.engine.model import LIFE_EVENT_PATTERN, SLUG_PATTERN
from api.errors import problems
from api.http.responses import NOT_MODIFIED, json_response, negotiate
from api.journeys import schemas as s
from api.journeys import views
from api.plans import schemas as plans_schemas
from api.plans.service import answers_from_query, make_plan
from api.plans.views import plan_json
from api.schemas import IsoDate

router = APIRouter(prefix="/v1", tags=["journeys"])

PUBLISHED = "public, max-age=300"
# A plan URL holds a person's answers: browsers may keep it, shared caches may not.
PERSONAL = "private, max-age=300"

Slug = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN, max_length=80, description="The journey's slug", examples=["moving"]
    ),
]
DateQuery = Annotated[IsoDate | None, Query(description="YYYY-MM-DD", examples=["2027-06-18"])]


@router.get(
    "/journeys",
    operation_id="list_journeys",
    response_model=s.JourneyList,
    responses=NOT_MODIFIED | problems(422, 503),
)
async def list_journeys(
    request: Request,
    published: PublishedDep,
    lang: LangDep,
    kind: Annotated[Literal["life", "business"] | None, Query(examples=["life"])] = None,
    life_event: Annotated[
        str | None,
        Query(
            pattern=LIFE_EVENT_PATTERN,
            description="e.g. KE4 (includes KE4.2)",
            examples=["KE4"],
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description=(
                "Words people use, in Finnish, Swedish or English whatever the language asked "
                "for: matched, stemmed, against titles, summaries, keywords and life-event "
                "classes; the journeys found come best first"
            ),
            examples=["muuttoilmoitus"],
        ),
    ] = None,
) -> Response:
    """The published journeys, localised and optionally filtered; best first with `q`."""
    body = views.journey_list(published, lang, kind=kind, life_event=life_event, q=q)
    return json_response(request, body, cache=PUBLISHED, lang=lang)


@router.get(
    "/journeys/{slug}",
    operation_id="get_journey",
    response_model=s.JourneyRead,
    responses=NOT_MODIFIED | problems(404, 422, 503),
)
async def get_journey(
    request: Request,
    published: PublishedDep,
    lang: LangDep,
    slug: Slug,
) -> Response:
    """One journey's published definition: questions, steps, chains, owner and sources."""
    body = views.journey_definition(published, slug, lang)
    return json_response(request, body, cache=PUBLISHED, lang=lang)


@router.post(
    "/journeys/{slug}/plan",
    operation_id="plan_journey",
    response_model=plans_schemas.PlanRead,
    responses=problems(400, 404, 413, 422, 503, answers=True),
)
async def post_plan(
    request: Request,
    published: PublishedDep,
    lang: LangDep,
    slug: Slug,
    plan_request: Annotated[plans_schemas.PlanRequest, Body()],
) -> Response:
    """A person's plan: the questions still to ask and the ordered, dated, explained steps."""
    language = plan_request.lang or lang
    body = _plan(
        published,
        slug,
        plan_request.answers,
        plan_request.event_date,
        plan_request.today,
        language,
    )
    return json_response(request, body, cache="no-store", lang=language)


def _plan(
    published: Published,
    slug: str,
    answers: Mapping[str, Any],
    event_date: dt.date | None,
    today: dt.date | None,
    lang: str,
) -> bytes:
    plan = make_plan(
        published.planner, slug, answers, event_date=event_date, today=today, lang=lang
    )
    metrics.PLANS.labels(slug, "api").inc()
    return plan_json(plan, published.versions[slug].number)


ANSWERS_IN_QUERY = {
    "parameters": [
        {
            "name": "answers",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "description": (
                "Answers by question id, one parameter each (`moving_to=abroad&children=yes`); "
                "a multiple-choice answer is comma-separated"
            ),
            "schema": {
                "type": "object",
                "additionalProperties": {"type": "string", "maxLength": 200},
                "maxProperties": 200,
                "examples": [
                    {
                        key: ",".join(value) if isinstance(value, list) else value
                        for key, value in plans_schemas.MOVING_ANSWERS.items()
                    }
                ],
            },
        }
    ]
}


@router.get(
    "/journeys/{slug}/plan",
    operation_id="get_plan",
    response_model=plans_schemas.PlanRead,
    responses=NOT_MODIFIED | problems(404, 422, 503, answers=True),
    openapi_extra=ANSWERS_IN_QUERY,
)
async def get_plan(
    request: Request,
    slug: Slug,
    event_date: DateQuery = None,
    today: DateQuery = None,
    lang: LangQuery = None,
    accept_language: AcceptLanguage = None,
) -> Response:
    """The same plan as POST, with the answers in the query string: a plan URL can be shared,
    bookmarked and cached by the browser."""
    # Never cached (it holds answers): PublishedDep and LangDep's work done here, without
    # three nested dependencies for FastAPI to solve on every request.
    published = deps.published(request)
    language = negotiate(lang, accept_language)
    answers = answers_from_query(published.planner, slug, list(request.query_params.multi_items()))
    body = _plan(published, slug, answers, event_date, today, language)
    return json_response(request, body, cache=PERSONAL, lang=language)


@router.get(
    "/organisations",
    operation_id="list_organisations",
    response_model=s.OrganisationList,
    responses=NOT_MODIFIED | problems(422, 503),
)
async def list_organisations(request: Request, published: PublishedDep, lang: LangDep) -> Response:
    """Every organisation that owns a journey or provides a step."""
    body = views.organisation_list(published, lang)
    return json_response(request, body, cache=PUBLISHED, lang=lang)


@router.get(
    "/life-events",
    operation_id="list_life_events",
    response_model=s.LifeEventList,
    responses=NOT_MODIFIED | problems(422, 503),
)
async def list_life_events(request: Request, published: PublishedDep, lang: LangDep) -> Response:
    """The Suomi.fi life-event classification (ptvelti), with the journeys covering each class."""
    body = views.life_event_list(published, lang)
    return json_response(request, body, cache=PUBLISHED, lang=lang)


@router.get(
    "/glossary",
    operation_id="get_glossary",
    response_model=s.GlossaryList,
    responses=NOT_MODIFIED | problems(422, 503),
)
async def get_glossary(request: Request, published: PublishedDep, lang: LangDep) -> Response:
    """Words the steps use, each explained plainly with the official page it rests on; plans
    mark each term's first use in a step (`terms`)."""
    body = views.glossary(published, lang)
    return json_response(request, body, cache=PUBLISHED, lang=lang)
