"""A validated catalogue prepared for planning, once: conditions compiled, each step's texts
resolved per language, "comes after" resolved to step numbers, and each journey's include
closure and question universe computed. Planning then only evaluates and dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from api.engine.catalogue import Catalogue
from api.engine.conditions import Evaluator, Explainer, compile_condition, compile_explainer
from api.engine.deadlines import Limit
from api.engine.glossary import Glossary
from api.engine.model import (
    LANGS,
    TIMING_ORDER,
    Chain,
    ChainMode,
    Journey,
    Question,
    SharedQuestion,
    Step,
    split_step_ref,
)
from api.engine.ordering import file_rank
from api.engine.plan import LinkView, OrganisationView, PlanStep, SourceView
from api.engine.reuse import ByIdentity
from api.engine.texts import TextLookup, rule_in_words


@dataclass(frozen=True, slots=True)
class Prepared:
    """One step, ready to plan."""

    journey: str
    step: Step
    timing: int  # its own timing, as in TIMING_ORDER
    rank: int  # its own timing, then its position in its file (ordering.file_rank)
    explain: Explainer  # the condition's value and the answers behind it
    deadline: Limit | None
    earliest: Limit | None
    after: tuple[tuple[str, str], ...]
    views: Mapping[str, PlanStep]  # the step's static parts per language
    fallback: Mapping[str, bool]
    uid: int = -1  # the step's number in the catalogue, for ordering
    after_uids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PreparedChain:
    chain: Chain
    applies: Evaluator
    explain: Explainer


@dataclass(frozen=True)
class PreparedJourney:
    journey: Journey
    question_ids: tuple[str, ...]
    steps: tuple[Prepared, ...]
    includes: tuple[PreparedChain, ...]
    suggests: tuple[PreparedChain, ...]
    closure: tuple[str, ...]  # itself and every journey it may include, parents before children
    universe: Mapping[str, Question]  # every question it may ask, in asking order


def prepare_catalogue(
    catalogue: Catalogue, questions: Mapping[str, Question]
) -> dict[str, PreparedJourney]:
    """Every journey of a validated catalogue, prepared; `questions` are all it may ask."""
    glossary = Glossary(catalogue.glossary)
    journeys = {slug: _prepared(catalogue, glossary, j) for slug, j in catalogue.journeys.items()}
    # Number every step, and resolve "comes after" to those numbers once.
    uids = {
        (p.journey, p.step.id): uid
        for uid, p in enumerate(p for j in journeys.values() for p in j.steps)
    }
    for slug, prepared in journeys.items():
        steps = tuple(
            replace(
                p,
                uid=uids[p.journey, p.step.id],
                after_uids=tuple(uids[ref] for ref in p.after if ref in uids),
            )
            for p in prepared.steps
        )
        journeys[slug] = replace(prepared, steps=steps)
    for slug, prepared in journeys.items():
        closure = _closure(journeys, slug)
        universe: dict[str, Question] = {}
        for member in closure:
            for qid in journeys[member].question_ids:
                universe.setdefault(qid, questions[qid])
        journeys[slug] = replace(prepared, closure=closure, universe=universe)
    return journeys


# A journey's own preparation depends on nothing but it, the organisations and the glossary: a
# draft checked against the published catalogue (an editor's every write) prepares only itself.
_prepared_journeys: ByIdentity[PreparedJourney] = ByIdentity(64)


def _prepared(catalogue: Catalogue, glossary: Glossary, journey: Journey) -> PreparedJourney:
    return _prepared_journeys.get(
        (journey, catalogue.organisations, catalogue.glossary),
        lambda: _prepare(catalogue, glossary, journey),
    )


def _prepare(catalogue: Catalogue, glossary: Glossary, journey: Journey) -> PreparedJourney:
    question_ids = tuple(
        entry.shared if isinstance(entry, SharedQuestion) else entry.id
        for entry in journey.questions
    )
    steps = []
    for index, step in enumerate(journey.steps):
        views = {
            lang: _view(catalogue, glossary, journey, step, TextLookup(lang)) for lang in LANGS
        }
        steps.append(
            Prepared(
                journey=journey.slug,
                step=step,
                timing=TIMING_ORDER[step.timing],
                rank=file_rank(step.timing, index),
                explain=compile_explainer(step.when),
                deadline=Limit.of(step.deadline) if step.deadline else None,
                earliest=Limit.of(step.earliest) if step.earliest else None,
                after=tuple(split_step_ref(ref, journey.slug) for ref in step.after),
                views={lang: view for lang, (view, _) in views.items()},
                fallback={lang: fell_back for lang, (_, fell_back) in views.items()},
            )
        )
    chains = [
        PreparedChain(chain, compile_condition(chain.when), compile_explainer(chain.when))
        for chain in journey.chains
    ]
    return PreparedJourney(
        journey,
        question_ids,
        tuple(steps),
        tuple(c for c in chains if c.chain.mode is ChainMode.include),
        tuple(c for c in chains if c.chain.mode is ChainMode.suggest),
        (),
        {},
    )


def _closure(journeys: Mapping[str, PreparedJourney], slug: str) -> tuple[str, ...]:
    """The journey and all it may include, each after every journey that includes it."""
    reached: list[str] = []
    stack = [slug]
    while stack:
        current = stack.pop(0)
        if current not in reached:
            reached.append(current)
            stack.extend(c.chain.journey for c in journeys[current].includes)
    parents: dict[str, set[str]] = {s: set() for s in reached}
    for s in reached:
        for c in journeys[s].includes:
            parents[c.chain.journey].add(s)
    ordered: list[str] = []
    while len(ordered) < len(reached):  # acyclic: validation rejects include cycles
        ordered.append(next(s for s in reached if s not in ordered and parents[s] <= set(ordered)))
    return tuple(ordered)


def _view(
    catalogue: Catalogue, glossary: Glossary, journey: Journey, step: Step, texts: TextLookup
) -> tuple[PlanStep, bool]:
    """The parts of a step that do not depend on the person, in one language, and whether
    any of them fell back to Finnish."""
    lang = texts.lang
    org = catalogue.organisations.get(step.organisation or "")
    sources = {s.id: s for s in journey.sources}
    deadlines = [d.source for d in (step.deadline, step.earliest) if d is not None]
    cited = [sources[i] for i in dict.fromkeys([*step.sources, *deadlines]) if i in sources]
    body = texts.get(step.body)
    body_lang = lang if step.body.has(lang) else "fi"
    view = PlanStep(
        key=f"{journey.slug}/{step.id}",
        id=step.id,
        journey=journey.slug,
        kind=step.kind.value,
        timing=step.timing.value,
        title=texts.get(step.title),
        body=body,
        terms=glossary.first_uses(body, body_lang),
        organisation=OrganisationView(org.id, texts.get(org.name), org.url.get(lang)[0])
        if org
        else None,
        links=tuple(
            LinkView(texts.get(link.label), *link.url.get(lang), link.e_service)
            for link in step.links
        ),
        sources=tuple(SourceView(s.id, texts.get(s.title), s.url, s.law) for s in cited),
        deadline_rule=rule_in_words(journey, step.deadline, texts, earliest=False),
        earliest_rule=rule_in_words(journey, step.earliest, texts, earliest=True),
        due=None,
        opens=None,
        overdue=False,
        check=False,
        reasons=(),
        ptv_service=step.ptv_service,
    )
    return view, texts.fell_back
