"""Shapes of the editors' API (/v1/editor)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from typing_extensions import TypeAliasType

from api.engine.model import SLUG_PATTERN
from api.errors import ContentPlaceRead
from api.schemas import json_integer

# The language a translation is in (Finnish is the source): one named schema, as `Lang` is.
TranslationLang = TypeAliasType(
    "TranslationLang",
    Annotated[
        Literal["sv", "en"],
        Field(description="A translation's language: Swedish or English", examples=["sv"]),
    ],
)

Position = Annotated[int, Field(ge=0, le=1000), BeforeValidator(json_integer)]
VersionNumber = Annotated[int, Field(ge=1, le=1_000_000), BeforeValidator(json_integer)]
Note = Field(min_length=1, max_length=2000, description="What changed and why, for the history")

EXAMPLE_STEP: dict[str, Any] = {
    "id": "check-post-forwarding",
    "kind": "advice",
    "title": {
        "fi": "Tarkista postin jälkilähetys",
        "sv": "Kontrollera eftersändningen av post",
        "en": "Check your mail forwarding",
    },
    "body": {
        "fi": "Posti tekee jälkilähetyksen muuttoilmoituksen perusteella.",
        "sv": "Posti eftersänder din post utifrån flyttanmälan.",
        "en": "Posti forwards your mail based on your notification of move.",
    },
    "timing": "after",
}
EXAMPLE_QUESTION: dict[str, Any] = {
    "id": "moving_has_storage",
    "type": "yes_no",
    "label": {
        "fi": "Onko sinulla varasto?",
        "sv": "Har du ett förråd?",
        "en": "Do you have a storage unit?",
    },
}


class DraftCreate(BaseModel):
    """Start a draft: from the published version (leave `content` out), or with new content
    (a new journey, or a fresh start for a published one)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"slug": "moving"}]})

    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)
    content: dict[str, Any] | None = Field(
        None, description="A whole journey document, as in the journey files (JSON)"
    )


class DraftSummary(BaseModel):
    slug: str
    revision: int
    based_on_version: int | None = Field(description="The published version it started from")
    published_version: int | None = Field(description="The version published now")
    problems: int = Field(description="How many problems the check finds in it")
    updated_at: dt.datetime
    updated_by: str = Field(description="The name of the token that last changed it")


class DraftList(BaseModel):
    drafts: list[DraftSummary]


class DraftRead(DraftSummary):
    etag: str = Field(description="Send it as If-Match with the next change")
    ready_to_publish: bool = Field(description="No problems: it validates, every scenario passes")
    problem_list: list[ContentPlaceRead] = Field(
        description="Every problem found: errors, missing texts, scenarios failing, coverage"
    )
    content: dict[str, Any] = Field(description="The journey document (journey file format)")


class ItemCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"item": EXAMPLE_STEP, "position": 0}]}
    )

    item: dict[str, Any] = Field(
        description="A step, or a question (own, or {shared: id}), as in the journey files"
    )
    position: Position | None = Field(None, description="Where; the end if left out")


class ItemUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"item": EXAMPLE_STEP}]}
    )

    item: dict[str, Any] = Field(description="The whole new step or question")


class OrderUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"order": ["notify-dvv", "check-post-forwarding"]}]},
    )

    order: list[str] = Field(max_length=1000, description="Every id, once, in the new order")


class TextsUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"texts": {"/title": "Moving house"}}]},
    )

    texts: dict[str, str | None] = Field(
        max_length=500,
        description="JSON pointer of a text (e.g. /steps/0/title) -> the text in this language; "
        "null removes a Swedish or English text",
    )


class ScenarioResult(BaseModel):
    name: str
    passed: bool
    differences: list[str] = Field(description="How the plan differs from what it expects")


class ScenariosRead(BaseModel):
    run: bool = Field(description="False when problems keep the draft from being planned")
    scenarios: list[ScenarioResult]


class ItemChanges(BaseModel):
    added: list[str]
    removed: list[str]
    changed: list[str]
    reordered: bool


class TextChanges(BaseModel):
    added: list[str] = Field(description="Places of texts new in this language")
    removed: list[str]
    changed: list[str]


class DiffRead(BaseModel):
    steps: ItemChanges
    questions: ItemChanges
    fields: list[str] = Field(description="Other top-level fields that changed")
    texts: dict[str, TextChanges] = Field(description="Per language: fi, sv, en")


