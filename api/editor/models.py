"""Tables of the editors' API: their tokens, the drafts, and the append-only audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UtcDateTime


class EditorToken(Base):
    """Who may edit (editor) or also publish (publisher). Only the token's SHA-256 is kept: the
    token itself is printed once, when it is made."""

    __tablename__ = "editor_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Refused from this moment on (POLKU_EDITOR_TOKEN_DAYS after it was made, or --days).
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # When it last opened a request, to the minute (written at most once a minute).
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Draft(Base):
    """The one draft of a journey. Its content always parses as a journey (a write that does not
    is refused); the problems the whole-catalogue check finds in it are kept beside it."""

    __tablename__ = "drafts"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    # Random per draft, in the ETag with the revision: a draft published and started again
    # never answers to the ETag of its predecessor.
    key: Mapped[str] = mapped_column(String(16))
    # The journey document as the format models normalise it.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Goes up with every write; writes are compare-and-set on it (If-Match).
    revision: Mapped[int] = mapped_column(Integer)
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(80))


class AuditEntry(Base):
    """One thing an editor did. Rows are only ever added."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(80))  # the token's name, never the token
    action: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str | None] = mapped_column(String(80), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    change_note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
