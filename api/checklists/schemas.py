"""Shapes of the saved checklist API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from api.engine.model import Lang
from api.plans.schemas import MOVING_ANSWERS, PlanRead
from api.schemas import IsoDate


class ChecklistCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"journey": "moving", "answers": MOVING_ANSWERS, "event_date": "2027-06-18"}
            ]
        },
    )

    journey: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)
    answers: dict[str, Any] = Field(default_factory=dict, max_length=200)
    event_date: IsoDate | None = None
    lang: Lang | None = None


class ChecklistUpdate(BaseModel):
    """Change the answers or event date (what is left out stays), or move to the newest version."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"answers": {**MOVING_ANSWERS, "moving_housing_allowance": "yes"}},
                {"event_date": "2027-07-01"},
                {"upgrade": True},
            ]
        },
    )

    answers: dict[str, Any] | None = Field(None, max_length=200)
    event_date: IsoDate | None = None
    # Strict: pydantic's lax mode would also take 0, 1 or "yes" for a boolean.
    clear_event_date: StrictBool = Field(False, description="Remove the event date")
    upgrade: StrictBool = Field(False, description="Move to the newest published version")


class StepDone(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"done": True}]})

    done: StrictBool


class NewerVersion(BaseModel):
    """A newer published version of the journey, and how it would change this checklist."""

    version: int
    added: list[str] = Field(description="Step keys the newer version would add")
    removed: list[str] = Field(description="Step keys the newer version would remove")


class ChecklistRead(BaseModel):
    id: str = Field(description="The private id: whoever has it can read and change the checklist")
    journey: str
    version: int = Field(description="The journey version this checklist follows")
    answers: dict[str, Any]
    event_date: dt.date | None
    done: list[str] = Field(description="Keys of the steps ticked off")
    created_at: dt.datetime
    expires_at: dt.datetime = Field(description="Deleted then unless used before")
    newer_version: NewerVersion | None
    plan: PlanRead
    calendar_feed_url: str = Field(
        description=(
            "The checklist's live calendar (iCalendar) for a calendar app to subscribe to: its "
            "dated steps with reminders, updated as steps are ticked off or the date changes. "
            "Private like the id, but it only reads: it cannot open or change the checklist"
        ),
        examples=[
            "https://polku.example/en/checklist/calendar/"
            "_kGIF4LQwWt-quuTZdDs-J2THwhxIVkI-_AuQvd7bNo.ics"
        ],
    )
