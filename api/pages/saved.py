"""Keeping track on the pages: save a plan as a checklist, come back through its private link,
tick steps off, change the date, delete it. Plain forms that post and redirect (they work without
JavaScript); polku.js makes ticking smoother where scripts run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.checklists import service
from api.checklists.schemas import ChecklistCreate, ChecklistUpdate
from api.deps import LoadedCatalogueDep, PublishedDep, SessionDep, SettingsDep
from api.engine.model import EVENT_DATE
from api.engine.texts import TextLookup
from api.errors import InvalidAnswers
from api.limits import ChecklistCreateLimit, ChecklistWriteLimit
from api.pages import flow, views
from api.pages.calendar import checklist_feed
from api.pages.forms import TOKEN_FIELD, form_token, verified_form
from api.pages.i18n import translations
from api.pages.messages import error_message
from api.pages.plan import answer_rows, pairs_of
from api.pages.render import Site, render
from api.pages.routes import (
    SHOW_ALL,
    PageNotFound,
    PageSlug,
    SiteDep,
    see_other,
)

router = APIRouter(include_in_schema=False)

# Where a saved checklist lives. "checklist" cannot be a journey's slug (the checker says so).
CHECKLIST = "checklist"
# A saved checklist is personal: not cached anywhere, not indexed.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
# Sent by polku.js: answer a tick with 204 instead of redirecting to the whole page again.
ENHANCED = "polku-enhanced"
# On the address a new checklist opens at: say "saved" once.
SAVED = "saved"

R = TypeVar("R")


async def _form(request: Request, site: SiteDep) -> FormData:
    """The posted form, checked (forms.py); a refused one offers the page it came from."""
    params = request.path_params
    if "checklist_id" in params:
        back = site.url(f"{CHECKLIST}/{params['checklist_id']}")
    else:
        back = site.url(f"{params.get('slug', '')}/")
    return await verified_form(request, site.lang, back)


FormDep = Annotated[FormData, Depends(_form)]


@dataclass(frozen=True)
class Tick:
    action: str
    token: str
    done: bool


@router.post("/{lang}/{slug}/save")
def save(
    limited: ChecklistCreateLimit,
    request: Request,
    session: SessionDep,
    catalogue: LoadedCatalogueDep,
    published: PublishedDep,
    settings: SettingsDep,
    site: SiteDep,
    slug: PageSlug,
    form: FormDep,
) -> Response:
    """Save the plan in the form as a checklist and go to its private link."""
    if slug not in published.catalogue.journeys:
        raise PageNotFound(site)
    items = [(k, v) for k, v in form.multi_items() if k != TOKEN_FIELD and isinstance(v, str)]
    state = flow.read(published.planner, slug, items, site.lang)
    if state.plan.questions or state.errors:
        return see_other(site.url(f"{slug}/questions", state.query()))
    made = service.create(
        session=session,
        catalogue=catalogue,
        data=ChecklistCreate(journey=slug, answers=state.answers, event_date=state.event_date),
        lang=site.lang,
        today=None,
        ttl=settings.checklist_ttl,
        public_url=settings.public_url,
    )
    # Once: the banner that says it was saved shows on this address only (polku.js then drops
    # the flag from the address, so a reload does not say it again).
    return see_other(site.url(f"{CHECKLIST}/{made.id}", f"{SAVED}=1"))


class Saved:
    """The saved checklist an address names, with what every action on it needs; an unknown,
    deleted or expired checklist (or step) is a friendly page that says so."""

    def __init__(
        self,
        session: SessionDep,
        catalogue: LoadedCatalogueDep,
        settings: SettingsDep,
        site: SiteDep,
        checklist_id: str,
    ) -> None:
        self.session, self.catalogue, self.site = session, catalogue, site
        self.checklist_id = checklist_id
        self.ttl = settings.checklist_ttl
        self.public_url = settings.public_url
        self.here = site.url(f"{CHECKLIST}/{checklist_id}")

    def open(self) -> service.Opened:
        return self._run(service.open_checklist)

    def update(self, data: ChecklistUpdate) -> None:
        self._run(service.update, data=data, public_url=self.public_url)

    def set_done(self, step_key: str, done: bool) -> None:
        self._run(service.set_done, step_key=step_key, done=done, public_url=self.public_url)

    def delete(self) -> None:
        try:
            service.delete(session=self.session, checklist_id=self.checklist_id, ttl=self.ttl)
        except service.UnknownChecklist:
            raise PageNotFound(self.site, checklist=True) from None

    def _run(self, action: Callable[..., R], **kwargs: object) -> R:
        try:
            return action(
                session=self.session,
                catalogue=self.catalogue,
                checklist_id=self.checklist_id,
                lang=self.site.lang,
                today=None,
                ttl=self.ttl,
                **kwargs,
            )
        except (service.UnknownChecklist, service.UnknownStep):
            raise PageNotFound(self.site, checklist=True) from None


SavedDep = Annotated[Saved, Depends()]


@router.get("/{lang}/checklist/{checklist_id}")
def show(request: Request, saved: SavedDep) -> Response:
    """The saved checklist: the plan with ticks, the private link, the date, delete."""
    return _page(request, saved)


@router.get(service.CALENDAR_FEED_PATH)
def calendar_feed(
    session: SessionDep,
    catalogue: LoadedCatalogueDep,
    settings: SettingsDep,
    site: SiteDep,
    token: str,
) -> Response:
    """A saved checklist's live calendar, which a calendar app subscribes to and polls: the
    deadlines to do, each with a reminder, and those ticked off marked done."""
    try:
        feed = service.calendar_feed(
            session=session,
            catalogue=catalogue,
            token=token,
            lang=site.lang,
            today=None,
            ttl=settings.checklist_ttl,
        )
    except service.UnknownChecklist:
        raise PageNotFound(site, checklist=True) from None
    body = checklist_feed(
        feed.plan,
        done=feed.done,
        title=_title(catalogue, feed.journey, site),
        # The journey's public start page, never the checklist's private address.
        url=settings.public_url + Site(site.lang).url(f"{feed.journey}/"),
        uid_seed=feed.uid_seed,
        revision=feed.revision,
        lang=site.lang,
    )
    # Personal: no shared cache keeps it, and every poll reads the checklist as it is now.
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-cache", "X-Robots-Tag": "noindex, nofollow"},
    )


@router.post("/{lang}/checklist/{checklist_id}/steps/{journey}/{step}")
def tick(
    limited: ChecklistWriteLimit,
    request: Request,
    saved: SavedDep,
    journey: str,
    step: str,
    form: FormDep,
) -> Response:
    """Tick a step off (done=1) or untick it (done=0)."""
    saved.set_done(f"{journey}/{step}", form.get("done") == "1")
    if request.headers.get(ENHANCED):
        return Response(status_code=204, headers=PRIVATE_HEADERS)
    return see_other(f"{saved.here}#step-{journey}-{step}")


@router.post("/{lang}/checklist/{checklist_id}/event-date")
def change_event_date(
    limited: ChecklistWriteLimit, request: Request, saved: SavedDep, form: FormDep
) -> Response:
    """Give or change the date of the event: the deadlines follow."""
    parts = {part: str(form.get(f"{EVENT_DATE}.{part}", "")).strip() for part in flow.DATE_PARTS}
    day = flow.fold_date(parts)
    code = "date" if any(parts.values()) else "missing"
    if day is not None:
        try:
            saved.update(ChecklistUpdate(event_date=dt.date.fromisoformat(day)))
        except (ValidationError, InvalidAnswers):
            # A date outside 1900-2199, or one the journey cannot plan with.
            day, code = None, "out_of_range"
    if day is None:
        return _page(request, saved, date_error=parts, date_code=code, status=400)
    return see_other(saved.here)


@router.post("/{lang}/checklist/{checklist_id}/upgrade")
def upgrade(limited: ChecklistWriteLimit, saved: SavedDep, form: FormDep) -> Response:
    """Move the checklist to the newest version of its journey (ticks of steps kept stay)."""
    # Answers that no longer fit the new version: the notice stays and nothing changes.
    with suppress(InvalidAnswers):
        saved.update(ChecklistUpdate(upgrade=True))
    return see_other(saved.here)


@router.get("/{lang}/checklist/{checklist_id}/delete")
def confirm_delete(request: Request, saved: SavedDep) -> Response:
    """Are you sure? Deleting cannot be undone."""
    opened = saved.open()
    action = f"{saved.here}/delete"
    return render(
        request,
        "delete.html",
        saved.site,
        headers=PRIVATE_HEADERS,
        journey_title=_title(saved.catalogue, opened.journey, saved.site),
        action=action,
        token=form_token(request, action),
        back=saved.here,
    )


@router.post("/{lang}/checklist/{checklist_id}/delete")
def delete(
    limited: ChecklistWriteLimit, request: Request, saved: SavedDep, form: FormDep
) -> Response:
    """Delete the checklist and everything in it, now."""
    saved.delete()
    return render(request, "deleted.html", saved.site, headers=PRIVATE_HEADERS)


def _page(
    request: Request,
    saved: Saved,
    date_error: dict[str, str] | None = None,
    date_code: str = "date",
    status: int = 200,
) -> Response:
    site, catalogue, here = saved.site, saved.catalogue, saved.here
    opened = saved.open()
    published = catalogue.current
    journey = published.catalogue.journeys.get(opened.journey)
    show_all = request.query_params.get(SHOW_ALL) == "1"
    ticks = {}
    for step in opened.plan.steps:
        action = f"{here}/steps/{step.journey}/{step.id}"
        ticks[step.key] = Tick(action, form_token(request, action), step.key in opened.done)
    done = sum(tick.done for tick in ticks.values())
    query = pairs_of(opened.answers, opened.event_date)
    actions = {
        name: (f"{here}/{name}", form_token(request, f"{here}/{name}"))
        for name in ("event-date", "upgrade")
    }
    return render(
        request,
        "checklist.html",
        site,
        status=status,
        headers=PRIVATE_HEADERS,
        slug=opened.journey,
        journey_title=_title(catalogue, opened.journey, site),
        # The private link always opens the full site at its public address (never the Host
        # the request named), also when saved inside a portal's frame.
        private_link=saved.public_url + Site(site.lang).url(f"{CHECKLIST}/{saved.checklist_id}"),
        groups=views.step_groups(opened.plan, journey),
        summary=views.next_steps(opened.plan, frozenset(opened.done)),
        show_all=show_all,
        show_all_url=here if show_all else f"{here}?{SHOW_ALL}=1",
        just_saved=request.query_params.get(SAVED) == "1" and date_error is None,
        answers=answer_rows(
            published.planner, opened.journey, opened.plan.answered, opened.answers, site.lang
        ),
        today=opened.plan.today,
        automatic=opened.plan.automatic,
        chains=[
            (chain, site.url(f"{chain.journey}/questions", pairs_of(chain.answers)))
            for chain in opened.plan.chains
        ],
        ticks=ticks,
        done=done,
        total=len(ticks),
        event_label=_event_label(catalogue, opened.journey, site),
        event_date=opened.event_date,
        date_error=date_error,
        date_message=_date_message(catalogue, opened.journey, site, date_code),
        actions=actions,
        newer=opened.newer_version,
        expires=opened.expires_at.date(),
        calendar_url=site.url(f"{opened.journey}/plan.ics", query) if opened.event_date else None,
        feed=_feed_addresses(saved),
        delete_url=f"{here}/delete",
    )


def _feed_addresses(saved: Saved) -> tuple[str, str]:
    """The checklist's calendar feed at the public address, as https (to paste, as Google
    Calendar asks) and as webcal (a link that opens the calendar app's subscribe dialog)."""
    https = saved.public_url + service.calendar_feed_path(saved.site.lang, saved.checklist_id)
    return https, "webcal://" + https.split("://", 1)[1]


def _title(catalogue: LoadedCatalogueDep, slug: str, site: Site) -> str:
    journey = catalogue.current.catalogue.journeys.get(slug)
    return TextLookup(site.lang).get(journey.title) if journey else slug


def _date_message(catalogue: LoadedCatalogueDep, slug: str, site: Site, code: str) -> str:
    """What an event date refused on the checklist's date form says (as in the flow)."""
    journey = catalogue.current.catalogue.journeys.get(slug)
    _ = translations(site.lang).gettext
    if code == "missing":  # this form offers no "I don't know yet", unlike the flow
        return _("Enter a date, for example 27 3 2027")
    if journey is None:
        return _("Enter a real date, for example 27 3 2027")
    return error_message(flow.event_date_view(journey, site.lang), code, None, site.lang)


def _event_label(catalogue: LoadedCatalogueDep, slug: str, site: Site) -> str:
    journey = catalogue.current.catalogue.journeys.get(slug)
    return TextLookup(site.lang).get(journey.event_date.label) if journey else ""
