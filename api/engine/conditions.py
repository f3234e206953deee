"""Conditions: checked against the questions, and evaluated in four-valued logic.

A condition is FALSE, PENDING (it depends on a question not answered yet), NOT_SURE (it depends on
a "not sure" answer) or TRUE. The values are ordered so that `all` is the minimum and `any` the
maximum of its parts: `all` of TRUE and NOT_SURE is NOT_SURE, `any` of FALSE and PENDING is PENDING.
A step applies when its condition is TRUE, and stays in the plan marked "check whether this
applies to you" when it is NOT_SURE.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

from api.engine.answers import Answer
from api.engine.model import (
    DATE_COMPARISONS,
    EVENT_DATE,
    NOT_SURE,
    NUMBER_COMPARISONS,
    Condition,
    Question,
    QuestionType,
)
from api.engine.problems import Coded

FALSE, PENDING, UNSURE, TRUE = 0, 1, 2, 3
State = int


class Context(Protocol):
    answers: Mapping[str, Answer]

    def asked(self, question: str) -> State: ...


Evaluator = Callable[[Context], State]

_MISSING = object()
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "less_than": operator.lt,
    "at_most": operator.le,
    "more_than": operator.gt,
    "at_least": operator.ge,
    "before": operator.lt,
    "on_or_before": operator.le,
    "after": operator.gt,
    "on_or_after": operator.ge,
}


def compile_condition(condition: Condition | None) -> Evaluator:
    """A fast evaluator for a checked condition; None means "always"."""
    if condition is None:
        return _always
    if condition.all is not None:
        parts = tuple(compile_condition(c) for c in condition.all)
        return lambda ctx: min(part(ctx) for part in parts)
    if condition.any is not None:
        parts = tuple(compile_condition(c) for c in condition.any)
        return lambda ctx: max(part(ctx) for part in parts)
    if condition.not_ is not None:
        inner = compile_condition(condition.not_)
        return lambda ctx: _NEGATE[inner(ctx)]
    return _compile_leaf(condition)


_NEGATE = (TRUE, PENDING, UNSURE, FALSE)


def _always(_: Context) -> State:
    return TRUE


def _compile_leaf(condition: Condition) -> Evaluator:
    qid = condition.question
    assert qid is not None
    test = _leaf_test(condition)

    def leaf(ctx: Context) -> State:
        asked = ctx.asked(qid)
        if asked == FALSE:
            return FALSE  # the question does not apply to this person, so neither does this
        answer = ctx.answers.get(qid, _MISSING)
        if answer is _MISSING or asked == PENDING:
            # The event date is not a question to wait for: without it, a step that depends on
            # it stays in the plan, marked "check whether this applies to you".
            return UNSURE if qid == EVENT_DATE else PENDING
        if answer == NOT_SURE:
            return UNSURE
        return TRUE if test(answer) else FALSE

    return leaf


def _leaf_test(condition: Condition) -> Callable[[Any], bool]:
    name = condition.comparison
    value = getattr(condition, name)
    if name == "equals":
        return lambda answer: bool(answer == value)
    if name == "one_of":
        options = frozenset(value)
        return lambda answer: (
            bool(options.intersection(answer)) if isinstance(answer, tuple) else answer in options
        )
    if name == "includes":
        return lambda answer: isinstance(answer, tuple) and value in answer
    if name == "answered":
        return lambda answer: True
    compare = _COMPARE[name]
    return lambda answer: bool(compare(answer, value))


def questions_in(condition: Condition | None) -> Iterator[tuple[tuple[str | int, ...], Condition]]:
    """Every question comparison in a condition, with its path inside the condition."""
    if condition is None:
        return
    if condition.all is not None or condition.any is not None:
        key = "all" if condition.all is not None else "any"
        for index, part in enumerate(condition.all or condition.any or []):
            for path, leaf in questions_in(part):
                yield (key, index, *path), leaf
    elif condition.not_ is not None:
        for path, leaf in questions_in(condition.not_):
            yield ("not", *path), leaf
    else:
        yield (), condition


UNKNOWN_IN_JOURNEY = (
    "it is not asked in this journey; define it in questions or add '- shared: <id>' for a "
    "shared question"
)


def check_condition(
    condition: Condition | None,
    questions: Mapping[str, Question],
    unknown: str = UNKNOWN_IN_JOURNEY,
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Problems in a condition, as (path inside the condition, message): unknown questions
    (explained by `unknown`), options that do not exist and comparisons of the wrong type."""
    for path, leaf in questions_in(condition):
        qid = leaf.question
        assert qid is not None
        question = questions.get(qid)
        if question is None:
            text = f"unknown question '{qid}': {unknown}"
            coded = unknown == UNKNOWN_IN_JOURNEY
            yield (
                (*path, "question"),
                Coded(text, "unknown_question", question=qid) if coded else text,
            )
            continue
        name = leaf.comparison
        yield from (
            ((*path, name), message) for message in _check_leaf(question, name, getattr(leaf, name))
        )
    yield from _contradictions(condition, questions)


