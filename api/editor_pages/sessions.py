"""Server-side sessions of the editors' pages, and the CSRF token tied to each.

Signing in with an editor token (api.editor.tokens decides whether it is live) starts a session:
a random id (256 bits) that only the editor's cookie holds; the database keeps its SHA-256.
Every request asks again whether the token is live (api.editor.tokens.is_live), so revoking or
expiring a token ends its sessions at once; a session idle for POLKU_EDITOR_SESSION_IDLE_HOURS
ends too. Signing out ends every session of the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from api.db import utcnow
from api.editor import repository, tokens
from api.editor.models import EditorToken
from api.editor.tokens import Editor
from api.editor_pages.models import EditorSession

# last_seen_at (and the token's last_used_at) are written at most this often.
SEEN_RESOLUTION = dt.timedelta(minutes=1)
_CSRF_PURPOSE = b"polku-editor-form"


@dataclass(frozen=True)
class SignedIn:
    """The editor behind a request: who, with which role, in which session and language."""

    editor: Editor
    session_id: str  # the raw id from the cookie: never stored, never logged
    token_id: int
    lang: str

    @property
    def csrf(self) -> str:
        return csrf_token(self.session_id)


def csrf_token(session_id: str) -> str:
    """The token every form of this session carries: derived from the session's secret id, so
    it is useless without the session and ends with it."""
    return hmac.new(session_id.encode(), _CSRF_PURPOSE, hashlib.sha256).hexdigest()


def csrf_matches(signed_in: SignedIn, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), signed_in.csrf.encode())


def start(session: Session, token: str, *, lang: str, idle: dt.timedelta) -> SignedIn | None:
    """A new session for a live token; None for an unknown or revoked one (tokens.Expired for
    an expired one). The caller commits and sets the cookie."""
    editor = tokens.identify(session, token)
    if editor is None:
        return None
    row = repository.token_by_hash(session, tokens.hash_token(token))
    if row is None:  # revoked between the two reads
        return None
    now = utcnow()
    _purge(session, now - idle)
    session_id = secrets.token_urlsafe(32)
    session.add(
        EditorSession(
            id_hash=_hash(session_id),
            token_id=row.id,
            created_at=now,
            last_seen_at=now,
            lang=lang,
        )
    )
    session.flush()
    return SignedIn(editor, session_id, row.id, lang)


def find(session: Session, session_id: str, *, idle: dt.timedelta) -> SignedIn | None:
    """The live session with this id; None when unknown, idle too long, or its token is
    revoked or expired (the session is then removed)."""
    if not session_id or len(session_id) > 100:
        return None
    row = session.get(EditorSession, _hash(session_id))
    if row is None:
        return None
    now = utcnow()
    token = session.get(EditorToken, row.token_id)
    editor = Editor(token.name, token.role) if token and token.role in tokens.RANK else None
    if row.last_seen_at <= now - idle or editor is None or not tokens.is_live(session, editor):
        session.delete(row)
        return None
    if row.last_seen_at <= now - SEEN_RESOLUTION:
        row.last_seen_at = now
        repository.mark_used(session, row.token_id, now, since=now - tokens.USE_RESOLUTION)
    return SignedIn(editor, session_id, row.token_id, row.lang)


def end_everywhere(session: Session, signed_in: SignedIn) -> int:
    """Sign out: every session of the token ends, in every browser. How many ended."""
    result = session.execute(
        delete(EditorSession)
        .where(EditorSession.token_id == signed_in.token_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def choose_language(session: Session, signed_in: SignedIn, lang: str) -> None:
    session.execute(
        update(EditorSession)
        .where(EditorSession.id_hash == _hash(signed_in.session_id))
        .values(lang=lang)
        .execution_options(synchronize_session=False)
    )


def _purge(session: Session, idle_since: dt.datetime) -> None:
    """Forget sessions idle for too long (done at each sign-in: no timer needed)."""
    session.execute(
        delete(EditorSession)
        .where(EditorSession.last_seen_at <= idle_since)
        .execution_options(synchronize_session=False)
    )


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
