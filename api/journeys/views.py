"""Published content as API shapes, in one language. Pure functions of the prepared catalogue."""

from __future__ import annotations

from typing import Any

from api.catalogue.service import Published
from api.engine.model import (
    Condition,
    Journey,
    Organisation,
    Question,
    QuestionType,
    SharedQuestion,
)
from api.engine.phrases import YES_NO
from api.engine.texts import TextLookup, rule_in_words
from api.errors import UnknownJourney
from api.journeys import schemas as s
from api.plans.schemas import LinkRead, OptionRead, OrganisationRead, SourceRead


def organisation(org: Organisation, texts: TextLookup) -> OrganisationRead:
    return OrganisationRead(id=org.id, name=texts.get(org.name), url=org.url.get(texts.lang)[0])


def journey_list(
    published: Published, lang: str, *, kind: str | None, life_event: str | None, q: str | None
) -> s.JourneyList:
    """The journeys by slug, or with `q` those it finds, best first (the pages' search)."""
    texts = TextLookup(lang)
    journeys = published.catalogue.journeys
    slugs = published.search.search(q) if q and q.strip() else sorted(journeys)
    out = []
    for slug in slugs:
        journey = journeys[slug]
        if kind and journey.kind != kind:
            continue
        if life_event and not any(
            code == life_event or code.startswith(life_event + ".") for code in journey.life_events
        ):
            continue
        out.append(
            s.JourneySummary(
                slug=slug,
                kind=journey.kind,
                life_events=journey.life_events,
                title=texts.get(journey.title),
                summary=texts.get(journey.summary),
                owner=organisation(published.catalogue.organisations[journey.owner], texts),
                last_reviewed=journey.last_reviewed,
                version=published.versions[slug].number,
            )
        )
    return s.JourneyList(lang=lang, fallback=texts.fell_back, journeys=out)


def journey_definition(published: Published, slug: str, lang: str) -> s.JourneyRead:
    journey = published.catalogue.journeys.get(slug)
    if journey is None:
        raise UnknownJourney(f"there is no published journey '{slug}'")
    texts = TextLookup(lang)
    orgs = published.catalogue.organisations
    sources = {source.id: source for source in journey.sources}
    version = published.versions[slug]

    def source_list(ids: list[str]) -> list[SourceRead]:
        return [
            SourceRead(
                id=i, title=texts.get(sources[i].title), url=sources[i].url, law=sources[i].law
            )
            for i in dict.fromkeys(ids)
            if i in sources
        ]

    return s.JourneyRead(
        slug=slug,
        kind=journey.kind,
        life_events=journey.life_events,
        title=texts.get(journey.title),
        summary=texts.get(journey.summary),
        you_will_need=texts.get(journey.you_will_need) if journey.you_will_need else None,
        owner=organisation(orgs[journey.owner], texts),
        last_reviewed=journey.last_reviewed,
        sources=source_list([source.id for source in journey.sources]),
        event_date_label=texts.get(journey.event_date.label),
        questions=[_question(q, texts) for q in _questions(published, journey)],
        steps=[
            s.StepDefinition(
                id=step.id,
                kind=step.kind.value,
                timing=step.timing.value,
                title=texts.get(step.title),
                body=texts.get(step.body),
                organisation=organisation(orgs[step.organisation], texts)
                if step.organisation
                else None,
                links=[
                    LinkRead(
                        label=texts.get(link.label),
                        url=link.url.get(lang)[0],
                        lang=link.url.get(lang)[1],
                        e_service=link.e_service,
                    )
                    for link in step.links
                ],
                when=_condition(step.when),
                deadline_rule=rule_in_words(journey, step.deadline, texts, earliest=False),
                earliest_rule=rule_in_words(journey, step.earliest, texts, earliest=True),
                after=step.after,
                sources=source_list(
                    [*step.sources, *(d.source for d in (step.deadline, step.earliest) if d)]
                ),
                ptv_service=step.ptv_service,
            )
            for step in journey.steps
        ],
        chains=[
            s.ChainDefinition(
                journey=c.journey,
                mode=c.mode.value,
                when=_condition(c.when),
                reason=texts.get(c.reason),
            )
            for c in journey.chains
        ],
        version=version.number,
        content_hash=version.content_hash,
        published_at=version.published_at,
        lang=lang,
        fallback=texts.fell_back,
    )


def _questions(published: Published, journey: Journey) -> list[Question]:
    shared = published.catalogue.questions
    return [shared[e.shared] if isinstance(e, SharedQuestion) else e for e in journey.questions]


def _question(question: Question, texts: TextLookup) -> s.QuestionDefinition:
    ids = ["yes", "no"] if question.type is QuestionType.yes_no else []
    labels = {o.id: o.label for o in question.options if o.label is not None}
    return s.QuestionDefinition(
        id=question.id,
        type=question.type.value,
        label=texts.get(question.label),
        hint=texts.get(question.hint) if question.hint else None,
        options=[
            OptionRead(id=i, label=texts.get(labels[i]) if i in labels else _yes_no(i, texts))
            for i in (ids or [o.id for o in question.options])
        ],
        not_sure=question.not_sure,
        asked_when=_condition(question.asked_when),
        minimum=question.minimum,
        maximum=question.maximum,
        integer=question.integer,
    )


def _yes_no(option: str, texts: TextLookup) -> str:
    return YES_NO[option][texts.lang]


def _condition(condition: Condition | None) -> dict[str, Any] | None:
    if condition is None:
        return None
    data: dict[str, Any] = condition.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def organisation_list(published: Published, lang: str) -> s.OrganisationList:
    texts = TextLookup(lang)
    return s.OrganisationList(
        lang=lang,
        organisations=[organisation(o, texts) for o in published.catalogue.organisations.values()],
    )


def life_event_list(published: Published, lang: str) -> s.LifeEventList:
    texts = TextLookup(lang)
    covering: dict[str, list[str]] = {}
    for slug, journey in sorted(published.catalogue.journeys.items()):
        for code in journey.life_events:
            covering.setdefault(code, []).append(slug)
    return s.LifeEventList(
        lang=lang,
        life_events=[
            s.LifeEventRead(
                code=e.code,
                parent=e.parent,
                label=texts.get(e.label),
                uri=e.uri,
                note=e.note,
                journeys=covering.get(e.code, []),
            )
            for e in published.catalogue.life_events.values()
        ],
    )


def glossary(published: Published, lang: str) -> s.GlossaryList:
    """The glossary in one language, alphabetically by term."""
    texts = TextLookup(lang)
    terms = [
        s.TermRead(
            id=term.id,
            term=texts.get(term.term),
            forms=term.forms_in(lang if term.term.has(lang) else "fi"),
            explanation=texts.get(term.explanation),
            source=s.TermSourceRead(
                title=texts.get(term.source.title), url=term.source.url.get(lang)[0]
            ),
        )
        for term in published.catalogue.glossary
    ]
    terms.sort(key=lambda read: read.term.casefold())
    return s.GlossaryList(lang=lang, fallback=texts.fell_back, terms=terms)
