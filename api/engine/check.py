"""Checking a catalogue end to end: parse, validate, prepare, run every scenario, measure coverage.

This is what `polku journeys check` and every import or publish run, so a catalogue that passes here
is one the planner can serve.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path as FsPath

from api.engine.answers import AnswersRefused
from api.engine.catalogue import SHARED_FILES, Catalogue, parse_texts, read_directory
from api.engine.model import Journey, Scenario, SharedQuestion, split_step_ref
from api.engine.plan import Plan, PlanStep
from api.engine.planner import Planner
from api.engine.problems import Coded, Path, Problem, ProblemList
from api.engine.validate import validate


@dataclass
class Coverage:
    """What a journey's scenarios reach, against all there is to reach."""

    questions: dict[str, bool] = field(default_factory=dict)
    steps: dict[str, bool] = field(default_factory=dict)
    chains: dict[str, bool] = field(default_factory=dict)

    def missing(self) -> list[tuple[str, str]]:
        return [
            (kind, key)
            for kind, items in (
                ("question", self.questions),
                ("step", self.steps),
                ("chain", self.chains),
            )
            for key, reached in items.items()
            if not reached
        ]

    def summary(self) -> str:
        def part(name: str, items: dict[str, bool]) -> str:
            return f"{sum(items.values())}/{len(items)} {name}"

        return ", ".join(
            (
                part("questions", self.questions),
                part("steps", self.steps),
                part("chains", self.chains),
            )
        )


@dataclass
class CheckResult:
    catalogue: Catalogue
    problems: list[Problem]
    planner: Planner | None
    scenarios_run: dict[str, int] = field(default_factory=dict)  # by journey slug
    scenarios_failed: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, Coverage] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_directory(root: FsPath) -> CheckResult:
    return check_texts(read_directory(root))


def check_texts(texts: Mapping[str, str | bytes]) -> CheckResult:
    """Parse, validate and run the scenarios of a catalogue given as file texts."""
    catalogue, problems = parse_texts(texts)
    problems += validate(catalogue)
    return _run(catalogue, problems)


def check_catalogue(
    catalogue: Catalogue,
    problems: list[Problem],
    *,
    scenarios_of: Collection[str] | None = None,
) -> CheckResult:
    """Validate and prepare a catalogue and run the scenarios (and coverage) of every journey,
    or only of the journeys in `scenarios_of`: scenarios that passed when their content was
    published need not run again unless something they reach changed (see `affected_by`)."""
    return _run(catalogue, problems + validate(catalogue), scenarios_of)


def affected_by(catalogue: Catalogue, slug: str) -> set[str]:
    """The journeys whose plans a change to `slug` can change: itself, and every journey that
    includes or suggests it or orders a step after one of its steps, directly or through
    another such journey."""
    refers: dict[str, set[str]] = {
        other: {c.journey for c in journey.chains}
        | {split_step_ref(ref, other)[0] for step in journey.steps for ref in step.after}
        for other, journey in catalogue.journeys.items()
    }
    affected = {slug}
    grown = True
    while grown:
        reached = {other for other, targets in refers.items() if targets & affected}
        grown = not reached <= affected
        affected |= reached
    return affected


def _run(
    catalogue: Catalogue, problems: list[Problem], scenarios_of: Collection[str] | None = None
) -> CheckResult:
    plannable = _plannable(catalogue, problems)
    planner = Planner(_restricted(catalogue, plannable)) if plannable else None
    result = CheckResult(catalogue, problems, planner)
    if planner is not None:
        for slug in sorted(plannable):
            if scenarios_of is None or slug in scenarios_of:
                _run_scenarios(catalogue, planner, slug, result)
    result.problems = sorted(result.problems)
    return result


def _plannable(catalogue: Catalogue, problems: list[Problem]) -> set[str]:
    """Journeys the planner can safely serve: no problems beyond missing translations in their
    file, the shared files, or any journey they include or refer to."""
    broken_files = {p.file for p in problems if p.kind != "translation"}
    if broken_files & set(SHARED_FILES):
        return set()
    good = {slug for slug in catalogue.journeys if catalogue.file_of(slug) not in broken_files}
    changed = True
    while changed:
        changed = False
        for slug in sorted(good):
            journey = catalogue.journeys[slug]
            refers = {c.journey for c in journey.chains} | {
                split_step_ref(ref, slug)[0] for step in journey.steps for ref in step.after
            }
            if not refers <= good:
                good.discard(slug)
                changed = True
    return good


def _restricted(catalogue: Catalogue, slugs: set[str]) -> Catalogue:
    return replace(catalogue, journeys={s: j for s, j in catalogue.journeys.items() if s in slugs})


