"""Every editor operation, taken from the app's own OpenAPI (never listed by hand), refuses a
missing, a wrong and a revoked token with 401, and a role too low with 403; and says in the
OpenAPI that it takes the bearer token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.editor import tokens
from api.editor.tokens import RANK, ROLES, hash_token
from api.errors import PROBLEM_JSON
from api.main import create_app
from tests.conftest import problem
from tests.editor.conftest import Tokens, bearer

METHODS = ("get", "put", "post", "delete", "patch")


def editor_operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    contract = create_app(Settings()).openapi()
    for path, item in contract["paths"].items():
        if not path.startswith("/v1/editor/"):
            continue
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation, contract


OPERATIONS = list(editor_operations())


def call(
    client: TestClient, path: str, method: str, operation: dict[str, Any], token: str | None
) -> Any:
    url = path
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            url = url.replace(
                "{" + parameter["name"] + "}", str(parameter["schema"]["examples"][0])
            )
    headers = {"If-Match": '"whatever"'}
    if token is not None:
        headers |= bearer(token)
    body = None
    if "requestBody" in operation:
        body = json.dumps({"change_note": "x"}).encode()
        headers["Content-Type"] = "application/json"
    return client.request(method, url, content=body, headers=headers)


def test_the_editor_operations_are_found() -> None:
    ids = {operation["operationId"] for _, _, operation, _ in OPERATIONS}
    assert {"start_draft", "publish_draft", "rollback_journey", "read_audit_log"} <= ids
    assert len(ids) >= 20


@pytest.mark.parametrize(
    ("path", "method", "operation"),
    [(p, m, o) for p, m, o, _ in OPERATIONS],
    ids=[o["operationId"] for _, _, o, _ in OPERATIONS],
)
def test_the_operation_declares_the_bearer_token_and_its_role(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    contract = OPERATIONS[0][3]
    (requirement,) = operation["security"]
    (scheme,) = requirement
    assert contract["components"]["securitySchemes"][scheme] == {
        "type": "http",
        "scheme": "bearer",
        "description": contract["components"]["securitySchemes"][scheme]["description"],
    }
    assert operation["x-polku-role"] in ROLES
    assert "401" in operation["responses"]
    if RANK[operation["x-polku-role"]] > 0:
        assert "403" in operation["responses"]


def test_every_operation_refuses_who_may_not(client: TestClient, editor_tokens: Tokens) -> None:
    """One app per database: each operation with no token, a wrong one, a revoked one, and each
    role below the one it needs."""
    by_role = {"editor": editor_tokens.editor, "publisher": editor_tokens.publisher}
    wrong = "polku_" + "A" * 43
    refused = []
    for path, method, operation, _ in OPERATIONS:
        name = f"{method.upper()} {path}"
        for label, token in (("none", None), ("wrong", wrong), ("revoked", editor_tokens.revoked)):
            response = call(client, path, method, operation, token)
            if response.status_code != 401:
                refused.append(f"{name} with {label} token: {response.status_code}")
                continue
            assert response.headers["content-type"] == PROBLEM_JSON
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.headers["cache-control"] == "no-store"
        needed = RANK[operation["x-polku-role"]]
        for role, token in by_role.items():
            response = call(client, path, method, operation, token)
            if RANK[role] < needed and response.status_code != 403:
                refused.append(f"{name} as {role}: {response.status_code}, not 403")
            if RANK[role] >= needed and response.status_code in (401, 403):
                refused.append(f"{name} as {role}: refused with {response.status_code}")
    assert not refused, "\n".join(refused)


def test_tokens_are_stored_only_as_hashes(database_url: str, editor_tokens: Tokens) -> None:
    from sqlalchemy import select

    from api.db import make_engine, make_sessions
    from api.editor.models import AuditEntry, EditorToken

    engine = make_engine(database_url)
    with make_sessions(engine)() as session:
        rows = list(session.scalars(select(EditorToken)))
        stored = json.dumps(
            [[r.name, r.role, r.token_hash] for r in rows]
            + [[a.actor, a.action, a.detail] for a in session.scalars(select(AuditEntry))]
        )
    engine.dispose()
    for token in (editor_tokens.editor, editor_tokens.publisher, editor_tokens.revoked):
        assert token not in stored
        assert hash_token(token) in stored
        assert len(token) >= len("polku_") + 43  # 256 random bits, base64url


def test_an_unknown_query_parameter_is_refused_once_the_caller_is_known(
    client: TestClient, editor_tokens: Tokens
) -> None:
    stranger = client.get("/v1/editor/audit", params={"form": "1"})
    assert stranger.status_code == 401
    refused = client.get(
        "/v1/editor/audit", params={"form": "1"}, headers=bearer(editor_tokens.editor)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"location": ["query", "form"], "message": "unknown parameter"}
    ]
    known = client.get(
        "/v1/editor/audit", params={"limit": "2"}, headers=bearer(editor_tokens.editor)
    )
    assert known.status_code == 200


def test_after_too_many_failed_sign_ins_even_a_good_token_is_refused_unread(
    database_url: str, editor_tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tokens cannot be guessed quickly: each 401 counts against the client, and over the
    limit its requests get 429 before any token is looked up. Signing in counts nothing."""
    looked_up: list[str] = []
    identify = tokens.identify

    def counting(session: Any, token: str) -> Any:
        looked_up.append("token")
        return identify(session, token)

    monkeypatch.setattr(tokens, "identify", counting)
    app = create_app(Settings(database_url=database_url, limit_failed_sign_in="3/minute"))
    audit, good = "/v1/editor/audit", bearer(editor_tokens.publisher)
    with TestClient(app) as client:
        for _ in range(5):
            assert client.get(audit, headers=good).status_code == 200
        failed = [
            client.get(audit),
            client.get(audit, headers=bearer("polku_" + "A" * 43)),
            client.get(audit, headers=bearer(editor_tokens.revoked)),
        ]
        assert [response.status_code for response in failed] == [401, 401, 401]
        looked_up.clear()
        refused = client.get(audit, headers=good)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == PROBLEM_JSON
        assert refused.json()["type"] == problem("too-many-requests")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert client.post("/v1/editor/drafts", json={"slug": "moving"}).status_code == 429
        assert looked_up == []
        # Another address is another client.
        other = TestClient(app, client=("198.51.100.5", 1234))
        assert other.get(audit, headers=good).status_code == 200
