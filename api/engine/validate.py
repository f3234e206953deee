"""Checks across a catalogue that the models alone cannot make: every reference resolves, nothing
is cyclic, every text is translated, every question is used."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from string import Formatter

from pydantic import BaseModel

from api.engine.catalogue import (
    GLOSSARY_FILE,
    LIFE_EVENTS_FILE,
    ORGANISATIONS_FILE,
    QUESTIONS_FILE,
    Catalogue,
)
from api.engine.conditions import check_condition, questions_in
from api.engine.deadline_text import check_deadline_text
from api.engine.glossary import check_glossary, check_term_use, texts_of
from api.engine.links import check_links
from api.engine.model import (
    EVENT_DATE,
    LANGS,
    TIMING_ORDER,
    ChainMode,
    Condition,
    Journey,
    Question,
    QuestionType,
    SharedQuestion,
    Step,
    Timing,
    event_date_question,
    split_step_ref,
)
from api.engine.problems import Coded, Path, Problem, ProblemList

LANG_NAMES = {"sv": "Swedish", "en": "English"}
# Plan URLs carry answers by question id beside these parameters.
RESERVED_IDS = (EVENT_DATE, "lang", "today")


def validate(catalogue: Catalogue) -> list[Problem]:
    """Every cross-reference problem in the catalogue, sorted by file and place."""
    problems: list[Problem] = []
    problems += _check_shared(catalogue)
    local_owner: dict[str, str] = {}
    # Steps by id per journey, built once: references are looked up, never searched for.
    step_index = {slug: {s.id: s for s in j.steps} for slug, j in catalogue.journeys.items()}
    # Oldest first, so that a question id clash is reported in the file that introduced it.
    for slug in catalogue.age_order():
        journey = catalogue.journeys[slug]
        where = catalogue.problems_for(catalogue.file_of(slug))
        _check_journey(catalogue, journey, where, local_owner, step_index)
        problems += where.items
    problems += _check_cycles(catalogue)
    problems += check_links(catalogue)
    problems += check_glossary(catalogue)
    problems += check_term_use(catalogue)
    return sorted(problems)


def journey_questions(catalogue: Catalogue, journey: Journey) -> dict[str, Question]:
    """The questions a journey itself asks (its own and the shared ones it lists), and the event
    date, which conditions may compare like a date question."""
    out: dict[str, Question] = {EVENT_DATE: event_date_question(journey)}
    for entry in journey.questions:
        if isinstance(entry, SharedQuestion):
            if entry.shared in catalogue.questions:
                out[entry.shared] = catalogue.questions[entry.shared]
        else:
            out[entry.id] = entry
    return out


def _check_shared(catalogue: Catalogue) -> list[Problem]:
    questions = catalogue.problems_for(QUESTIONS_FILE)
    shared = dict(catalogue.questions)
    for index, question in enumerate(catalogue.questions.values()):
        base: Path = ("questions", index)
        _check_texts(question, (*base,), questions)
        unknown = "a shared question can only depend on other shared questions"
        for path, message in check_condition(question.asked_when, shared, unknown):
            questions.add((*base, "asked_when", *path), message)
        _check_you_said(question, base, questions)
        _check_errors(question, base, questions)
    organisations = catalogue.problems_for(ORGANISATIONS_FILE)
    for index, organisation in enumerate(catalogue.organisations.values()):
        _check_texts(organisation, ("organisations", index), organisations)
    glossary = catalogue.problems_for(GLOSSARY_FILE)
    for index, term in enumerate(catalogue.glossary):
        _check_texts(term, ("terms", index), glossary)
    life_events = catalogue.problems_for(LIFE_EVENTS_FILE)
    for index, event in enumerate(catalogue.life_events.values()):
        if event.parent and event.parent not in catalogue.life_events:
            life_events.add(
                ("life_events", index, "parent"),
                Coded(
                    f"unknown life event '{event.parent}'",
                    "unknown_life_event_parent",
                    life_event=event.parent,
                ),
            )
        _check_texts(event, ("life_events", index), life_events)
    for index, slug in enumerate(catalogue.common):
        # A journey whose file is broken reports its own problems; naming it here is fine.
        if slug not in catalogue.journeys and slug not in catalogue.broken:
            life_events.add(("common", index), _unknown_journey(catalogue, slug))
        elif slug in catalogue.common[:index]:
            life_events.add(
                ("common", index),
                Coded(f"the journey '{slug}' is listed twice", "journey_twice", journey=slug),
            )
    return questions.items + organisations.items + glossary.items + life_events.items


def _check_journey(
    catalogue: Catalogue,
    journey: Journey,
    where: ProblemList,
    local_owner: dict[str, str],
    step_index: Mapping[str, Mapping[str, Step]],
) -> None:
    slug = journey.slug
    _check_texts(journey, (), where)
    if journey.owner not in catalogue.organisations:
        where.add(("owner",), _unknown_organisation(journey.owner))
    for index, code in enumerate(journey.life_events):
        if code not in catalogue.life_events:
            where.add(
                ("life_events", index),
                Coded(f"unknown life-event code '{code}'", "unknown_life_event", life_event=code),
            )
    source_ids = _unique(where, "sources", [s.id for s in journey.sources], "source")

    # Questions: shared ones exist; local ones are unique here and across journeys.
    seen: set[str] = set()
    for index, entry in enumerate(journey.questions):
        qid = entry.shared if isinstance(entry, SharedQuestion) else entry.id
        if qid in RESERVED_IDS:
            where.add(
                ("questions", index),
                Coded(
                    f"'{qid}' is reserved (event_date, lang and today are plan parameters): "
                    "choose another id",
                    "question_id_reserved",
                    question=qid,
                ),
            )
        if qid in seen:
            where.add(
                ("questions", index),
                Coded(f"the question '{qid}' is listed twice", "question_twice", question=qid),
            )
        seen.add(qid)
        if isinstance(entry, SharedQuestion):
            if qid not in catalogue.questions:
                where.add(
                    ("questions", index, "shared"),
                    Coded(
                        f"unknown shared question '{qid}': define it in {QUESTIONS_FILE}",
                        "unknown_shared_question",
                        question=qid,
                        file=QUESTIONS_FILE,
                    ),
                )
        elif qid in catalogue.questions:
            where.add(
                ("questions", index, "id"),
                Coded(
                    f"'{qid}' is a shared question: list it as '- shared: {qid}' instead",
                    "question_is_shared",
                    question=qid,
                ),
            )
        elif qid in local_owner and local_owner[qid] != slug:
            # The same definition is the same question (a copied journey keeps its questions,
            # and an answer keyed by the id means the same in both); a different one clashes.
            owner = local_owner[qid]
            if _own_question(catalogue.journeys[owner], qid) != entry:
                where.add(
                    ("questions", index, "id"),
                    Coded(
                        f"the question id '{qid}' is already defined differently in "
                        f"{catalogue.file_of(owner)}; answers are keyed by the id, so give this "
                        f"question another id, make the two definitions the same, or define it "
                        f"once in {QUESTIONS_FILE} and share it",
                        "question_defined_differently",
                        question=qid,
                        file=catalogue.file_of(owner),
                        shared_file=QUESTIONS_FILE,
                    ),
                )
        else:
            local_owner[qid] = slug
    asked = journey_questions(catalogue, journey)
    for index, entry in enumerate(journey.questions):
        if isinstance(entry, Question):
            for path, message in check_condition(entry.asked_when, asked):
                where.add(("questions", index, "asked_when", *path), message)
            _check_you_said(entry, ("questions", index), where)
            _check_errors(entry, ("questions", index), where)
        elif entry.shared in catalogue.questions:
            condition = catalogue.questions[entry.shared].asked_when
            for _, leaf in questions_in(condition):
                if leaf.question not in asked:
                    where.add(
                        ("questions", index),
                        Coded(
                            f"the shared question '{entry.shared}' is asked only when "
                            f"'{leaf.question}' is answered, but this journey does not ask "
                            f"'{leaf.question}': add '- shared: {leaf.question}' before it",
                            "shared_question_needs",
                            question=entry.shared,
                            other=leaf.question,
                        ),
                    )
    _check_asked_when_cycles(journey, asked, where)

    # Steps.
    step_ids = _unique(where, "steps", [s.id for s in journey.steps], "step")
    used: set[str] = set()
    for index, step in enumerate(journey.steps):
        base: Path = ("steps", index)
        if step.organisation is not None and step.organisation not in catalogue.organisations:
            where.add((*base, "organisation"), _unknown_organisation(step.organisation))
        _check_condition(step.when, asked, (*base, "when"), where, used)
        for key in ("deadline", "earliest"):
            deadline = getattr(step, key)
            if deadline is not None and deadline.source not in source_ids:
                where.add((*base, key, "source"), _unknown_source(deadline.source))
            if deadline is not None and deadline.counted_from is not None:
                qid = deadline.counted_from.question
                used.add(qid)
                place = (*base, key, "counted_from", "question")
                if qid not in asked or qid == EVENT_DATE:
                    where.add(
                        place,
                        Coded(
                            f"unknown question '{qid}': a limit is counted from the answer to a "
                            "date question this journey asks (leave counted_from out to count "
                            "from the event date)",
                            "counted_from_unknown",
                            question=qid,
                        ),
                    )
                elif asked[qid].type is not QuestionType.date:
                    where.add(
                        place,
                        Coded(
                            f"'{qid}' is not a date question: a limit needs a date",
                            "counted_from_not_date",
                            question=qid,
                        ),
                    )
        if (
            step.deadline
            and step.deadline.direction == "before"
            and step.timing is not Timing.before
        ):
            where.add(
                (*base, "timing"),
                Coded(
                    "a deadline before the event needs timing: before, or people see it too late",
                    "deadline_before_timing",
                ),
            )
        for path, message in check_deadline_text(step):
            where.add((*base, *path), message)
        for cited, source in enumerate(step.sources):
            if source not in source_ids:
                where.add((*base, "sources", cited), _unknown_source(source))
        for ref_index, ref in enumerate(step.after):
            owner, target = split_step_ref(ref, slug)
            other = catalogue.journeys.get(owner)
            dep = step_index[owner].get(target) if other is not None else None
            if other is None:
                where.add((*base, "after", ref_index), _unknown_journey(catalogue, owner))
            elif dep is None:
                where.add(
                    (*base, "after", ref_index),
                    Coded(f"unknown step '{ref}'", "unknown_step", step=ref),
                )
            elif owner == slug and target == step.id:
                where.add(
                    (*base, "after", ref_index),
                    Coded("a step cannot come after itself", "after_itself"),
                )
            else:
                if TIMING_ORDER[dep.timing] > TIMING_ORDER[step.timing]:
                    where.add(
                        (*base, "after", ref_index),
                        Coded(
                            f"this step is timed '{step.timing.value}' but comes after "
                            f"'{ref}', timed '{dep.timing.value}': change one timing",
                            "after_timing",
                            timing=step.timing.value,
                            step=ref,
                            other_timing=dep.timing.value,
                        ),
                    )

    # Chains.
    for index, chain in enumerate(journey.chains):
        base = ("chains", index)
        if chain.timing is not None and chain.mode is not ChainMode.include:
            where.add(
                (*base, "timing"),
                Coded("timing is for included journeys only", "chain_timing_include_only"),
            )
        if chain.journey == slug:
            where.add(
                (*base, "journey"), Coded("a journey cannot chain to itself", "chain_to_itself")
            )
        elif chain.journey not in catalogue.journeys:
            where.add((*base, "journey"), _unknown_journey(catalogue, chain.journey))
        _check_condition(chain.when, asked, (*base, "when"), where, used)
    for entry in journey.questions:
        if isinstance(entry, Question) and entry.asked_when is not None:
            used.update(leaf.question or "" for _, leaf in questions_in(entry.asked_when))
    for index, entry in enumerate(journey.questions):
        qid = entry.shared if isinstance(entry, SharedQuestion) else entry.id
        if qid not in used:
            where.add(
                ("questions", index),
                Coded(
                    f"no step, chain or question depends on '{qid}': asking it wastes the "
                    "person's time; use it in a condition or remove it",
                    "question_unused",
                    question=qid,
                ),
            )

    # Scenarios refer to things that exist.
    for index, scenario in enumerate(journey.scenarios):
        base = ("scenarios", index, "expect")
        expect = scenario.expect
        refs: list[tuple[str, list[str]]] = [
            ("steps", expect.steps),
            ("not_steps", expect.not_steps),
            ("check", expect.check),
            ("overdue", expect.overdue),
            ("due", list(expect.due)),
        ]
        for key, values in refs:
            for ref in values:
                owner, target = split_step_ref(ref, slug)
                other = catalogue.journeys.get(owner)
                if (
                    other is None
                    or (owner == slug and target not in step_ids)
                    or (target not in step_index[owner])
                ):
                    where.add(
                        (*base, key), Coded(f"unknown step '{ref}'", "unknown_step", step=ref)
                    )
        for ref in expect.due:
            if split_step_ref(ref, slug)[0] != slug:
                where.add(
                    (*base, "due", ref),
                    Coded(
                        "steps of an included journey get no date in this journey's plan (their "
                        "own event date differs); expect a date only for this journey's steps",
                        "scenario_due_included",
                    ),
                )
        for key, slugs in (
            ("chains", expect.chains),
            ("not_chains", expect.not_chains),
            ("included", expect.included),
            ("not_included", expect.not_included),
        ):
            for other_slug in slugs:
                if other_slug not in catalogue.journeys:
                    where.add((*base, key), _unknown_journey(catalogue, other_slug))


def _own_question(journey: Journey, qid: str) -> Question | None:
    return next((e for e in journey.questions if isinstance(e, Question) and e.id == qid), None)


def _check_you_said(question: Question, base: Path, where: ProblemList) -> None:
    """A question's own you_said is for date and number answers, with {answer} in every text."""
    if question.you_said is None:
        return
    if question.type not in (QuestionType.date, QuestionType.number):
        where.add(
            (*base, "you_said"),
            Coded("put you_said on each option of a choice question", "you_said_on_options"),
        )
        return
    for lang in LANGS:
        if question.you_said.has(lang) and "{answer}" not in question.you_said.get(lang):
            where.add(
                (*base, "you_said", lang),
                Coded("write {answer} where the answer goes", "you_said_answer"),
            )


