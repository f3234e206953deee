"""What every room's API shapes share: the base of shapes read from engine dataclasses, strict
dates and integers, and the health checks' answers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema


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


class HealthRead(BaseModel):
    status: Literal["ok"]


class ReadyRead(BaseModel):
    status: Literal["ready"]
    generation: int
    journeys: int
