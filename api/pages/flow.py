"""The question flow of the pages, kept in the URL: answers by question id in the query string,
so back, bookmarks and sharing work. The journey's questions come first, then the event date
(`event_date=YYYY-MM-DD`, or `event_date=unknown` for "I don't know yet"). Pure functions over
the planner; no HTML here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from api.clock import today_in_finland
from api.engine import answers as engine_answers
from api.engine.model import EVENT_DATE, Journey, QuestionType
from api.engine.plan import Plan, QuestionView
from api.engine.planner import EARLIEST_DATE, LATEST_DATE, Planner
from api.engine.texts import TextLookup

# Query parameters of the pages that are not answers.
CONTROL = frozenset({"change", "asked", "today", "lang", "all", "feedback", EVENT_DATE})
DATE_PARTS = ("day", "month", "year")
# The event date's answer "I don't know yet": the plan comes without dates, and the date can
# be given on it later.
UNKNOWN_DATE = "unknown"


@dataclass
class Flow:
    """Where a person is in a journey, from the URL."""

    answers: dict[str, Any]  # valid answers, as the engine takes them
    plan: Plan
    errors: dict[str, str] = field(default_factory=dict)  # question id -> error code
    dropped: bool = False  # something in the URL was not understood and was left out
    event_date: dt.date | None = None
    date_given: bool = False  # the event date was answered: a date, or "I don't know yet"
    # What was typed for a question in error, to show it again: text, or date parts by name.
    typed: dict[str, str | dict[str, str]] = field(default_factory=dict)

    @property
    def event_date_error(self) -> bool:
        return EVENT_DATE in self.errors

    @property
    def pending(self) -> list[str]:
        """The questions still to ask, next first: the journey's, then the event date."""
        return [q.id for q in self.plan.questions] + ([] if self.date_given else [EVENT_DATE])

    def has_answer(self, qid: str) -> bool:
        return self.date_given if qid == EVENT_DATE else qid in self.answers

    def query(self, **extra: str) -> str:
        """The canonical query string of the answers that apply (and `extra`)."""
        return _urlencode([*self._items(), *extra.items()])

    def pairs(self) -> list[tuple[str, str]]:
        """`query()` as (name, value) pairs, as parse_qsl reads it back (no empty values)."""
        return [(name, value) for name, value in self._items() if value]

    def _items(self) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        for qid in self.plan.answered:
            value = self.answers[qid]
            values = value if isinstance(value, list) else [value]
            items += [(qid, str(v)) for v in values]
        if self.event_date is not None:
            items.append((EVENT_DATE, self.event_date.isoformat()))
        elif self.date_given:
            items.append((EVENT_DATE, UNKNOWN_DATE))
        return items


# What urlencode's quote_plus gives back unchanged: most answers are option ids and dates.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def _urlencode(pairs: list[tuple[str, str]]) -> str:
    """`urlencode(pairs)`, without quoting what needs none (the plan page's addresses)."""
    unquoted = _UNQUOTED.fullmatch
    return "&".join(
        f"{name if unquoted(name) else quote_plus(name)}="
        f"{value if unquoted(value) else quote_plus(value)}"
        for name, value in pairs
    )


def read(planner: Planner, slug: str, items: list[tuple[str, str]], lang: str) -> Flow:
    """The answers in a URL: fold date fields together, drop what is not valid (remembering
    why, and what was typed, by question), and plan with the rest."""
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
    typed: dict[str, str | dict[str, str]] = {
        qid: given[-1] for qid, given in values.items() if given
    }
    for name, given in parts.items():
        folded = fold_date(given)
        if folded is not None:
            values[name] = [folded]  # a date typed in wins over "I don't know yet" ticked
            typed[name] = given
        elif any(given.values()):
            errors[name] = "date"
            typed[name] = given
    event_date, date_given = None, False
    given_date = values.pop(EVENT_DATE, [])
    if given_date and EVENT_DATE not in errors:
        if given_date[-1] == UNKNOWN_DATE:
            date_given = True
        else:
            event_date = _as_date(given_date[-1])
            date_given = event_date is not None
            if event_date is None:
                errors[EVENT_DATE] = "date"
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
                    errors[EVENT_DATE] = problem.code
                    if not isinstance(typed.get(EVENT_DATE), dict):
                        typed[EVENT_DATE] = date_parts(event_date)
                    event_date, date_given, dropped_any = None, False, True
                elif problem.question in answers:
                    del answers[problem.question]
                    errors.setdefault(problem.question, problem.code)
                    dropped_any = True
            if not dropped_any:
                raise
    kept = {qid: typed[qid] for qid in errors if qid in typed}
    return Flow(answers, plan, errors, dropped, event_date, date_given, kept)


def event_date_view(journey: Journey, lang: str) -> QuestionView:
    """The event date as the flow asks it, in the journey's own words."""
    texts = TextLookup(lang)
    dates = journey.event_date
    return QuestionView(
        id=EVENT_DATE,
        type=QuestionType.date.value,
        label=texts.get(dates.question or dates.label),
        hint=texts.get(dates.hint) if dates.hint else None,
        options=(),
        not_sure=False,
        minimum=EARLIEST_DATE,
        maximum=LATEST_DATE,
        integer=True,
        journey=journey.slug,
    )


def date_parts(value: dt.date | str) -> dict[str, str]:
    """A date, or one as written in an address (YYYY-MM-DD, real or not), as the day, month
    and year boxes show it."""
    day = _as_date(value) if isinstance(value, str) else value
    if day is not None:
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    year, month, rest = [*str(value).split("-", 2), "", ""][:3]
    return {"day": rest, "month": month, "year": year}


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