def _check_leaf(question: Question, name: str, value: Any) -> Iterator[str]:
    kind = question.type
    options = ["yes", "no"] if kind is QuestionType.yes_no else [o.id for o in question.options]
    label = f"'{question.id}' is a {kind.value} question"
    about = {"question": question.id, "type": kind.value}
    if name == "answered":
        return
    if name in ("equals", "one_of"):
        if kind is QuestionType.multiple and name == "equals":
            yield Coded(
                f"{label}: use 'includes' (one option) or 'one_of' (any of several)",
                "condition_use_includes",
                **about,
            )
            return
        if kind in (QuestionType.choice, QuestionType.yes_no, QuestionType.multiple):
            for option in value if name == "one_of" else [value]:
                if isinstance(option, bool):
                    yield Coded(
                        f"{label}: write the answer as 'yes' or 'no', not {str(option).lower()}",
                        "condition_yes_or_no",
                        value=str(option).lower(),
                        **about,
                    )
                elif option not in options:
                    yield _not_an_option(option, question.id, options)
        elif name == "one_of":
            yield Coded(
                f"{label}: 'one_of' is for choice questions; compare numbers or dates instead",
                "condition_one_of_for_choices",
                **about,
            )
        elif kind is QuestionType.number and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            yield Coded(f"{label}: compare it with a number", "condition_number", **about)
        elif kind is QuestionType.date and not isinstance(value, dt.date):
            yield Coded(f"{label}: compare it with a date (YYYY-MM-DD)", "condition_date", **about)
        return
    if name == "includes":
        if kind is not QuestionType.multiple:
            yield Coded(
                f"{label}: 'includes' is for multiple-choice questions; use 'equals'",
                "condition_includes_for_multiple",
                **about,
            )
        elif value not in options:
            yield _not_an_option(value, question.id, options)
        return
    if name in NUMBER_COMPARISONS and kind is not QuestionType.number:
        instead = "date" if kind is QuestionType.date else "choice"
        yield Coded(
            f"{label}: '{name}' compares numbers; "
            + (
                "use before, on_or_before, after or on_or_after"
                if instead == "date"
                else "use equals or one_of"
            ),
            f"condition_compares_numbers_{instead}",
            comparison=name,
            **about,
        )
    if name in DATE_COMPARISONS and kind is not QuestionType.date:
        instead = "number" if kind is QuestionType.number else "choice"
        yield Coded(
            f"{label}: '{name}' compares dates; "
            + (
                "use less_than, at_most, more_than or at_least"
                if instead == "number"
                else "use equals or one_of"
            ),
            f"condition_compares_dates_{instead}",
            comparison=name,
            **about,
        )


def _not_an_option(value: Any, qid: str, options: list[str]) -> Coded:
    listed = ", ".join(options)
    return Coded(
        f"'{value}' is not an option of '{qid}'; the options are: {listed}",
        "condition_not_an_option",
        value=value,
        question=qid,
        options=listed,
    )


