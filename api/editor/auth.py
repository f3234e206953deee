"""Bearer-token access to /v1/editor/: 401 without a live token, 403 for a role too low.

The scheme is declared through FastAPI's HTTPBearer, so the OpenAPI names it on every editor
operation. The token is looked up by its hash and never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.editor import tokens
from api.editor.tokens import Editor, Role
from api.errors import Forbidden, Unauthorized

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="EditorToken",
    description="An editor token made with `polku token create --name NAME --role ROLE`",
)


def _editor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Editor:
    if credentials is None:
        raise Unauthorized("send your editor token as `Authorization: Bearer <token>`")
    with request.app.state.sessions() as session:
        editor = tokens.identify(session, credentials.credentials)
    if editor is None:
        raise Unauthorized("the token is not known, or it was revoked")
    return editor


def _role(role: Role) -> Callable[[Editor], Editor]:
    def require(editor: Annotated[Editor, Depends(_editor)]) -> Editor:
        if not editor.may(role):
            raise Forbidden(f"this needs the {role} role; the token '{editor.name}' is an editor")
        return editor

    return require


EditorDep = Annotated[Editor, Depends(_role("editor"))]
PublisherDep = Annotated[Editor, Depends(_role("publisher"))]
# The lowest role each operation needs, in its OpenAPI (`x-polku-role`), so tests and clients
# can tell which tokens it refuses with 403.
EDITOR_ONLY = {"x-polku-role": "editor"}
PUBLISHER_ONLY = {"x-polku-role": "publisher"}
