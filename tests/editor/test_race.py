"""No lost edits: pairs of editors read the same draft and write at the same moment, many pairs
at once, against one app (its thread pool runs the requests in parallel). Every write that was
accepted is in the final draft, every one that was not got 412, and nothing else happened."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

from tests.editor.conftest import Tokens, bearer

DRAFT = "/v1/editor/drafts/moving"
PAIRS = 6
ROUNDS = 3


def step(step_id: str) -> dict[str, Any]:
    return {
        "id": step_id,
        "kind": "advice",
        "title": {"fi": step_id, "sv": step_id, "en": step_id},
        "body": {"fi": "Teksti.", "sv": "Text.", "en": "Text."},
        "timing": "after",
    }


def test_concurrent_edits_lose_nothing(client: TestClient, editor_tokens: Tokens) -> None:
    headers = bearer(editor_tokens.editor)
    started = client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=headers)
    assert started.status_code == 201
    accepted: list[str] = []
    refused: list[str] = []
    other: list[str] = []
    lock = threading.Lock()

    def editor(pair: int, member: int, barrier: threading.Barrier) -> None:
        for round_ in range(ROUNDS):
            step_id = f"race-{pair}-{member}-{round_}"
            etag = client.get(DRAFT, headers=headers).headers["etag"]
            barrier.wait()  # both of the pair have read; now both write at once
            response = client.post(
                f"{DRAFT}/steps", json={"item": step(step_id)}, headers=headers | {"If-Match": etag}
            )
            with lock:
                if response.status_code == 200:
                    accepted.append(step_id)
                elif response.status_code == 412:
                    refused.append(step_id)
                else:
                    other.append(f"{step_id}: {response.status_code} {response.text[:200]}")

    threads = []
    for pair in range(PAIRS):
        barrier = threading.Barrier(2, timeout=60)
        threads += [
            threading.Thread(target=editor, args=(pair, member, barrier)) for member in (0, 1)
        ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    assert other == []
    assert len(accepted) + len(refused) == PAIRS * 2 * ROUNDS
    assert refused, "no write was ever refused: the test did not race"
    final = client.get(DRAFT, headers=headers).json()
    ids = {s["id"] for s in final["content"]["steps"]}
    assert set(accepted) <= ids
    assert not set(refused) & ids
    assert final["revision"] == 1 + len(accepted)
    audit = client.get("/v1/editor/audit", params={"limit": 200}, headers=headers).json()
    assert sum(e["action"] == "draft.add_step" for e in audit["entries"]) == len(accepted)


def test_two_workers_writing_the_same_revision_cannot_both_win(
    client: TestClient, editor_tokens: Tokens, database_url: str
) -> None:
    """The compare-and-set itself, as two workers' transactions: the second waits for the
    first and then finds the revision gone."""
    from api.db import make_engine, make_sessions, utcnow
    from api.editor import repository

    started = client.post(
        "/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(editor_tokens.editor)
    )
    content = started.json()["content"]
    engine = make_engine(database_url)
    sessions = make_sessions(engine)

    def write(session: Any, title: str) -> bool:
        return repository.replace_draft(
            session,
            slug="moving",
            expected=1,
            content=content | {"title": {**content["title"], "en": title}},
            problems=[],
            by=title,
            at=utcnow(),
        )

    results: dict[str, bool] = {}
    with sessions() as first, first.begin():
        results["first"] = write(first, "First")

        def second() -> None:
            with sessions() as other, other.begin():
                results["second"] = write(other, "Second")

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second write did not wait for the first transaction"
    thread.join(timeout=30)
    engine.dispose()
    assert results == {"first": True, "second": False}
    final = client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()
    assert final["revision"] == 2
    assert final["content"]["title"]["en"] == "First"
