"""Drafts: start, read (JSON or YAML), replace (JSON or YAML), small edits, If-Match, refusals
that name each place, problems kept on the draft."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.db import transaction
from api.editor.checks import InvalidDraft
from api.editor.drafts import service as drafts_service
from api.editor.tokens import Editor
from api.engine.yamlfile import load_yaml
from api.errors import PROBLEM_JSON, PreconditionFailed
from tests.conftest import problem
from tests.editor.conftest import Tokens, bearer

DRAFT = "/v1/editor/drafts/moving"
NEW_STEP: dict[str, Any] = {
    "id": "check-post-forwarding",
    "kind": "advice",
    "title": {"fi": "Tarkista jälkilähetys", "sv": "Kontrollera eftersändning", "en": "Check mail"},
    "body": {"fi": "Posti.", "sv": "Posti.", "en": "Posti."},
    "timing": "after",
}


def start(client: TestClient, tokens: Tokens) -> tuple[dict[str, Any], str]:
    response = client.post(
        "/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(tokens.editor)
    )
    assert response.status_code == 201, response.text
    return response.json(), response.headers["etag"]


def edit(
    client: TestClient, tokens: Tokens, method: str, url: str, etag: str, **kwargs: Any
) -> Any:
    headers = bearer(tokens.editor) | {"If-Match": etag} | kwargs.pop("headers", {})
    return client.request(method, url, headers=headers, **kwargs)


def step_ids(draft: dict[str, Any]) -> list[str]:
    return [step["id"] for step in draft["content"]["steps"]]


def test_start_read_and_replace(client: TestClient, editor_tokens: Tokens) -> None:
    draft, etag = start(client, editor_tokens)
    assert draft["revision"] == 1
    assert draft["based_on_version"] == 1
    assert draft["ready_to_publish"]
    assert draft["problem_list"] == []
    again = client.post(
        "/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(editor_tokens.editor)
    )
    assert again.status_code == 409
    unknown = client.post(
        "/v1/editor/drafts", json={"slug": "no-such-journey"}, headers=bearer(editor_tokens.editor)
    )
    assert unknown.status_code == 404

    as_yaml = client.get(
        DRAFT, headers=bearer(editor_tokens.editor) | {"Accept": "application/yaml"}
    )
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    assert as_yaml.headers["etag"] == etag
    data, _ = load_yaml(as_yaml.text)
    assert data["slug"] == "moving"
    assert len(data["steps"]) == len(draft["content"]["steps"])

    changed = as_yaml.text.replace("en: Moving home", "en: Moving house", 1)
    replaced = edit(
        client,
        editor_tokens,
        "PUT",
        DRAFT,
        etag,
        content=changed.encode(),
        headers={"Content-Type": "application/yaml"},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["content"]["title"]["en"] == "Moving house"
    assert replaced.json()["revision"] == 2
    assert replaced.headers["etag"] != etag

    content = replaced.json()["content"]
    content["title"]["en"] = "Moving"
    as_json = edit(client, editor_tokens, "PUT", DRAFT, replaced.headers["etag"], json=content)
    assert as_json.status_code == 200
    assert as_json.json()["content"]["title"]["en"] == "Moving"


def test_every_write_needs_the_current_etag(client: TestClient, editor_tokens: Tokens) -> None:
    _draft, etag = start(client, editor_tokens)
    texts = {"texts": {"/title": "Moving house"}}
    missing = client.put(f"{DRAFT}/texts/en", json=texts, headers=bearer(editor_tokens.editor))
    assert missing.status_code == 428
    assert missing.headers["content-type"] == PROBLEM_JSON
    first = edit(client, editor_tokens, "PUT", f"{DRAFT}/texts/en", etag, json=texts)
    assert first.status_code == 200
    stale = edit(
        client, editor_tokens, "PUT", f"{DRAFT}/texts/en", etag, json={"texts": {"/title": "X"}}
    )
    assert stale.status_code == 412
    now = client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()
    assert now["content"]["title"]["en"] == "Moving house"
    assert now["revision"] == 2
    assert edit(client, editor_tokens, "DELETE", DRAFT, etag).status_code == 412
    assert edit(client, editor_tokens, "DELETE", DRAFT, now["etag"]).status_code == 204
    assert client.get(DRAFT, headers=bearer(editor_tokens.editor)).status_code == 404


def test_a_request_the_contract_forbids_is_refused_before_if_match_is_compared(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """Found by schemathesis: these were answered 412 (or 428), as if only the ETag were wrong;
    each is wrong whatever the draft's state, so 422, and nothing changes."""
    _draft, etag = start(client, editor_tokens)
    stale = '"0000000000000000.1"'
    refused = [
        edit(client, editor_tokens, "PUT", DRAFT, stale, json=[None, None]),
        edit(
            client,
            editor_tokens,
            "PUT",
            DRAFT,
            stale,
            content=b"- a list\n",
            headers={"Content-Type": "application/yaml"},
        ),
        # pydantic's lax mode took false as position 0, and "1" as 1.
        edit(
            client,
            editor_tokens,
            "POST",
            f"{DRAFT}/steps",
            stale,
            json={"item": NEW_STEP, "position": False},
        ),
        edit(
            client,
            editor_tokens,
            "POST",
            f"{DRAFT}/steps",
            stale,
            json={"item": NEW_STEP, "position": "1"},
        ),
        # An empty If-Match is a malformed one, not a missing one.
        edit(client, editor_tokens, "PUT", DRAFT, "", json={}),
    ]
    assert [r.status_code for r in refused] == [422] * len(refused), [r.text for r in refused]
    assert {r.headers["content-type"] for r in refused} == {PROBLEM_JSON}
    assert client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()["etag"] == etag


