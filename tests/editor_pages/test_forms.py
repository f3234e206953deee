"""The draft forms added beside the step form, as a browser uses them (TestClient, both
databases): a new question, its options moved, a question deleted only when nothing uses it,
and a new journey from the template."""

from __future__ import annotations

from contextlib import closing
from typing import Any

from fastapi.testclient import TestClient

from tests.editor_pages.conftest import Tokens, hidden, sign_in
from tests.editor_pages.test_drafts import DRAFT, changed, draft, form_fields, post, start

NEW_QUESTION = f"{DRAFT}/new-question"


def question_of(content: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((q for q in content["questions"] if q.get("id") == key), None)


def test_a_new_question_and_its_options_moved(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    assert f'href="{NEW_QUESTION}"' in client.get(DRAFT).text
    page = client.get(NEW_QUESTION)
    assert page.status_code == 200
    typed = changed(
        form_fields(page.text, NEW_QUESTION),
        id="Has Pets",  # not an id: refused at the field, what was typed kept
        label__fi="Onko sinulla lemmikkejä?",
        **{"option-0.id": "dog", "option-0.label.fi": "Koira"},
        **{"option-1.id": "cat", "option-1.label.fi": "Kissa"},
    )
    refused = post(client, NEW_QUESTION, typed)
    assert refused.status_code == 422
    assert 'href="#id"' in refused.text
    assert 'value="Has Pets"' in refused.text
    assert 'value="Onko sinulla lemmikkejä?"' in refused.text
    assert question_of(draft(client, editor_tokens.editor)["content"], "has_pets") is None

    saved = post(
        client, NEW_QUESTION, changed(form_fields(refused.text, NEW_QUESTION), id="has_pets")
    )
    assert saved.status_code == 200
    assert "Saved in the draft." in saved.text
    question = question_of(draft(client, editor_tokens.editor)["content"], "has_pets")
    assert question is not None
    assert [o["id"] for o in question["options"]] == ["dog", "cat"]

    # "Move down" on the first option saves the options in their new order.
    address = f"{DRAFT}/questions/has_pets"
    moved = post(client, address, [*form_fields(saved.text, address), ("action", "down-0")])
    assert moved.status_code == 200
    question = question_of(draft(client, editor_tokens.editor)["content"], "has_pets")
    assert question is not None
    assert [o["id"] for o in question["options"]] == ["cat", "dog"]
    assert question["options"][0]["label"]["fi"] == "Kissa"

    # A form read before someone else saved shows the conflict page, not a silent overwrite.
    stale = form_fields(client.get(NEW_QUESTION).text, NEW_QUESTION)
    post(client, address, [*form_fields(client.get(address).text, address), ("action", "up-1")])
    conflict = post(client, NEW_QUESTION, changed(stale, id="other", label__fi="Muu"))
    assert conflict.status_code == 409
    assert question_of(draft(client, editor_tokens.editor)["content"], "other") is None


def test_a_question_in_use_is_not_deleted(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    address = f"{DRAFT}/questions/moving_to/delete"
    page = client.get(address)
    assert page.status_code == 200
    assert "It cannot be deleted while these still use it" in page.text
    assert "Question: moving_abroad_length" in page.text
    assert "Yes, delete the question" not in page.text
    # Posted anyway (an old page): refused, nothing changed, the uses named.
    etag = draft(client, editor_tokens.editor)["etag"]
    fields = [("csrf", hidden(page.text, "csrf")), ("revision", etag)]
    refused = post(client, address, fields)
    assert refused.status_code == 422
    assert "Nothing was deleted: something still uses it." in refused.text
    assert question_of(draft(client, editor_tokens.editor)["content"], "moving_to") is not None
    assert draft(client, editor_tokens.editor)["etag"] == etag


def test_an_unused_question_is_deleted_after_asking(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    page = client.get(NEW_QUESTION)
    fields = changed(
        form_fields(page.text, NEW_QUESTION),
        id="unused",
        type="yes_no",
        label__fi="Turha?",
        **{"option-0.id": "", "option-1.id": ""},
    )
    saved = post(client, NEW_QUESTION, fields)
    assert saved.status_code == 200, saved.text
    address = f"{DRAFT}/questions/unused/delete"
    confirm = client.get(address)
    assert "Yes, delete the question" in confirm.text
    response = post(client, address, form_fields(confirm.text, address))
    assert "The question was deleted." in response.text
    assert question_of(draft(client, editor_tokens.editor)["content"], "unused") is None


def test_a_new_journey_from_the_template(client: TestClient, editor_tokens: Tokens) -> None:
    sign_in(client, editor_tokens.editor)
    dashboard = client.get("/editor/")
    assert 'href="/editor/new-journey"' in dashboard.text
    page = client.get("/editor/new-journey")
    assert page.status_code == 200
    refused = post(
        client,
        "/editor/new-journey",
        [("csrf", hidden(page.text, "csrf")), ("slug", "moving"), ("title.fi", ""), ("owner", "")],
    )
    assert refused.status_code == 422
    for field in ("slug", "title-fi", "owner"):
        assert f'href="#{field}"' in refused.text
    assert "A journey with this address name exists already" in refused.text
    assert 'value="moving"' in refused.text

    created = post(
        client,
        "/editor/new-journey",
        [
            ("csrf", hidden(page.text, "csrf")),
            ("slug", "getting-a-pet"),
            ("title.fi", "Lemmikin hankkiminen"),
            ("owner", "dvv"),
        ],
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    assert created.headers["location"] == "/editor/journeys/getting-a-pet/draft?done=created"
    overview = client.get(created.headers["location"])
    assert overview.status_code == 200
    assert "The new journey was created as a draft." in overview.text
    assert "Lemmikin hankkiminen" in overview.text
    assert "Problems on the draft" in overview.text  # translations missing, named
    response = client.get(
        "/v1/editor/drafts/getting-a-pet",
        headers={"Authorization": f"Bearer {editor_tokens.editor}"},
    )
    assert response.json()["content"]["steps"][0]["id"] == "first-step"
    listed = client.get("/editor/").text
    assert 'id="journey-getting-a-pet"' in listed
    # The same address again is refused at its field.
    again = post(
        client,
        "/editor/new-journey",
        [
            ("csrf", hidden(page.text, "csrf")),
            ("slug", "getting-a-pet"),
            ("title.fi", "Toinen"),
            ("owner", "dvv"),
        ],
    )
    assert again.status_code == 422
    assert "A journey with this address name exists already" in again.text


def test_scenarios_edited_added_and_deleted(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    before = draft(client, editor_tokens.editor)["content"]["scenarios"]
    assert f'href="{DRAFT}/scenarios/1"' in client.get(DRAFT).text
    address = f"{DRAFT}/scenarios/1"
    page = client.get(address)
    assert page.status_code == 200
    assert 'name="expect.steps" value="notify-dvv" id="expect-steps" checked' in page.text
    assert '<option value="same_municipality" selected>' in page.text
    saved = post(client, address, changed(form_fields(page.text, address), name="Aino (edited)"))
    assert saved.status_code == 200, saved.text
    assert "Saved in the draft." in saved.text
    first = draft(client, editor_tokens.editor)["content"]["scenarios"][0]
    assert first["name"] == "Aino (edited)"
    assert first["answers"] == before[0]["answers"]
    assert first["expect"]["due"] == before[0]["expect"]["due"]  # not in the form: kept

    new = f"{DRAFT}/new-scenario"
    fields = changed(
        form_fields(client.get(new).text, new),
        name="Someone moving abroad",
        event_date="2027-13-01",  # not a date: refused at the field, kept as typed
        moving_to="abroad",
        children="no",
    )
    refused = post(client, new, [*fields, ("expect.steps", "notify-dvv")])
    assert refused.status_code == 422
    assert 'href="#event_date"' in refused.text
    assert 'type="text" id="event_date" name="event_date" value="2027-13-01"' in refused.text
    assert '<option value="abroad" selected>' in refused.text
    assert 'value="notify-dvv" id="expect-steps" checked' in refused.text
    fields = changed(form_fields(refused.text, new), event_date="2027-05-03")
    added = post(client, new, fields)
    assert added.status_code == 200, added.text
    scenarios = draft(client, editor_tokens.editor)["content"]["scenarios"]
    assert len(scenarios) == len(before) + 1
    last = scenarios[-1]
    assert last["answers"]["moving_to"] == "abroad"
    assert last["event_date"] == "2027-05-03"
    assert last["expect"]["steps"] == ["notify-dvv"]

    remove = f"{DRAFT}/scenarios/{len(scenarios)}/delete"
    confirm = client.get(remove)
    assert "Yes, delete the scenario" in confirm.text
    response = post(client, remove, form_fields(confirm.text, remove))
    assert "The scenario was deleted." in response.text
    assert len(draft(client, editor_tokens.editor)["content"]["scenarios"]) == len(before)


def test_sources_keywords_and_chains(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    address = f"{DRAFT}/journey"
    assert f'href="{address}"' in client.get(DRAFT).text
    page = client.get(address)
    assert page.status_code == 200
    assert 'value="home_municipality_act"' in page.text
    before = draft(client, editor_tokens.editor)["content"]
    row = len(before.get("chains") or [])
    fields = changed(
        form_fields(page.text, address),
        keywords__sv="flytt\nflytta, ny adress",
        **{
            f"chain-{row}.journey": "having-a-child",
            f"chain-{row}.mode": "suggest",
            f"chain-{row}.reason.fi": "Perhe kasvaa",
            f"chain-{row}.reason.sv": "Familjen växer",
            f"chain-{row}.reason.en": "The family grows",
            f"chain-{row}.when": "{question: children, equals: 'yes'}",
        },
    )
    saved = post(client, address, fields)
    assert saved.status_code == 200, saved.text
    assert "Saved in the draft." in saved.text
    content = draft(client, editor_tokens.editor)["content"]
    assert content["keywords"]["sv"] == ["flytt", "flytta", "ny adress"]
    assert content["keywords"]["fi"] == before["keywords"]["fi"]
    chain = content["chains"][row]
    assert chain["journey"] == "having-a-child"
    assert chain["when"] == {"question": "children", "equals": "yes"}
    assert content["sources"] == before["sources"]

    # A source without its address: refused at the field, what was typed kept.
    fields = changed(form_fields(saved.text, address), **{"source-0.url": "", "keywords.en": "x"})
    refused = post(client, address, fields)
    assert refused.status_code == 422
    assert 'href="#source-0-url"' in refused.text
    assert draft(client, editor_tokens.editor)["content"]["sources"] == before["sources"]
    # A broken condition is refused at its field before anything is written.
    fields = changed(form_fields(saved.text, address), **{f"chain-{row}.when": "{question: ["})
    broken = post(client, address, fields)
    assert broken.status_code == 422
    assert f'href="#chain-{row}-when"' in broken.text


def test_a_steps_earliest_day(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    address = f"{DRAFT}/steps/notify-dvv"
    page = client.get(address)
    # The bundled step's earliest day (one month before, from suomifi_move) is in the form.
    checked = 'name="earliest.direction" value="before" id="earliest-direction-before" checked'
    assert checked in page.text
    assert 'name="deadline.working_day_rule"' in page.text
    fields = changed(
        form_fields(page.text, address),
        **{
            "earliest.direction": "before",
            "earliest.amount": "2",
            "earliest.unit": "weeks",
            "earliest.source": "home_municipality_act",
        },
    )
    saved = post(client, address, fields)
    assert saved.status_code == 200, saved.text
    step = next(
        s
        for s in draft(client, editor_tokens.editor)["content"]["steps"]
        if s["id"] == "notify-dvv"
    )
    assert step["earliest"] == {"before": {"weeks": 2}, "source": "home_municipality_act"}
    assert "working_day_rule" in step["deadline"]  # the deadline keeps its rule
    # An amount that is no number is refused at its field, and kept as typed.
    fields = changed(form_fields(saved.text, address), **{"earliest.amount": "soon"})
    refused = post(client, address, fields)
    assert refused.status_code == 422
    assert 'href="#earliest-amount"' in refused.text
    assert 'value="soon"' in refused.text
    # No earliest day: removed from the step.
    fields = changed(form_fields(saved.text, address), **{"earliest.direction": "none"})
    assert post(client, address, fields).status_code == 200
    step = next(
        s
        for s in draft(client, editor_tokens.editor)["content"]["steps"]
        if s["id"] == "notify-dvv"
    )
    assert "earliest" not in step


def test_a_chains_condition_refused_in_finnish_at_its_field(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    address = f"{DRAFT}/journey"
    finnish = TestClient(client.app)
    with closing(finnish):
        sign_in(finnish, editor_tokens.editor, lang="fi")
        page = finnish.get(address)
        row = len(draft(client, editor_tokens.editor)["content"].get("chains") or [])
        fields = changed(
            form_fields(page.text, address),
            **{f"chain-{row}.journey": "having-a-child", f"chain-{row}.when": "- a list"},
        )
        refused = post(finnish, address, fields)
    assert refused.status_code == 422
    assert f'<a href="#chain-{row}-when">Muu polku {row + 1}, ' in refused.text
    assert "ehto on avain–arvo-rakenne" in refused.text
