"""The "Was this useful?" form's post: count the answer, keep the comment, and go back to the
plan (which then says thank you). Nothing of it is logged, and nothing of the person is kept."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from api.clock import today_in_finland
from api.deps import PublishedDep, SessionDep
from api.engine.texts import TextLookup
from api.feedback import service as feedback_service
from api.http.numbers import whole_number
from api.limits import FeedbackLimit
from api.pages import feedback, flow
from api.pages.forms import FormRefused, verified_form
from api.pages.render import render
from api.pages.routes import PERSONAL_PAGE, PageNotFound, PageSlug, SiteDep, see_other

router = APIRouter(include_in_schema=False)


async def _form(request: Request, site: SiteDep, slug: PageSlug) -> FormData:
    return await verified_form(request, site.lang, site.url(f"{slug}/"))


@router.post("/{lang}/{slug}/plan/feedback")
def send_feedback(
    limited: FeedbackLimit,
    request: Request,
    site: SiteDep,
    slug: PageSlug,
    form: Annotated[FormData, Depends(_form)],
    published: PublishedDep,
    session: SessionDep,
) -> Response:
    """Count a yes or no for the version the plan came from, with its comment if any."""
    journey = published.catalogue.journeys.get(slug)
    if journey is None or slug not in published.versions:
        raise PageNotFound(site)
    items = [
        (k, v) for k, v in form.multi_items() if k not in feedback.OWN_FIELDS and isinstance(v, str)
    ]
    # The answers only lead back to the same plan: they are not stored.
    state = flow.read(published.planner, slug, items, site.lang)
    plan_url = site.url(f"{slug}/plan", state.query())
    version = whole_number(str(form.get("version", "")))
    if version is None or not 1 <= version <= published.versions[slug].number:
        raise FormRefused(site.lang, plan_url)  # no version of this journey: not our form
    shown = feedback.plan_form(request, site, slug, version, parse_qsl(state.query()))
    sent = feedback.read(form, shown, site.lang)
    if sent is None:
        return render(
            request,
            "feedback.html",
            site,
            status=400,
            headers=PERSONAL_PAGE,
            journey_title=TextLookup(site.lang).get(journey.title),
            plan_url=plan_url,
            feedback=shown,
        )
    feedback_service.record(
        session=session,
        slug=slug,
        version=int(version),
        useful=sent.useful,
        comment=sent.comment,
        day=today_in_finland(),
    )
    return see_other(site.url(f"{slug}/plan", state.query(**{feedback.SENT: "sent"})) + "#feedback")