def test_a_draft_that_does_not_parse_is_refused_naming_each_place(
    client: TestClient, editor_tokens: Tokens
) -> None:
    draft, etag = start(client, editor_tokens)
    content = draft["content"]
    content["colour"] = "red"
    content["steps"][1]["kind"] = "chore"
    del content["steps"][2]["title"]
    refused = edit(client, editor_tokens, "PUT", DRAFT, etag, json=content)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM_JSON
    body = refused.json()
    assert body["type"] == problem("invalid-draft")
    places = {p["pointer"]: p["message"] for p in body["problems"]}
    assert places["/colour"].startswith("unknown key 'colour'")
    assert "'task', 'advice' or 'automatic'" in places["/steps/1/kind"]
    assert places["/steps/2/title"] == "'title' is required here"

    broken = edit(
        client,
        editor_tokens,
        "PUT",
        DRAFT,
        etag,
        content=b"slug: moving\ntitle: {fi: [\n",
        headers={"Content-Type": "application/yaml"},
    )
    assert broken.status_code == 422
    assert "not valid YAML (line" in broken.json()["problems"][0]["message"]
    unchanged = client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()
    assert unchanged["revision"] == 1
    assert unchanged["etag"] == etag


def test_a_deadline_without_its_working_day_rule_is_refused(
    client: TestClient, editor_tokens: Tokens
) -> None:
    draft, etag = start(client, editor_tokens)
    steps = draft["content"]["steps"]
    index = next(i for i, step in enumerate(steps) if step["id"] == "notify-dvv")
    # Stored normalised, the rule is still there even where it is true.
    assert steps[index]["deadline"]["working_day_rule"] is True
    del steps[index]["deadline"]["working_day_rule"]
    refused = edit(client, editor_tokens, "PUT", DRAFT, etag, json=draft["content"])
    assert refused.status_code == 422
    places = {p["pointer"]: p["message"] for p in refused.json()["problems"]}
    assert list(places) == [f"/steps/{index}/deadline/working_day_rule"]
    assert places[f"/steps/{index}/deadline/working_day_rule"].startswith(
        "'working_day_rule' is required here: true if a law sets the limit"
    )


