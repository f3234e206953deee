"""A drop where scripts run sends the item's move form with `direction=to` and the place to go
to (both databases): the step or question lands there; a place beyond the end is the end, a
place that is not a number changes nothing, and an old revision gets the conflict page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.editor_pages.conftest import Tokens
from tests.editor_pages.test_drafts import DRAFT, draft, form_fields, post, start


def test_a_drop_moves_a_step_or_a_question_to_its_place(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    order = [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]]
    last = order[-1]
    move = f"{DRAFT}/steps/{last}/move"
    fields = form_fields(client.get(DRAFT).text, move)
    response = post(client, move, [*fields, ("direction", "to"), ("position", "1")])
    assert "The order was changed." in response.text
    steps = [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]]
    assert steps == [order[0], last, *order[1:-1]]

    # The revision the page was read at: an old one is a conflict, nothing moved.
    response = post(client, move, [*fields, ("direction", "to"), ("position", "0")])
    assert response.status_code == 409
    for position in ("x", "-1", ""):
        fields = form_fields(client.get(DRAFT).text, move)
        response = post(client, move, [*fields, ("direction", "to"), ("position", position)])
        assert "Nothing was changed" in response.text
    assert [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]] == steps

    questions = [
        q.get("id") or q.get("shared")
        for q in draft(client, editor_tokens.editor)["content"]["questions"]
    ]
    move = f"{DRAFT}/questions/{questions[0]}/move"
    fields = form_fields(client.get(DRAFT).text, move)
    post(client, move, [*fields, ("direction", "to"), ("position", "999")])
    content = draft(client, editor_tokens.editor)["content"]
    assert [q.get("id") or q.get("shared") for q in content["questions"]] == [
        *questions[1:],
        questions[0],
    ]
