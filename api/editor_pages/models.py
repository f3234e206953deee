"""The editors' page sessions: only the SHA-256 of the random id in the cookie is stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base, UtcDateTime


class EditorSession(Base):
    """One signed-in browser of an editor token. Refused once idle too long, or once its token
    is revoked or expired (checked on every request, so revoking ends it at once)."""

    __tablename__ = "editor_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("editor_tokens.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # Written at most once a minute (not on every request); idle expiry counts from it.
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # The interface language the editor chose (fi, sv or en).
    lang: Mapped[str] = mapped_column(String(2))