def test_problems_that_parse_are_kept_on_the_draft_and_listed(
    client: TestClient, editor_tokens: Tokens
) -> None:
    draft, etag = start(client, editor_tokens)
    step = draft["content"]["steps"][3]
    step["when"] = {"question": "no_such_question", "equals": "yes"}
    changed = edit(
        client, editor_tokens, "PUT", f"{DRAFT}/steps/{step['id']}", etag, json={"item": step}
    )
    assert changed.status_code == 200, changed.text
    read = client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()
    assert not read["ready_to_publish"]
    assert read["problems"] >= 1
    (problem,) = [p for p in read["problem_list"] if "no_such_question" in p["message"]]
    assert problem["pointer"].startswith("/steps/3/when")
    assert problem["file"] == "moving.yaml"
    listed = client.get("/v1/editor/drafts", headers=bearer(editor_tokens.editor)).json()
    assert listed["drafts"][0]["problems"] == read["problems"]


def test_small_edits(client: TestClient, editor_tokens: Tokens) -> None:
    draft, etag = start(client, editor_tokens)
    ids = step_ids(draft)

    added = edit(
        client,
        editor_tokens,
        "POST",
        f"{DRAFT}/steps",
        etag,
        json={"item": NEW_STEP, "position": 1},
    )
    assert added.status_code == 200, added.text
    assert step_ids(added.json())[:2] == [ids[0], "check-post-forwarding"]
    twice = edit(
        client,
        editor_tokens,
        "POST",
        f"{DRAFT}/steps",
        added.headers["etag"],
        json={"item": NEW_STEP},
    )
    assert twice.status_code == 422

    changed_step = NEW_STEP | {"kind": "task"}
    changed = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/steps/check-post-forwarding",
        added.headers["etag"],
        json={"item": changed_step},
    )
    assert changed.json()["content"]["steps"][1]["kind"] == "task"
    reordered = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/step-order",
        changed.headers["etag"],
        json={"order": list(reversed(step_ids(changed.json())))},
    )
    assert reordered.status_code == 200, reordered.text
    assert step_ids(reordered.json())[0] == ids[-1]
    incomplete = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/step-order",
        reordered.headers["etag"],
        json={"order": ids[:2]},
    )
    assert incomplete.status_code == 422
    deleted = edit(
        client,
        editor_tokens,
        "DELETE",
        f"{DRAFT}/steps/check-post-forwarding",
        reordered.headers["etag"],
    )
    assert "check-post-forwarding" not in step_ids(deleted.json())
    gone = edit(
        client,
        editor_tokens,
        "DELETE",
        f"{DRAFT}/steps/check-post-forwarding",
        deleted.headers["etag"],
    )
    assert gone.status_code == 404

    questions = [q.get("id", q.get("shared")) for q in deleted.json()["content"]["questions"]]
    order = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/question-order",
        deleted.headers["etag"],
        json={"order": [*questions[1:], questions[0]]},
    )
    assert order.status_code == 200, order.text
    moved = [q.get("id", q.get("shared")) for q in order.json()["content"]["questions"]]
    assert moved[-1] == questions[0]
    question = {
        "id": "moving_has_storage",
        "type": "yes_no",
        "label": {"fi": "Varasto?", "sv": "Förråd?", "en": "A storage unit?"},
    }
    new_question = edit(
        client,
        editor_tokens,
        "POST",
        f"{DRAFT}/questions",
        order.headers["etag"],
        json={"item": question},
    )
    assert new_question.status_code == 200, new_question.text
    # Nothing uses it yet: the check says so, and the draft keeps it.
    assert any("moving_has_storage" in p["message"] for p in new_question.json()["problem_list"])
    changed_question = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/questions/moving_has_storage",
        new_question.headers["etag"],
        json={"item": question | {"not_sure": True}},
    )
    assert changed_question.json()["content"]["questions"][-1]["not_sure"] is True
    dropped = edit(
        client,
        editor_tokens,
        "DELETE",
        f"{DRAFT}/questions/moving_has_storage",
        changed_question.headers["etag"],
    )
    assert dropped.status_code == 200
    assert "moving_has_storage" not in str(dropped.json()["content"]["questions"])

    texts = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/texts/sv",
        dropped.headers["etag"],
        json={"texts": {"/title": "Flyttning", "/steps/0/title": None}},
    )
    assert texts.status_code == 200, texts.text
    body = texts.json()
    assert body["content"]["title"]["sv"] == "Flyttning"
    assert "sv" not in body["content"]["steps"][0]["title"]
    (missing,) = [p for p in body["problem_list"] if p["kind"] == "translation"]
    assert missing["pointer"] == "/steps/0/title/sv"
    not_a_text = edit(
        client,
        editor_tokens,
        "PUT",
        f"{DRAFT}/texts/sv",
        texts.headers["etag"],
        json={"texts": {"/steps/0": "x"}},
    )
    assert not_a_text.status_code == 422


