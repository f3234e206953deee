"""Shapes of the published reads under /v1: journeys, organisations and life events."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.engine.model import Lang
from api.plans.schemas import LinkRead, OptionRead, OrganisationRead, SourceRead


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


class TermSourceRead(BaseModel):
    title: str
    url: str


class TermRead(BaseModel):
    id: str = Field(description="The term's id, also its anchor on the glossary pages")
    term: str
    forms: list[str] = Field(description="The forms recognised in step texts, the term first")
    explanation: str = Field(description="Plain text")
    source: TermSourceRead = Field(description="The official page the explanation rests on")


class GlossaryList(BaseModel):
    lang: Lang
    fallback: bool = Field(description="Some text was not available in `lang`: shown in Finnish")
    terms: list[TermRead] = Field(description="In alphabetical order of the term")
