"""The saved checklist table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UtcDateTime


class Checklist(Base):
    """A person's answers and ticks, found by the hash of a secret only the person holds."""

    __tablename__ = "checklists"

    # SHA-256 of the private id; the id itself is never stored.
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    journey_version_id: Mapped[int] = mapped_column(ForeignKey("journey_versions.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[list[str]] = mapped_column(JSON, default=list)  # step keys, journey/step-id
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    # Unused checklists expire: this moves on every read and write.
    last_used_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # SHA-256 of the calendar feed's token (derived from the private id); empty for checklists
    # saved before feeds existed, until their page is next opened.
    calendar_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
