"""Bearer-token access to /v1/editor/: 401 without a live token (unknown, revoked or expired),
403 for a role too low.

The scheme is declared through FastAPI's HTTPBearer, so the OpenAPI names it on every editor
operation. The token is looked up by its hash and never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.db import transaction
from api.editor import tokens
from api.editor.tokens import Editor, Role
from api.errors import ApiError, Forbidden, Unauthorized
from api.limits import SignInAttemptsDep

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="EditorToken",
    description="An editor token made with `polku token create --name NAME --role ROLE`",
)


def _editor(
    request: Request,
    attempts: SignInAttemptsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Editor:
    # Every 401 counts against the client; once too many, `attempts` refuses with 429 first.
    if credentials is None:
        attempts.failed()
        raise Unauthorized("send your editor token as `Authorization: Bearer <token>`")
    try:
        with transaction(request.app.state.sessions) as session:  # commits the last-used time
            editor = tokens.identify(session, credentials.credentials)
    except tokens.Expired as exc:
        raise Unauthorized(
            f"the token expired on {exc.expired_at:%Y-%m-%d}: ask for a new one"
        ) from None
    if editor is None:
        attempts.failed()
        raise Unauthorized("the token is not known, or it was revoked")
    return editor


def _role(role: Role) -> Callable[..., Editor]:
    def require(request: Request, editor: Annotated[Editor, Depends(_editor)]) -> Editor:
        if not editor.may(role):
            raise Forbidden(f"this needs the {role} role; the token '{editor.name}' is an editor")
        _refuse_unknown_query(request)
        return editor

    return require


_KNOWN: dict[int, frozenset[str]] = {}


def _refuse_unknown_query(request: Request) -> None:
    """Editors' requests change content: a misspelt parameter (`?form=1`) is an error, not
    silently ignored. Checked once the caller is known, so a stranger still gets 401."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _KNOWN.get(id(route))
    if known is None:
        known = frozenset(_query_names(route.dependant))
        _KNOWN[id(route)] = known
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InvalidParameters(
            f"unknown query parameter(s): {', '.join(repr(u[:40]) for u in unknown[:5])}",
            errors=[
                {"location": ["query", u[:80]], "message": "unknown parameter"}
                for u in unknown[:20]
            ],
        )


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


class InvalidParameters(ApiError):
    status = 422
    type = "/problems/invalid-request"
    title = "Invalid request"


EditorDep = Annotated[Editor, Depends(_role("editor"))]
PublisherDep = Annotated[Editor, Depends(_role("publisher"))]
# The lowest role each operation needs, in its OpenAPI (`x-polku-role`), so tests and clients
# can tell which tokens it refuses with 403.
EDITOR_ONLY = {"x-polku-role": "editor"}
PUBLISHER_ONLY = {"x-polku-role": "publisher"}
