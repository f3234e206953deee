"""The feedback tables. Nothing in them points at a person: no answers, no address, no
identifier, no network address, and no time finer than the day a comment came."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base


class FeedbackCount(Base):
    """How many said a version's plan was useful (or not): one counter per answer."""

    __tablename__ = "feedback_counts"

    slug: Mapped[str] = mapped_column(ForeignKey("journeys.slug"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    useful: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class FeedbackComment(Base):
    """A comment left with a yes or no, and the day it came (the id only orders pages)."""

    __tablename__ = "feedback_comments"
    __table_args__ = (Index("ix_feedback_comments_slug_version", "slug", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(80), ForeignKey("journeys.slug"))
    version: Mapped[int] = mapped_column(Integer)
    useful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text)
    day: Mapped[dt.date] = mapped_column(Date)
