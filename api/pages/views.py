"""What the pages show, from the prepared catalogue: pure functions, no HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from api.catalogue.service import Published
from api.engine.model import Journey, Timing
from api.engine.plan import Plan, PlanStep
from api.engine.texts import TextLookup


@dataclass
class JourneyLink:
    slug: str
    title: str
    summary: str


@dataclass
class EventClass:
    """A main life-event class offered as a filter, with how many journeys it holds."""

    code: str
    label: str
    count: int


@dataclass
class Home:
    query: str
    life_event: str | None  # the chosen class, without a query
    classes: list[EventClass]
    life_total: int  # life journeys in all
    life: list[JourneyLink]  # without a query: each life journey once (in the chosen class)
    business: list[JourneyLink]
    found: list[JourneyLink]  # with a query: what the search found, best first
    common: list[JourneyLink]  # with a query that found nothing: the editors' common list

    @property
    def chosen(self) -> EventClass | None:
        return next((c for c in self.classes if c.code == self.life_event), None)


def home(published: Published, lang: str, query: str = "", life_event: str | None = None) -> Home:
    """Without a query, each journey once by title, business events apart, life events
    filtered by `life_event` (a main class with journeys; for any other `chosen` is None).
    With one, what `Published.search` finds, best first, or else the common journeys."""
    texts = TextLookup(lang)
    journeys = published.catalogue.journeys

    def link(slug: str) -> JourneyLink:
        journey = journeys[slug]
        return JourneyLink(slug, texts.get(journey.title), texts.get(journey.summary))

    query = query.strip()
    events = published.catalogue.life_events
    classes = [
        EventClass(code, texts.get(event.label), sum(_in_class(j, code) for j in journeys.values()))
        for code, event in events.items()
        if event.parent is None
    ]
    classes = [c for c in classes if c.count]
    if query:
        found = [link(slug) for slug in published.search.search(query)]
        common = [] if found else [link(s) for s in published.catalogue.common if s in journeys]
        return Home(query, None, classes, 0, [], [], found, common)
    by_title = sorted((link(slug) for slug in journeys), key=lambda item: item.title)
    life = [
        item
        for item in by_title
        if journeys[item.slug].kind == "life"
        and (life_event is None or _in_class(journeys[item.slug], life_event))
    ]
    business = [item for item in by_title if journeys[item.slug].kind == "business"]
    total = sum(1 for journey in journeys.values() if journey.kind == "life")
    return Home(query, life_event, classes, total, life, business, [], [])


def _in_class(journey: Journey, code: str) -> bool:
    return any(c == code or c.startswith(code + ".") for c in journey.life_events)


@dataclass
class GlossaryEntry:
    id: str
    term: str
    explanation: str
    source_title: str
    source_url: str
    source_lang: str  # the language of the source page; differs from the page's when none exists


def glossary(published: Published, lang: str) -> list[GlossaryEntry]:
    """The glossary's terms in one language, alphabetically."""
    texts = TextLookup(lang)
    entries = [
        GlossaryEntry(
            term.id,
            texts.get(term.term),
            texts.get(term.explanation),
            texts.get(term.source.title),
            *term.source.url.get(lang),
        )
        for term in published.catalogue.glossary
    ]
    return sorted(entries, key=lambda entry: entry.term.casefold())


@dataclass(frozen=True)
class StepGroup:
    """The steps of one timing, numbered on from the group before."""

    timing: str
    heading: str | None  # the journey's own words for it; None: the pages' general heading
    start: int  # the number of its first step
    steps: list[PlanStep]


def step_groups(plan: Plan, journey: Journey | None) -> list[StepGroup]:
    """The steps to do by timing (before, around, after the event), empty groups left out, in
    one numbering from 1 to the last step, under the journey's headings where it has them."""
    texts = TextLookup(plan.lang)
    headings = journey.timing_headings if journey else None
    groups: list[StepGroup] = []
    number = 1
    for timing in Timing:
        steps = [s for s in plan.steps if s.timing == timing.value]
        if not steps:
            continue
        own = getattr(headings, timing.value) if headings else None
        groups.append(StepGroup(timing.value, texts.get(own) if own else None, number, steps))
        number += len(steps)
    return groups


@dataclass(frozen=True)
class NextSteps:
    """What to do first: anything overdue, the next deadlines, and how many steps in all."""

    total: int
    overdue: list[PlanStep]  # past their date and not done, earliest first
    upcoming: list[PlanStep]  # the next dated steps not done, soonest first
    first: list[PlanStep]  # without any date ahead: the first steps not done, in order


def next_steps(plan: Plan, done: frozenset[str] = frozenset(), count: int = 3) -> NextSteps:
    """The top of a plan. A step ticked off is never next, nor overdue."""
    todo = [step for step in plan.steps if step.key not in done]
    overdue = _by_due(s for s in todo if s.overdue)
    dated = _by_due(s for s in todo if s.due and not s.overdue)[:count]
    first = [] if dated else [s for s in todo if not s.overdue][:count]
    return NextSteps(len(plan.steps), overdue, dated, first)


def _by_due(steps: Iterable[PlanStep]) -> list[PlanStep]:
    return sorted(steps, key=lambda step: step.due or dt.date.min)
