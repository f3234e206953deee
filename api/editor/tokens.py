"""Editor tokens: made by `polku token create`, shown once, kept only as their SHA-256.

A token is 256 random bits; its name (never the token) is what the audit log records.
"""

from __future__ import annotations

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


def create(session: Session, *, name: str, role: Role) -> str:
    """A new token for `name`; the only time it is ever seen."""
    token = PREFIX + secrets.token_urlsafe(32)  # 256 bits
    row = EditorToken(name=name, role=role, token_hash=hash_token(token), created_at=utcnow())
    if not repository.add_token(session, row):
        raise NameTaken(f"a token named '{name}' exists already (names stay unique)")
    repository.audit(
        session,
        AuditEntry(at=utcnow(), actor="polku token", action="token.create", detail={"name": name}),
    )
    return token


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
    """The live token's holder, or None for an unknown or revoked token."""
    if len(token) > 200:
        return None
    row = repository.token_by_hash(session, hash_token(token))
    if row is None or row.role not in RANK:
        return None
    return Editor(name=row.name, role=row.role)
