"""Shapes of a plan in the API, named by their role. They mirror the engine's plan dataclasses
(`api.engine.plan`) field for field, so they are read straight from them (`from_attributes`);
the organisations, sources, links and options in them are shown the same way everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.engine.model import Lang
from api.schemas import IsoDate, Read


class OrganisationRead(Read):
    id: str
    name: str
    url: str


class SourceRead(Read):
    id: str
    title: str
    url: str
    law: bool


class LinkRead(Read):
    label: str
    url: str
    lang: str = Field(description="The language the linked page is in")
    e_service: bool


class TermUseRead(Read):
    """The first use of a glossary term in a step's body, so a portal can link it as the
    pages do (GET /v1/glossary has the explanations)."""

    id: str = Field(description="The term's id in the glossary", examples=["estate-inventory"])
    text: str = Field(description="The words as written in the body", examples=["perunkirjoitus"])
    start: int = Field(
        description="Where they start in the body's Markdown, in Unicode code points"
    )
    end: int = Field(description="Where they end (exclusive)")


class OptionRead(Read):
    id: str
    label: str


# A complete answer set for the bundled moving journey: the contract's example, and the one
# schemathesis starts from (tests/api/test_schemathesis.py).
MOVING_ANSWERS: dict[str, Any] = {
    "moving_to": "other_municipality",
    "children": "yes",
    "moving_children_ages": ["under_school_age", "school_age"],
    "moving_housing_allowance": "no",
}


class PlanRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"answers": MOVING_ANSWERS, "event_date": "2027-06-18", "lang": "en"}]
        },
    )

    answers: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            'Answers by question id: an option id (choice, yes/no as "yes"/"no"), a list of '
            'option ids (multiple), YYYY-MM-DD (date), a number, or "not_sure"'
        ),
        max_length=200,
    )
    event_date: IsoDate | None = Field(None, description="The day of the event")
    today: IsoDate | None = Field(None, description="Defaults to today in Finland")
    lang: Lang | None = Field(None, description="Overrides Accept-Language")


class QuestionView(Read):
    id: str
    type: Literal["choice", "multiple", "yes_no", "date", "number"]
    label: str
    hint: str | None
    options: list[OptionRead]
    not_sure: bool
    minimum: int | float | dt.date | None
    maximum: int | float | dt.date | None
    integer: bool
    journey: str


class PlanStepRead(Read):
    key: str = Field(description="journey/step-id, unique in a plan")
    id: str
    journey: str
    kind: Literal["task", "advice", "automatic"]
    timing: Literal["before", "around", "after"]
    title: str
    body: str = Field(description="Markdown")
    terms: list[TermUseRead] = Field(
        description="The first use of each glossary term in the body, in order; none inside links"
    )
    organisation: OrganisationRead | None
    links: list[LinkRead]
    sources: list[SourceRead]
    deadline_rule: str | None = Field(description="The deadline in words")
    earliest_rule: str | None
    due: dt.date | None = Field(description="The last day, moved off weekends and holidays")
    opens: dt.date | None = Field(description="The first day it can be done")
    overdue: bool
    check: bool = Field(description="Rests on a 'not sure' answer: check whether it applies")
    reasons: list[str]
    ptv_service: str | None


class ChainRead(Read):
    journey: str
    title: str
    reasons: list[str]
    check: bool
    answers: dict[str, Any] = Field(description="Answers that carry over into that journey")


class PlanRead(Read):
    journey: str
    version: int = 0
    lang: Lang
    fallback: bool
    event_date: dt.date | None
    today: dt.date | None
    complete: bool = Field(description="No questions are left to ask")
    questions: list[QuestionView] = Field(description="Still to ask, next first")
    answered: list[str] = Field(description="Questions answered that apply, in order")
    steps: list[PlanStepRead] = Field(description="Things to do and advice, in order")
    automatic: list[PlanStepRead] = Field(description="What happens without you doing anything")
    included: list[ChainRead] = Field(description="Journeys whose steps are part of this plan")
    chains: list[ChainRead] = Field(description="Follow-on journeys you may also need")