def _check_errors(question: Question, base: Path, where: ProblemList) -> None:
    """A question's own error messages: invalid and out_of_range for date and number answers,
    out_of_range filling in only the minimum and maximum the question has."""
    errors = question.errors
    if errors is None:
        return
    if question.type not in (QuestionType.date, QuestionType.number):
        for name in ("invalid", "out_of_range"):
            if getattr(errors, name) is not None:
                where.add(
                    (*base, "errors", name),
                    f"only date and number questions have an {name} answer; remove it",
                )
        return
    if errors.out_of_range is None:
        return
    if question.minimum is None and question.maximum is None:
        where.add(
            (*base, "errors", "out_of_range"),
            "no answer can be out of range: the question has no minimum or maximum",
        )
    for lang in LANGS:
        if not errors.out_of_range.has(lang):
            continue
        try:
            names = {name for _, name, _, _ in Formatter().parse(errors.out_of_range.get(lang))}
        except ValueError:
            names = {"?"}
        names.discard(None)
        allowed = {n for n in ("minimum", "maximum") if getattr(question, n) is not None}
        if not names <= allowed:
            where.add(
                (*base, "errors", "out_of_range", lang),
                "write only "
                + (" and ".join(f"{{{n}}}" for n in sorted(allowed, reverse=True)) or "plain text")
                + " in braces: they are filled in with the question's own limits",
            )


