"""Tables of the published catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db import Base, UtcDateTime


class JourneyRecord(Base):
    """A journey, pointing at its published version."""

    __tablename__ = "journeys"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    published_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    versions: Mapped[list[JourneyVersion]] = relationship(
        back_populates="journey", lazy="raise", order_by="JourneyVersion.number"
    )


class JourneyVersion(Base):
    """One published version of a journey. Never changed once written: publishing makes a new
    one, and rolling back publishes an old content again as a new one."""

    __tablename__ = "journey_versions"
    __table_args__ = (UniqueConstraint("slug", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(ForeignKey("journeys.slug"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # The journey document as the format models normalise it (JSON), and its SHA-256.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(120))
    change_note: Mapped[str] = mapped_column(Text, default="")
    journey: Mapped[JourneyRecord] = relationship(back_populates="versions", lazy="raise")


class SharedDocument(Base):
    """A shared file of the catalogue (questions, organisations, life events), whole."""

    __tablename__ = "shared_documents"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)  # e.g. shared/questions.yaml
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime(), server_default=func.now(), onupdate=func.now()
    )


class CatalogueState(Base):
    """One row whose generation goes up with every change to what is published: each worker
    watches it and reloads its prepared catalogue when it moves."""

    __tablename__ = "catalogue_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())


class TranslationFingerprint(Base):
    """A Swedish or English text and the Finnish it was translated from, both as SHA-256: when
    the Finnish at that place changes and the translation does not, the translation is stale.
    The place is stable across reordering (`steps/notify-dvv/title`, see content.texts_of)."""

    __tablename__ = "translation_fingerprints"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    place: Mapped[str] = mapped_column(String(400), primary_key=True)
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(64))  # the Finnish it was written against
    translation_hash: Mapped[str] = mapped_column(String(64))  # the translation itself
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    recorded_by: Mapped[str] = mapped_column(String(120))
