"""Hostile request bodies: a YAML alias bomb, YAML and JSON nested thousands deep. Each is refused
quickly with a 4xx problem document, never a 500, and a real worker's memory does not grow.

Nothing here depends on the kind of database (the bodies are refused before any query), so one
SQLite database serves the whole module.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.main import create_app
from tests.conftest import PublishedTemplates
from tests.engine.test_yamlfile import alias_bomb
from tests.server import LiveServer, running_server


@dataclass(frozen=True)
class Hostile:
    name: str
    method: str
    path: str
    content_type: str
    body: bytes
    status: int


DEEP_JSON = b"[" * 50_000  # 50 kB: under the public 64 kB body limit
HOSTILE = [
    Hostile("yaml-alias-bomb", "PUT", "/v1/editor/drafts/moving", "application/yaml",
            alias_bomb(6).encode(), 422),
    Hostile("yaml-3000-deep", "PUT", "/v1/editor/drafts/moving", "application/yaml",
            b"[" * 3000 + b"]" * 3000, 422),
    Hostile("yaml-50000-deep-in-a-key", "PUT", "/v1/editor/drafts/moving", "application/yaml",
            b"slug: moving\nsteps: " + b"[" * 50_000, 422),
    Hostile("json-draft-replace", "PUT", "/v1/editor/drafts/moving", "application/json",
            DEEP_JSON, 400),
    Hostile("json-draft-start", "POST", "/v1/editor/drafts", "application/json", DEEP_JSON, 400),
    Hostile("json-draft-step", "POST", "/v1/editor/drafts/moving/steps", "application/json",
            DEEP_JSON, 400),
    Hostile("json-draft-preview", "POST", "/v1/editor/drafts/moving/preview/plan",
            "application/json", DEEP_JSON, 400),
    Hostile("json-public-plan", "POST", "/v1/journeys/moving/plan", "application/json",
            DEEP_JSON, 400),
    Hostile("json-checklist-create", "POST", "/v1/checklists", "application/json",
            DEEP_JSON, 400),
]  # fmt: skip


@dataclass(frozen=True)
class Editor:
    url: str
    headers: dict[str, str]


@pytest.fixture(scope="module")
def editor(
    tmp_path_factory: pytest.TempPathFactory, published_templates: PublishedTemplates
) -> Editor:
    """A migrated SQLite database with the journeys published (a copy) and a publisher's
    token."""
    url = published_templates.sqlite_copy(tmp_path_factory.mktemp("hostile") / "polku.sqlite3")
    engine = make_engine(url)
    with transaction(make_sessions(engine)) as session:
        token = tokens.create(session, name="Hostile Tester", role="publisher", days=30)
    engine.dispose()
    return Editor(url, {"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def client(editor: Editor) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=editor.url))) as test_client:
        started = test_client.post(
            "/v1/editor/drafts", json={"slug": "moving"}, headers=editor.headers
        )
        assert started.status_code == 201
        yield test_client


def send(client: TestClient, editor: Editor, hostile: Hostile) -> tuple[int, str, float]:
    etag = client.get("/v1/editor/drafts/moving", headers=editor.headers).headers["etag"]
    started = time.perf_counter()
    response = client.request(
        hostile.method,
        hostile.path,
        content=hostile.body,
        headers={**editor.headers, "Content-Type": hostile.content_type, "If-Match": etag},
    )
    return response.status_code, response.headers["content-type"], time.perf_counter() - started


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
def test_a_hostile_body_is_refused_quickly_with_a_problem_document(
    client: TestClient, editor: Editor, hostile: Hostile
) -> None:
    status, content_type, seconds = send(client, editor, hostile)
    assert (status, content_type) == (hostile.status, PROBLEM)
    assert seconds < 0.5


def test_the_refusal_of_a_yaml_body_names_the_line(client: TestClient, editor: Editor) -> None:
    etag = client.get("/v1/editor/drafts/moving", headers=editor.headers).headers["etag"]
    response = client.put(
        "/v1/editor/drafts/moving",
        content=b"slug: moving\nkind: life\nsteps: &s []\n",
        headers={**editor.headers, "Content-Type": "application/yaml", "If-Match": etag},
    )
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["message"].startswith("not valid YAML (line 3): anchors and aliases")


def test_a_control_character_in_a_yaml_body_is_refused_naming_the_line(
    client: TestClient, editor: Editor
) -> None:
    etag = client.get("/v1/editor/drafts/moving", headers=editor.headers).headers["etag"]
    response = client.put(
        "/v1/editor/drafts/moving",
        content=b"slug: moving\nkind: life\ntitle: a\x01b\n",
        headers={**editor.headers, "Content-Type": "application/yaml", "If-Match": etag},
    )
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    [problem] = response.json()["problems"]
    assert problem["message"].startswith("not valid YAML (line 3): the character #x0001")


PROBLEM = "application/problem+json"


def send_raw(server: LiveServer, hostile: Hostile, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        sent = {**headers, "Content-Type": hostile.content_type, "Connection": "close"}
        connection.request(hostile.method, hostile.path, body=hostile.body, headers=sent)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("content-type", "")
    finally:
        connection.close()


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_workers_memory_stays_put_while_hostile_bodies_arrive(
    editor: Editor, tmp_path: Path
) -> None:
    with running_server(editor.url, tmp_path, workers=1) as server:
        [pid] = server.worker_pids()  # with one worker, uvicorn serves in its own process
        draft = server.get("/v1/editor/drafts/moving", headers=editor.headers)
        if draft.status == 404:
            started = server.request(
                "POST", "/v1/editor/drafts", body={"slug": "moving"}, headers=editor.headers
            )
            assert started.status == 201
            draft = server.get("/v1/editor/drafts/moving", headers=editor.headers)
        headers = {**editor.headers, "If-Match": draft.headers["etag"]}
        before = resident_bytes(pid)
        answers = set()
        for hostile in HOSTILE:
            for _ in range(5):
                started_at = time.perf_counter()
                status, content_type = send_raw(server, hostile, headers)
                quick = time.perf_counter() - started_at < 1.0
                answers.add((hostile.name, status, content_type, quick))
        grown = resident_bytes(pid) - before
    assert grown < 50 * 1024 * 1024, f"the worker grew by {grown / 2**20:.0f} MB"
    assert answers == {(h.name, h.status, PROBLEM, True) for h in HOSTILE}