def _check_condition(
    condition: Condition | None,
    asked: Mapping[str, Question],
    base: Path,
    where: ProblemList,
    used: set[str],
) -> None:
    for path, message in check_condition(condition, asked):
        where.add((*base, *path), message)
    used.update(leaf.question or "" for _, leaf in questions_in(condition))


def _check_asked_when_cycles(
    journey: Journey, asked: Mapping[str, Question], where: ProblemList
) -> None:
    depends = {
        qid: {leaf.question for _, leaf in questions_in(q.asked_when) if leaf.question in asked}
        for qid, q in asked.items()
    }
    for cycle in _cycles(depends):  # type: ignore[arg-type]
        index = next(
            i
            for i, e in enumerate(journey.questions)
            if (e.shared if isinstance(e, SharedQuestion) else e.id) == cycle[0]
        )
        where.add(
            ("questions", index, "asked_when"),
            Coded(
                "questions cannot depend on each other in a circle: " + " -> ".join(cycle),
                "questions_circle",
                circle=" -> ".join(cycle),
            ),
        )


def _check_cycles(catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    includes = {
        slug: {
            c.journey
            for c in j.chains
            # A journey chained to itself has its own message in _check_journey.
            if c.mode is ChainMode.include and c.journey in catalogue.journeys and c.journey != slug
        }
        for slug, j in catalogue.journeys.items()
    }
    for cycle in _cycles(includes):
        where = catalogue.problems_for(catalogue.file_of(cycle[0]))
        journey = catalogue.journeys[cycle[0]]
        index = next(
            i
            for i, c in enumerate(journey.chains)
            if c.mode is ChainMode.include and c.journey == cycle[1]
        )
        where.add(
            ("chains", index),
            Coded(
                "journeys cannot include each other in a circle: " + " -> ".join(cycle),
                "journeys_circle",
                circle=" -> ".join(cycle),
            ),
        )
        problems += where.items
    after: dict[str, set[str]] = {}
    for slug, journey in catalogue.journeys.items():
        for step in journey.steps:
            key = f"{slug}/{step.id}"
            # A step after itself has its own message in _check_journey.
            after[key] = {"/".join(split_step_ref(r, slug)) for r in step.after} - {key}
    for cycle in _cycles(after):
        slug, step_id = cycle[0].split("/", 1)
        journey = catalogue.journeys[slug]
        where = catalogue.problems_for(catalogue.file_of(slug))
        index = next(i for i, s in enumerate(journey.steps) if s.id == step_id)
        where.add(
            ("steps", index, "after"),
            Coded(
                "steps cannot come after each other in a circle: " + " -> ".join(cycle),
                "steps_circle",
                circle=" -> ".join(cycle),
            ),
        )
        problems += where.items
    return problems


def _cycles(graph: Mapping[str, set[str]]) -> Iterator[list[str]]:
    """Each circle in a graph of "depends on" edges, from its smallest member, as
    [a, b, ..., a]. Linear when there is none; a found circle is cut and the search repeated."""
    remaining = {node: set(edges) for node, edges in graph.items()}
    while True:
        try:
            # graphlib reads the graph as node -> predecessors, which is what "depends on" is.
            TopologicalSorter(remaining).prepare()
            return
        except CycleError as error:
            found: list[str] = list(reversed(error.args[1]))[:-1]
        start = found.index(min(found))
        cycle = found[start:] + found[:start]
        yield [*cycle, cycle[0]]
        remaining[cycle[0]].discard(cycle[1])


def _check_texts(model: BaseModel, base: Path, where: ProblemList) -> None:
    """Report every Text without a Swedish or English version."""
    for path, text in texts_of(model, base):
        for lang in LANGS[1:]:
            if not text.has(lang):
                where.add(
                    (*path, lang),
                    Coded(f"the {LANG_NAMES[lang]} text is missing", "text_missing", lang=lang),
                    "translation",
                )


@dataclass(frozen=True)
class TranslationRow:
    """One line of the translation report: a journey (or the shared files), its texts, and
    each Swedish or English text it lacks."""

    name: str  # the journey's slug, or "shared"
    file: str  # its file, or "shared/"
    texts: int
    missing: list[Problem]

    def missing_in(self, lang: str) -> list[Problem]:
        return [p for p in self.missing if p.path[-1] == lang]


def translation_report(catalogue: Catalogue, problems: list[Problem]) -> list[TranslationRow]:
    """Per journey and for the shared files, sorted by name: how many texts, which are missing
    (from the translation problems among `problems`, as `validate` reports them)."""
    missing = [p for p in problems if p.kind == "translation"]
    shared: list[BaseModel] = [
        *catalogue.questions.values(),
        *catalogue.organisations.values(),
        *catalogue.life_events.values(),
        *catalogue.glossary,
    ]
    rows = [
        TranslationRow(
            slug,
            catalogue.file_of(slug),
            count_texts(journey),
            [p for p in missing if p.file == catalogue.file_of(slug)],
        )
        for slug, journey in catalogue.journeys.items()
    ]
    rows.append(
        TranslationRow(
            "shared",
            "shared/",
            sum(count_texts(item) for item in shared),
            [p for p in missing if p.file.startswith("shared/")],
        )
    )
    return sorted(rows, key=lambda row: row.name)


def count_texts(model: BaseModel) -> int:
    """How many translatable texts a journey or shared definition holds (the translation report)."""
    return sum(1 for _ in texts_of(model, ()))


def _unique(where: ProblemList, key: str, ids: list[str], what: str) -> set[str]:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            where.add(
                (key, index, "id"),
                Coded(f"the {what} id '{value}' is used twice", f"{what}_id_twice", id=value),
            )
        seen.add(value)
    return seen


def _unknown_organisation(org: str) -> str:
    return Coded(
        f"unknown organisation '{org}': define it in {ORGANISATIONS_FILE}",
        "unknown_organisation",
        organisation=org,
    )


def _unknown_journey(catalogue: Catalogue, slug: str) -> str:
    if slug in catalogue.broken:
        return Coded(
            f"the journey '{slug}' cannot be used until the problems in its file are fixed",
            "journey_broken",
            journey=slug,
        )
    return Coded(f"unknown journey '{slug}'", "unknown_journey", journey=slug)


def _unknown_source(source: str) -> str:
    return Coded(
        f"unknown source '{source}': add it to this journey's sources",
        "unknown_source",
        source=source,
    )