def _run_scenarios(catalogue: Catalogue, planner: Planner, slug: str, result: CheckResult) -> None:
    journey = catalogue.journeys[slug]
    where = catalogue.problems_for(catalogue.file_of(slug))
    coverage = _empty_coverage(journey)
    result.scenarios_run[slug] = len(journey.scenarios)
    result.scenarios_failed[slug] = 0
    for index, scenario in enumerate(journey.scenarios):
        before = len(where.items)
        try:
            plan = planner.plan(
                slug,
                scenario.answers,
                event_date=scenario.event_date,
                today=scenario.today,
                lang="en",
            )
        except AnswersRefused as exc:
            for problem in exc.problems:
                where.add(
                    ("scenarios", index, "answers", problem.question),
                    f"scenario '{scenario.name}': {problem.message}",
                )
        else:
            for path, message in compare(journey, scenario, plan):
                where.add(
                    ("scenarios", index, "expect", *path), f"scenario '{scenario.name}': {message}"
                )
            _record(coverage, plan, slug)
        result.scenarios_failed[slug] += len(where.items) > before
    for kind, key in coverage.missing():
        where.add(
            _place_of(journey, kind, key),
            Coded(
                f"no scenario reaches the {kind} '{key}': add a scenario whose person gets it",
                f"{kind}_not_reached",
                key=key,
            ),
            "coverage",
        )
    result.coverage[slug] = coverage
    result.problems.extend(where.items)


def compare(journey: Journey, scenario: Scenario, plan: Plan) -> list[tuple[Path, str]]:
    """How a plan differs from what a scenario expects: (place inside `expect`, sentence)."""
    expect = scenario.expect
    steps = {step.key: step for step in plan.all_steps()}

    def find(ref: str) -> PlanStep | None:
        return steps.get("/".join(split_step_ref(ref, journey.slug)))

    out: list[tuple[Path, str]] = []
    for i, ref in enumerate(expect.steps):
        if find(ref) is None:
            out.append((("steps", i), f"expected the step '{ref}', but the plan does not have it"))
    for i, ref in enumerate(expect.not_steps):
        if find(ref) is not None:
            out.append((("not_steps", i), f"expected no step '{ref}', but the plan has it"))
    for i, ref in enumerate(expect.check):
        step = find(ref)
        if step is None or not step.check:
            state = "not in the plan" if step is None else "not marked"
            out.append(
                (
                    ("check", i),
                    f"expected '{ref}' marked 'check whether this applies', but it is {state}",
                )
            )
    for ref, day in expect.due.items():
        step = find(ref)
        if step is None:
            out.append(
                (("due", ref), f"expected '{ref}' due on {day}, but the plan does not have it")
            )
        elif step.due != day:
            actual = f"it is due on {step.due}" if step.due else "it has no due date"
            out.append((("due", ref), f"expected '{ref}' due on {day}, but {actual}"))
    for i, ref in enumerate(expect.overdue):
        step = find(ref)
        if step is None or not step.overdue:
            state = "not in the plan" if step is None else "not overdue"
            out.append((("overdue", i), f"expected '{ref}' overdue, but it is {state}"))
    offered = {chain.journey for chain in plan.chains}
    included = {chain.journey for chain in plan.included}
    for key, slugs, wanted, present, sentence in (
        ("chains", expect.chains, True, offered, "the follow-on journey '{}' to be offered"),
        ("not_chains", expect.not_chains, False, offered, "no follow-on journey '{}'"),
        ("included", expect.included, True, included, "the steps of '{}' to be included"),
        ("not_included", expect.not_included, False, included, "no steps of '{}'"),
    ):
        for i, other in enumerate(slugs):
            if (other in present) != wanted:
                outcome = "it is not" if wanted else "there are"
                out.append(((key, i), f"expected {sentence.format(other)}, but {outcome}"))
    if expect.questions is not None:
        asked = [q.id for q in plan.questions]
        if asked != expect.questions:
            out.append(
                (
                    ("questions",),
                    f"expected the questions still to ask to be "
                    f"{expect.questions}, but they are {asked}",
                )
            )
    return out


def _empty_coverage(journey: Journey) -> Coverage:
    return Coverage(
        questions={
            (e.shared if isinstance(e, SharedQuestion) else e.id): False for e in journey.questions
        },
        steps={step.id: False for step in journey.steps},
        chains={chain.journey: False for chain in journey.chains},
    )


def _record(coverage: Coverage, plan: Plan, slug: str) -> None:
    for qid in [*plan.answered, *(q.id for q in plan.questions)]:
        if qid in coverage.questions:
            coverage.questions[qid] = True
    for step in plan.all_steps():
        if step.journey == slug:
            coverage.steps[step.id] = True
    for chain in (*plan.included, *plan.chains):
        if chain.journey in coverage.chains:
            coverage.chains[chain.journey] = True


def _place_of(journey: Journey, kind: str, key: str) -> tuple[str | int, ...]:
    if kind == "step":
        return ("steps", next(i for i, s in enumerate(journey.steps) if s.id == key))
    if kind == "chain":
        return ("chains", next(i for i, c in enumerate(journey.chains) if c.journey == key))
    return (
        "questions",
        next(
            i
            for i, e in enumerate(journey.questions)
            if (e.shared if isinstance(e, SharedQuestion) else e.id) == key
        ),
    )


__all__ = ["CheckResult", "Coverage", "ProblemList", "check_directory", "check_texts"]
