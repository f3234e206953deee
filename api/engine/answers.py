"""A person's answers: checked against the questions, normalised, and read from query strings."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.engine.model import NOT_SURE, Question, QuestionType

# A normalised answer: an option id (choice, yes_no), a tuple of option ids (multiple), a date,
# a number, or NOT_SURE.
Answer = str | tuple[str, ...] | dt.date | int | float
MAX_TEXT = 200  # no valid answer is longer; longer input is refused before any parsing
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class AnswerProblem:
    """One invalid answer, by question id."""

    question: str
    # unknown_question, unknown_option, wrong_type, out_of_range, not_sure_not_offered, too_long
    code: str
    message: str


class AnswersRefused(ValueError):
    """Every problem with a set of answers, not just the first. The engine's own: the API
    answers it with `api.errors.InvalidAnswers` (422)."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__("; ".join(f"{p.question}: {p.message}" for p in problems))
        self.problems = problems


def check_answers(
    questions: Mapping[str, Question], answers: Mapping[str, Any]
) -> dict[str, Answer]:
    """Normalised answers, or AnswersRefused listing every answer that is wrong and why."""
    problems: list[AnswerProblem] = []
    out: dict[str, Answer] = {}
    for qid, value in answers.items():
        question = questions.get(qid)
        if question is None:
            problems.append(
                AnswerProblem(
                    str(qid)[:MAX_TEXT],
                    "unknown_question",
                    "there is no such question in this journey",
                )
            )
            continue
        try:
            out[qid] = normalise(question, value)
        except _Bad as bad:
            problems.append(AnswerProblem(qid, bad.code, bad.message))
    if problems:
        raise AnswersRefused(problems)
    return out


class _Bad(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise(question: Question, value: Any) -> Answer:
    """One answer in its normal form; raises _Bad with the reason it is not valid."""
    texts = value if isinstance(value, list | tuple) else [value]
    if len(texts) > 100 or any(isinstance(t, str) and len(t) > MAX_TEXT for t in texts):
        raise _Bad(
            "too_long", f"the answer is longer than any valid answer ({MAX_TEXT} characters)"
        )
    if value == NOT_SURE and isinstance(value, str):
        if not question.not_sure:
            raise _Bad("not_sure_not_offered", "this question does not offer 'not sure'")
        return NOT_SURE
    match question.type:
        case QuestionType.choice | QuestionType.yes_no:
            if not isinstance(value, str):
                raise _Bad("wrong_type", f"expected one of: {', '.join(_option_ids(question))}")
            _check_option(question, value)
            return value
        case QuestionType.multiple:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise _Bad("wrong_type", "expected a list of option ids")
            for option in value:
                _check_option(question, option)
            return tuple(sorted(set(value), key=_option_ids(question).index))
        case QuestionType.date:
            day = _as_date(value)
            if isinstance(question.minimum, dt.date) and day < question.minimum:
                raise _Bad("out_of_range", f"the date must be on or after {question.minimum}")
            if isinstance(question.maximum, dt.date) and day > question.maximum:
                raise _Bad("out_of_range", f"the date must be on or before {question.maximum}")
            return day
        case _:
            number = _as_number(value, integer=question.integer)
            if isinstance(question.minimum, int | float) and number < question.minimum:
                raise _Bad("out_of_range", f"the number must be at least {question.minimum}")
            if isinstance(question.maximum, int | float) and number > question.maximum:
                raise _Bad("out_of_range", f"the number must be at most {question.maximum}")
            return number


def _option_ids(question: Question) -> list[str]:
    if question.type is QuestionType.yes_no:
        return ["yes", "no"]
    return [option.id for option in question.options]


def _check_option(question: Question, value: str) -> None:
    ids = _option_ids(question)
    if value not in ids:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise _Bad(
            "unknown_option", f"'{shown}' is not an option; expected one of: {', '.join(ids)}"
        )


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Bad("wrong_type", "expected a date as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _Bad("wrong_type", f"'{value}' is not a real date (YYYY-MM-DD)") from None
    raise _Bad("wrong_type", "expected a date as YYYY-MM-DD")


def _as_number(value: Any, *, integer: bool) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad("wrong_type", "expected a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Bad("wrong_type", "expected a finite number")
        if integer:
            if not value.is_integer():
                raise _Bad("wrong_type", "expected a whole number")
            return int(value)
    return value


def from_text(question: Question, values: list[str]) -> Any:
    """A raw answer as it arrives in a URL query string (`?moving_to=abroad&children=yes`), turned
    into the JSON shape `check_answers` takes. Anything unparseable is passed on as text so that
    `check_answers` reports it with the usual message."""
    if values == [NOT_SURE]:
        return NOT_SURE
    if question.type is QuestionType.multiple:
        return [v for value in values for v in value.split(",") if v]
    value = values[-1] if values else ""
    if question.type is QuestionType.number:
        # Only what a JSON body may send as a plain decimal: float() would also take Unicode
        # digits, underscores, spaces, a plus sign, exponents, nan and inf.
        if not _DECIMAL.fullmatch(value):
            return value
        try:
            return float(value) if "." in value else int(value)
        except ValueError:  # more digits than int() converts: too big for any question anyway
            return value
    return value
