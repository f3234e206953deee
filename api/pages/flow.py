"""The question flow of the pages, kept in the URL: answers by question id in the query string,
so back, bookmarks and sharing work. Pure functions over the planner; no HTML here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from api.clock import today_in_finland
from api.engine import answers as engine_answers
from api.engine.model import EVENT_DATE, QuestionType
from api.engine.plan import Plan
from api.engine.planner import Planner

# Query parameters of the pages that are not answers.
CONTROL = frozenset({"change", "asked", "today", "lang", "all", EVENT_DATE})
DATE_PARTS = ("day", "month", "year")


@dataclass
class Flow:
    """Where a person is in a journey, from the URL."""

    answers: dict[str, Any]  # valid answers, as the engine takes them
    plan: Plan
    errors: dict[str, str] = field(default_factory=dict)  # question id -> error code
    dropped: bool = False  # something in the URL was not understood and was left out
    event_date: dt.date | None = None
    event_date_error: bool = False

    def query(self, **extra: str) -> str:
        """The canonical query string of the answers that apply (and `extra`)."""
        items: list[tuple[str, str]] = []
        for qid in self.plan.answered:
            value = self.answers[qid]
            values = value if isinstance(value, list) else [value]
            items += [(qid, str(v)) for v in values]
        if self.event_date is not None:
            items.append((EVENT_DATE, self.event_date.isoformat()))
        items += list(extra.items())
        return urlencode(items)


def read(planner: Planner, slug: str, items: list[tuple[str, str]], lang: str) -> Flow:
    """The answers in a URL: fold date fields together, drop what is not valid (remembering
    why, by question), and plan with the rest."""
    universe = planner.universe(slug)
    values: dict[str, list[str]] = {}
    parts: dict[str, dict[str, str]] = {}
    for key, value in items:
        name, _, part = key.partition(".")
        if part in DATE_PARTS:
            parts.setdefault(name, {})[part] = value.strip()
        elif key not in CONTROL or key == EVENT_DATE:
            values.setdefault(key, []).append(value)
    errors: dict[str, str] = {}
    for name, given in parts.items():
        folded = fold_date(given)
        if folded is not None:
            values[name] = [folded]
        elif any(given.values()):
            errors[name] = "date"
    event_date = None
    event_error = EVENT_DATE in errors
    if EVENT_DATE in values:
        event_date = _as_date(values.pop(EVENT_DATE)[-1])
        event_error = event_date is None
    dropped = False
    answers: dict[str, Any] = {}
    for qid, raw_values in values.items():
        question = universe.get(qid)
        if question is None:
            dropped = True
            continue
        value = engine_answers.from_text(question, [v for v in raw_values if v != ""])
        if value in ("", []):
            continue
        answers[qid] = value
    # Invalid answers are dropped (remembering why) and the plan made with the rest. The engine
    # lists every problem at once, so one more pass plans; should it ever refuse something new,
    # each pass still drops at least one thing, so this ends.
    while True:
        try:
            plan = planner.plan(
                slug, answers, event_date=event_date, today=today_in_finland(), lang=lang
            )
            break
        except engine_answers.AnswersRefused as exc:
            dropped_any = False
            for problem in exc.problems:
                if problem.question == EVENT_DATE and event_date is not None:
                    event_date, event_error, dropped_any = None, True, True
                elif problem.question in answers:
                    del answers[problem.question]
                    errors.setdefault(problem.question, problem.code)
                    dropped_any = True
            if not dropped_any:
                raise
    errors.pop(EVENT_DATE, None)
    return Flow(answers, plan, errors, dropped, event_date, event_error)


def fold_date(parts: dict[str, str]) -> str | None:
    try:
        day = dt.date(
            int(parts.get("year", "")), int(parts.get("month", "")), int(parts.get("day", ""))
        )
    except ValueError:
        return None
    return day.isoformat()


def _as_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def is_choice(kind: str) -> bool:
    return kind in (QuestionType.choice.value, QuestionType.yes_no.value)
