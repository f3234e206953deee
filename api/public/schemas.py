"""Shapes of the public API (/v1), named by their role. Plans mirror the engine's plan
dataclasses field for field, so they are read straight from them (`from_attributes`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from api.engine.model import Lang


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Dates a person gives (an event date, "today") fall in 1900-2199: a plausible range, and one
# that keeps every deadline computed from them a real calendar date.
ISO_DATE_PATTERN = r"^(19|2[01])[0-9]{2}-[0-9]{2}-[0-9]{2}$"
_ISO_DATE = re.compile(ISO_DATE_PATTERN)


def _iso_date(value: Any) -> Any:
    # Dates are YYYY-MM-DD only: pydantic's lax mode would also take 0, 1.5 or "1700000000".
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if 1900 <= value.year <= 2199:
            return value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("expected a date as YYYY-MM-DD, from 1900 to 2199")


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": ISO_DATE_PATTERN}),
]


def json_integer(value: Any) -> Any:
    """For a BeforeValidator of an integer in a JSON body: pydantic's lax mode would also take
    false (as 0) or "1". Put it after any Field(ge=, le=) in Annotated, or the schema gets `ge`
    and `le` instead of `minimum` and `maximum`."""
    if isinstance(value, bool | str):
        raise ValueError("expected an integer")
    return value


# --- published reads ---------------------------------------------------------------------


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


class JourneySummary(BaseModel):
    slug: str
    kind: Literal["life", "business"]
    life_events: list[str]
    title: str
    summary: str
    owner: OrganisationRead
    last_reviewed: dt.date
    version: int = Field(description="The published version")


class JourneyList(BaseModel):
    lang: Lang
    fallback: bool = Field(description="Some text is missing in `lang` and shown in Finnish")
    journeys: list[JourneySummary]


class OptionRead(Read):
    id: str
    label: str


class QuestionDefinition(BaseModel):
    id: str
    type: Literal["choice", "multiple", "yes_no", "date", "number"]
    label: str
    hint: str | None
    options: list[OptionRead]
    not_sure: bool
    asked_when: dict[str, Any] | None = Field(description="The condition, as in the journey file")
    minimum: int | float | dt.date | None
    maximum: int | float | dt.date | None
    integer: bool


class StepDefinition(BaseModel):
    id: str
    kind: Literal["task", "advice", "automatic"]
    timing: Literal["before", "around", "after"]
    title: str
    body: str = Field(description="Markdown")
    organisation: OrganisationRead | None
    links: list[LinkRead]
    when: dict[str, Any] | None = Field(description="The condition, as in the journey file")
    deadline_rule: str | None
    earliest_rule: str | None
    after: list[str]
    sources: list[SourceRead]
    ptv_service: str | None


class ChainDefinition(BaseModel):
    journey: str
    mode: Literal["include", "suggest"]
    when: dict[str, Any] | None
    reason: str


class JourneyRead(BaseModel):
    slug: str
    kind: Literal["life", "business"]
    life_events: list[str]
    title: str
    summary: str
    you_will_need: str | None
    owner: OrganisationRead
    last_reviewed: dt.date
    sources: list[SourceRead]
    event_date_label: str
    questions: list[QuestionDefinition]
    steps: list[StepDefinition]
    chains: list[ChainDefinition]
    version: int
    content_hash: str
    published_at: dt.datetime
    lang: Lang
    fallback: bool


class OrganisationList(BaseModel):
    lang: Lang
    organisations: list[OrganisationRead]


class LifeEventRead(BaseModel):
    code: str
    parent: str | None
    label: str
    uri: str
    note: str | None
    journeys: list[str] = Field(description="Slugs of the journeys that cover this class")


class LifeEventList(BaseModel):
    lang: Lang
    life_events: list[LifeEventRead]


# --- plans ---------------------------------------------------------------------------------


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


class HealthRead(BaseModel):
    status: Literal["ok"]


class ReadyRead(BaseModel):
    status: Literal["ready"]
    generation: int
    journeys: int