def test_a_form_handler_drafts_through_the_service_with_a_session_and_plain_values(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """The functions the JSON routes call, called without a request, as the editors' pages
    do: what they write is what the API reads, and refusals are typed errors."""
    app = client.app
    assert isinstance(app, FastAPI)
    sessions, published = app.state.sessions, app.state.catalogue.current
    eeva = Editor(name="Eeva Editor", role="editor")

    def write(if_match: str, edit: drafts_service.Edit) -> Any:
        with transaction(sessions) as session:
            return drafts_service.write(
                session=session,
                published=published,
                editor=eeva,
                slug="moving",
                if_match=if_match,
                edit=edit,
                action="draft.replace",
            )

    with transaction(sessions) as session:
        started = drafts_service.start(
            session=session, published=published, editor=eeva, slug="moving"
        )
    assert (started.revision, started.ready_to_publish) == (1, True)
    written = write(started.etag, lambda c: c | {"title": c["title"] | {"en": "Moving house"}})
    assert (written.revision, written.content["title"]["en"]) == (2, "Moving house")
    with pytest.raises(PreconditionFailed):
        write(started.etag, lambda c: c)  # someone wrote since that ETag was read
    with pytest.raises(InvalidDraft):
        write(written.etag, lambda c: c | {"steps": "none"})

    read = client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()
    assert (read["etag"], read["content"]) == (written.etag, written.content)
    with transaction(sessions) as session:
        drafts_service.discard(session=session, editor=eeva, slug="moving", if_match=written.etag)
    assert client.get(DRAFT, headers=bearer(editor_tokens.editor)).status_code == 404


def test_a_draft_link_off_the_domain_list_or_in_the_wrong_language_is_listed(
    client: TestClient, editor_tokens: Tokens
) -> None:
    draft, etag = start(client, editor_tokens)
    step = draft["content"]["steps"][0]
    step["links"] = [
        {
            "label": {"fi": "Tiedote", "sv": "Meddelande", "en": "Release"},
            "url": {
                "fi": "https://www.sttinfo.fi/tiedote/1",
                "en": "https://www.kela.fi/sv/flytt",
            },
        }
    ]
    changed = edit(
        client, editor_tokens, "PUT", f"{DRAFT}/steps/{step['id']}", etag, json={"item": step}
    )
    assert changed.status_code == 200, changed.text
    read = client.get(DRAFT, headers=bearer(editor_tokens.editor)).json()
    assert not read["ready_to_publish"]
    places = {p["pointer"]: p["message"] for p in read["problem_list"]}
    assert "press-release mirror" in places["/steps/0/links/0/url/fi"]
    assert "is a page in Swedish" in places["/steps/0/links/0/url/en"]


def test_a_question_in_use_is_not_deleted_through_the_api(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _, etag = start(client, editor_tokens)
    refused = edit(client, editor_tokens, "DELETE", f"{DRAFT}/questions/moving_to", etag)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == PROBLEM_JSON
    body = refused.json()
    assert body["type"] == problem("question-in-use")
    assert {"kind": "question", "name": "moving_abroad_length"} in body["uses"]
    assert "moving_abroad_length" in body["detail"]
    after = client.get(DRAFT, headers=bearer(editor_tokens.editor))
    assert after.headers["etag"] == etag  # nothing changed
    assert any(q.get("id") == "moving_to" for q in after.json()["content"]["questions"])
    unknown = edit(client, editor_tokens, "DELETE", f"{DRAFT}/questions/no_such", etag)
    assert unknown.status_code == 404