class OutcomeChange(BaseModel):
    scenario: str
    added: list[str] = Field(description="Step keys the draft would add to this person's plan")
    removed: list[str] = Field(description="Step keys it would take away")
    due_changed: list[str] = Field(description="Step keys whose due date moves")


class DraftDiffRead(BaseModel):
    published_version: int | None
    diff: DiffRead
    outcomes_changed: list[OutcomeChange] = Field(
        description="Scenarios (the draft's and the published version's) whose plans change"
    )


class PublishRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"change_note": "Kela's new address for forms"}]},
    )

    change_note: str = Note
    replaces_version: VersionNumber | None = Field(
        None,
        description="Needed only when a newer version was published after the draft started: "
        "its number, to say you mean to replace it (see the draft's preview/diff first)",
    )


class RollbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"version": 1, "change_note": "Back to version 1"}]},
    )

    version: VersionNumber = Field(description="The version whose content to publish")
    change_note: str = Note


class VersionSummary(BaseModel):
    number: int
    published: bool = Field(description="This is the version served now")
    content_hash: str
    created_at: dt.datetime
    created_by: str
    change_note: str


class VersionList(BaseModel):
    slug: str
    versions: list[VersionSummary] = Field(description="Newest first")


class VersionRead(VersionSummary):
    slug: str
    content: dict[str, Any]


class PublishedRead(BaseModel):
    slug: str
    version: int
    content_hash: str


class AuditEntryRead(BaseModel):
    id: int
    at: dt.datetime
    actor: str = Field(description="The token's name")
    action: str
    slug: str | None
    version: int | None
    change_note: str
    detail: dict[str, Any]


class AuditPage(BaseModel):
    entries: list[AuditEntryRead] = Field(description="Newest first")
    next_cursor: int | None = Field(description="Pass as `cursor` for the next page; null: done")


class TranslationJourney(BaseModel):
    name: str = Field(description="A journey's slug, or 'shared' for the shared files")
    texts: int
    missing_sv: list[str] = Field(description="JSON pointers of texts without Swedish")
    missing_en: list[str] = Field(description="JSON pointers of texts without English")


class TranslationReport(BaseModel):
    journeys: list[TranslationJourney]
    missing: int


class WorklistItem(BaseModel):
    place: str = Field(
        description="The text's place in the journey, list items by id "
        "(e.g. steps/notify-dvv/title), or in the shared file"
    )
    lang: TranslationLang
    state: Literal["missing", "stale"] = Field(
        description="missing: no text in this language; stale: the Finnish changed after the "
        "translation was written"
    )
    finnish: str
    translation: str | None
    source: str = Field(description="The Finnish text's fingerprint: send it to confirm")
    field: str | None = Field(
        description="The editor page of the field (null for the shared files, edited as files)"
    )


class WorklistJourney(BaseModel):
    journey: str = Field(description="A journey's slug, or a shared file")
    title: dict[str, str] | None
    in_draft: bool = Field(description="The texts are the draft's (else the published ones)")
    items: list[WorklistItem]


class TranslationWorklist(BaseModel):
    journeys: list[WorklistJourney]
    missing: int
    stale: int


class TranslationConfirm(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "journey": "moving",
                    "place": "steps/notify-dvv/title",
                    "lang": "sv",
                    "source": "0" * 64,
                }
            ]
        },
    )

    journey: str = Field(pattern=SLUG_PATTERN, max_length=80)
    place: str = Field(min_length=1, max_length=400)
    lang: TranslationLang
    source: str = Field(
        pattern="^[0-9a-f]{64}$", description="The Finnish text's fingerprint, from the worklist"
    )


class FeedbackCountRead(BaseModel):
    journey: str
    version: int
    useful: int = Field(description="How many answered yes: the plan was useful")
    not_useful: int = Field(description="How many answered no")


class FeedbackCommentRead(BaseModel):
    id: int = Field(description="Orders the comments; names nobody")
    journey: str
    version: int
    useful: bool = Field(description="The yes or no the comment came with")
    comment: str
    day: dt.date = Field(description="The day it was sent, in Finland: nothing finer is kept")


class FeedbackPage(BaseModel):
    counts: list[FeedbackCountRead] = Field(
        description="Per journey and version, newest version first: all that match (not paged)"
    )
    comments: list[FeedbackCommentRead] = Field(description="Newest first, a page at a time")
    next_cursor: int | None = Field(description="Pass as `cursor` for the next page; null: done")