def _contradictions(
    condition: Condition | None, questions: Mapping[str, Question]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """An `all` that needs one single-answer question to be two different answers can never hold."""
    if condition is None:
        return
    if condition.all is not None:
        wanted: dict[str, set[Any]] = {}
        for part in condition.all:
            qid = part.question
            question = questions.get(qid or "")
            if (
                question is None
                or question.type is QuestionType.multiple
                or part.comparison not in ("equals", "one_of")
            ):
                continue
            values = set(part.one_of) if part.one_of is not None else {part.equals}
            narrowed = wanted[question.id] & values if question.id in wanted else values
            if not narrowed:
                yield (
                    ("all",),
                    Coded(
                        f"this can never apply: it needs '{question.id}' to be two "
                        "different answers at once",
                        "condition_never",
                        question=question.id,
                    ),
                )
            wanted[question.id] = narrowed
    for key, parts in (("all", condition.all), ("any", condition.any)):
        for index, part in enumerate(parts or []):
            for path, message in _contradictions(part, questions):
                yield (key, index, *path), message
    if condition.not_ is not None:
        for path, message in _contradictions(condition.not_, questions):
            yield ("not", *path), message


Explainer = Callable[[Context], tuple[State, tuple[str, ...]]]


def compile_explainer(condition: Condition | None) -> Explainer:
    """For reasons: a function giving a condition's value and the answered questions that made
    it come out so, in order: every part of an `all`, only the deciding parts of an `any`. A
    step resting on an event date not given yet names the event date too. Planning calls this
    for every step, so it avoids building anything it does not need."""
    if condition is None:
        return _nothing_to_explain
    if condition.all is not None or condition.any is not None:
        is_all = condition.all is not None
        parts = tuple(compile_explainer(c) for c in (condition.all or condition.any or []))

        def group(ctx: Context) -> tuple[State, tuple[str, ...]]:
            results = [part(ctx) for part in parts]
            state = (min if is_all else max)(result for result, _ in results)
            qids: tuple[str, ...] = ()
            for result, named in results:
                if named and (is_all or result == state):
                    qids += tuple(q for q in named if q not in qids)
            return state, qids

        return group
    if condition.not_ is not None:
        inner = compile_explainer(condition.not_)

        def negated(ctx: Context) -> tuple[State, tuple[str, ...]]:
            state, qids = inner(ctx)
            return _NEGATE[state], qids

        return negated
    qid = condition.question
    assert qid is not None
    test = _leaf_test(condition)
    named = (qid,)

    def explained(ctx: Context) -> tuple[State, tuple[str, ...]]:
        # The leaf of compile_condition, inlined: this runs for every step of every plan.
        asked = ctx.asked(qid)
        if asked == FALSE:
            return FALSE, ()
        answer = ctx.answers.get(qid, _MISSING)
        if answer is _MISSING or asked == PENDING:
            return (UNSURE, named) if qid == EVENT_DATE else (PENDING, ())
        if answer == NOT_SURE:
            return UNSURE, named
        return (TRUE if test(answer) else FALSE), named

    return explained


def _nothing_to_explain(_: Context) -> tuple[State, tuple[str, ...]]:
    return TRUE, ()


def telling_answers(question: Question, leaves: Iterable[Condition]) -> tuple[Answer, ...]:
    """Answers to `question` that between them give every outcome the comparisons `leaves` (on
    this question) can have: each option, each side of each number or date compared with, and
    "not sure" where offered. Without any comparison, one valid answer stands for all. The
    pages offer no "not sure" on a multiple-choice question, so neither is it given here."""
    compared = [leaf for leaf in leaves if leaf.question == question.id]
    answers: list[Answer] = []
    match question.type:
        case QuestionType.choice | QuestionType.yes_no:
            ids = ["yes", "no"] if question.type is QuestionType.yes_no else []
            answers += ids or [o.id for o in question.options]
        case QuestionType.multiple:
            ids = [o.id for o in question.options]
            named = {leaf.includes for leaf in compared} | {
                o for leaf in compared for o in leaf.one_of or ()
            }
            # Only the options compared with matter, and whether another is chosen besides.
            other = [i for i in ids if i not in named][:1]
            kept = [i for i in ids if i in named or i in other]
            answers += [
                tuple(i for n, i in enumerate(kept) if mask & (1 << n))
                for mask in range(1, 2 ** len(kept))
            ]
        case QuestionType.date | QuestionType.number:
            answers += _sides(question, [getattr(leaf, leaf.comparison) for leaf in compared])
    if question.not_sure and question.type is not QuestionType.multiple:
        answers.append(NOT_SURE)
    return tuple(answers) if compared else tuple(answers[:1])


def _sides(question: Question, values: list[Any]) -> list[Answer]:
    """A valid answer on, just below and just above every value compared with (and between
    any two), within the question's minimum and maximum."""
    low, high = question.minimum, question.maximum
    points: list[Any]
    step: Any = 1
    if question.type is QuestionType.date:
        step = dt.timedelta(days=1)
        points = [v for v in values if isinstance(v, dt.date)]
        default: Any = low or high or dt.date(2000, 1, 1)
    else:
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        default = low if low is not None else high if high is not None else 0
        if question.integer:
            points = [p for v in numbers for p in (math.floor(v), math.ceil(v))]
        else:
            ordered = sorted(set(numbers))
            points = [*ordered, *((a + b) / 2 for a, b in itertools.pairwise(ordered))]
    near = {p + d for p in points for d in (-step, 0 * step, step)} | {default}
    return sorted(v for v in near if (low is None or v >= low) and (high is None or v <= high))
