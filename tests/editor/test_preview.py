"""Preview: the plan a person would get from the draft, its scenarios, and its difference from
the published version (and whose plans it changes)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.editor.conftest import Tokens, bearer
from tests.editor.test_drafts import DRAFT, NEW_STEP, edit, start


def test_preview(client: TestClient, editor_tokens: Tokens) -> None:
    _draft, etag = start(client, editor_tokens)
    headers = bearer(editor_tokens.editor)
    person = {
        "answers": {
            "moving_to": "same_municipality",
            "children": "no",
            "moving_housing_allowance": "no",
        },
        "event_date": "2027-03-15",
        "today": "2027-03-01",
        "lang": "en",
    }
    before = client.post(f"{DRAFT}/preview/plan", json=person, headers=headers)
    assert before.status_code == 200, before.text
    assert "check-post-forwarding" not in [s["id"] for s in before.json()["steps"]]
    scenarios = client.get(f"{DRAFT}/preview/scenarios", headers=headers).json()
    assert scenarios["run"]
    assert all(s["passed"] for s in scenarios["scenarios"])

    added = edit(client, editor_tokens, "POST", f"{DRAFT}/steps", etag, json={"item": NEW_STEP})
    # The step now applies only to people moving abroad: people the scenarios expect to get it
    # no longer do.
    removed_step = "voting-after-move"
    after_edit = added.json()["content"]
    (voting,) = [s for s in after_edit["steps"] if s["id"] == removed_step]
    voting["when"] = {"question": "moving_to", "equals": "abroad"}
    after_edit["title"]["en"] = "Moving house"
    replaced = edit(client, editor_tokens, "PUT", DRAFT, added.headers["etag"], json=after_edit)
    assert replaced.status_code == 200, replaced.text

    plan = client.post(f"{DRAFT}/preview/plan", json=person, headers=headers).json()
    assert "check-post-forwarding" in [s["id"] for s in plan["steps"]]
    public = client.post("/v1/journeys/moving/plan", json=person).json()
    assert "check-post-forwarding" not in [s["id"] for s in public["steps"]]

    run = client.get(f"{DRAFT}/preview/scenarios", headers=headers).json()
    failing = [s for s in run["scenarios"] if not s["passed"]]
    assert failing
    assert all(any(removed_step in d for d in s["differences"]) for s in failing), failing
    diff = client.get(f"{DRAFT}/preview/diff", headers=headers).json()
    assert diff["published_version"] == 1
    assert diff["diff"]["steps"]["added"] == ["check-post-forwarding"]
    assert diff["diff"]["steps"]["removed"] == []
    assert diff["diff"]["steps"]["changed"] == [removed_step]
    assert diff["diff"]["texts"]["en"]["changed"] == ["title"]
    assert "steps/check-post-forwarding/title" in diff["diff"]["texts"]["sv"]["added"]
    changed = {c["scenario"]: c for c in diff["outcomes_changed"]}
    assert {s["name"] for s in failing} <= set(changed)
    for scenario in failing:
        moved = changed[scenario["name"]]
        assert f"moving/{removed_step}" in moved["removed"] + moved["added"]
        assert "moving/check-post-forwarding" in moved["added"]
