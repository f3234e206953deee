"""Editor tokens: made by `polku token create`, shown once, kept only as their SHA-256.

A token is 256 random bits; its name (never the token) is what the audit log records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from api.db import utcnow
from api.editor import repository
from api.editor.models import AuditEntry, EditorToken

Role = Literal["editor", "publisher"]
ROLES: tuple[Role, ...] = ("editor", "publisher")
# Each role may do what the roles before it may.
RANK = {role: index for index, role in enumerate(ROLES)}
PREFIX = "polku_"  # makes a leaked token recognisable to secret scanners
USE_RESOLUTION = dt.timedelta(minutes=1)  # last_used_at is written at most this often


@dataclass(frozen=True)
class Editor:
    """Who is calling: the token's name and role."""

    name: str
    role: Role

    def may(self, role: Role) -> bool:
        return RANK[self.role] >= RANK[role]


class NameTaken(ValueError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Expired(Exception):
    """A token past its expiry: refused, with the day it expired."""

    def __init__(self, expired_at: dt.datetime) -> None:
        super().__init__(f"expired at {expired_at.isoformat()}")
        self.expired_at = expired_at


def create(session: Session, *, name: str, role: Role, days: int) -> str:
    """A new token for `name`, live for `days` days; the only time it is ever seen."""
    token = PREFIX + secrets.token_urlsafe(32)  # 256 bits
    now = utcnow()
    row = EditorToken(
        name=name,
        role=role,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    if not repository.add_token(session, row):
        raise NameTaken(f"a token named '{name}' exists already (names stay unique)")
    repository.audit(
        session,
        AuditEntry(at=utcnow(), actor="polku token", action="token.create", detail={"name": name}),
    )
    return token


def expiry(session: Session, name: str) -> dt.datetime | None:
    """When the token named `name` stops working (None: there is none)."""
    row = repository.token_by_name(session, name)
    return row.expires_at if row else None


def revoke(session: Session, name: str) -> bool:
    """Revoke the token named `name`; False if there is none that is live."""
    row = repository.token_by_name(session, name)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    repository.audit(
        session,
        AuditEntry(at=utcnow(), actor="polku token", action="token.revoke", detail={"name": name}),
    )
    return True


def identify(session: Session, token: str) -> Editor | None:
    """The live token's holder, or None for an unknown or revoked token; Expired for one past
    its expiry. Records the use (at most once a minute: not a write per request); the caller
    commits."""
    if len(token) > 200:
        return None
    row = repository.token_by_hash(session, hash_token(token))
    if row is None or row.role not in RANK:
        return None
    now = utcnow()
    if row.expires_at <= now:
        raise Expired(row.expires_at)
    if row.last_used_at is None or row.last_used_at <= now - USE_RESOLUTION:
        repository.mark_used(session, row.id, now, since=now - USE_RESOLUTION)
    return Editor(name=row.name, role=row.role)


def is_live(session: Session, editor: Editor) -> bool:
    """Whether the caller's token is still neither revoked nor expired. Publishing asks again
    inside its transaction before it writes: a revoke that commits first stops it, and on
    PostgreSQL a revoke that comes later waits for it to finish (the row is share-locked)."""
    return repository.live_token(session, editor.name, utcnow()) is not None
