"""What a plan is: the questions still to ask and the ordered, explained, dated steps, each in
one language. Plain dataclasses, built by the planner (`api.engine.planner`) and read by whoever
shows a plan; the API serialises them field for field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.engine.glossary import TermUse


@dataclass(frozen=True, slots=True)
class OptionView:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: str
    type: str
    label: str
    hint: str | None
    options: tuple[OptionView, ...]
    not_sure: bool
    minimum: Any
    maximum: Any
    integer: bool
    journey: str


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class LinkView:
    label: str
    url: str
    lang: str  # the language the linked page is in; differs from the plan's when none exists
    e_service: bool


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str
    title: str
    url: str
    law: bool


# Not frozen: a plan builds hundreds of these, and frozen dataclasses set each field through
# object.__setattr__, which made this the costliest line of planning.
@dataclass(slots=True)
class PlanStep:
    key: str  # journey/step-id: unique in a plan
    id: str
    journey: str
    kind: str
    timing: str
    title: str
    body: str  # markdown, to be rendered and sanitised by whoever shows it
    terms: tuple[TermUse, ...]  # the first use of each glossary term in the body
    organisation: OrganisationView | None
    links: tuple[LinkView, ...]
    sources: tuple[SourceView, ...]
    deadline_rule: str | None  # the rule in words, e.g. "within 1 week after the moving day"
    earliest_rule: str | None
    due: dt.date | None
    opens: dt.date | None
    overdue: bool
    check: bool  # depends on a "not sure" answer: "check whether this applies to you"
    reasons: tuple[str, ...]
    ptv_service: str | None


@dataclass(frozen=True, slots=True)
class ChainView:
    journey: str
    title: str
    reasons: tuple[str, ...]
    check: bool
    answers: Mapping[str, Any]  # the answers that carry over into the follow-on journey


@dataclass(frozen=True, slots=True)
class Plan:
    journey: str
    lang: str
    event_date: dt.date | None
    today: dt.date | None
    questions: tuple[QuestionView, ...]  # still to ask, next first
    answered: tuple[str, ...]  # the questions answered that apply, in asking order
    steps: tuple[PlanStep, ...]  # things to do and advice, in order
    automatic: tuple[PlanStep, ...]  # what happens without the person doing anything
    included: tuple[ChainView, ...]  # journeys whose steps are part of this plan
    chains: tuple[ChainView, ...]  # follow-on journeys suggested
    fallback: bool  # some text was not available in `lang` and is shown in Finnish

    @property
    def complete(self) -> bool:
        return not self.questions

    def all_steps(self) -> tuple[PlanStep, ...]:
        return self.steps + self.automatic
