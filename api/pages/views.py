"""What the pages show, from the prepared catalogue: pure functions, no HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.catalogue.service import Published
from api.engine.texts import TextLookup


@dataclass
class JourneyLink:
    slug: str
    title: str
    summary: str


@dataclass
class EventGroup:
    code: str | None  # the life-event class, None for "other"
    label: str
    journeys: list[JourneyLink] = field(default_factory=list)


@dataclass
class Home:
    life: list[EventGroup]
    business: list[JourneyLink]
    query: str
    matches: int


def home(published: Published, lang: str, query: str = "") -> Home:
    """The journeys by life-event class (each main class, its subclasses folded in), business
    events apart; with a query, only the journeys whose title or summary contains it."""
    texts = TextLookup(lang)
    needle = query.casefold().strip()
    events = published.catalogue.life_events
    groups = {
        code: EventGroup(code, texts.get(e.label)) for code, e in events.items() if e.parent is None
    }
    other = EventGroup(None, "")
    business: list[JourneyLink] = []
    matches = 0
    for slug, journey in sorted(
        published.catalogue.journeys.items(), key=lambda item: texts.get(item[1].title)
    ):
        link = JourneyLink(slug, texts.get(journey.title), texts.get(journey.summary))
        if needle and needle not in f"{link.title} {link.summary}".casefold():
            continue
        matches += 1
        if journey.kind == "business":
            business.append(link)
            continue
        roots = {code.split(".")[0] for code in journey.life_events if code.split(".")[0] in groups}
        for code in sorted(roots, key=list(groups).index):
            groups[code].journeys.append(link)
        if not roots:
            other.journeys.append(link)
    life = [group for group in groups.values() if group.journeys]
    if other.journeys:
        life.append(other)
    return Home(life, business, query, matches)
