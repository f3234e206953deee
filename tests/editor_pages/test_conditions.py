"""A step's condition in the structured form (both databases): rules and groups of all/any/not
added and removed with buttons that post the form (no scripts), everything typed and the
revision kept; saved as the condition the form shows; a problem in a nested rule shown at its
field; what the form cannot show kept in the YAML field, the page saying why."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.editor_pages import step_form
from tests.editor_pages.conftest import Tokens, hidden
from tests.editor_pages.test_drafts import STEP, changed, draft, form_fields, post, start, step_of


def press(client: TestClient, fields: list[tuple[str, str]], action: str) -> Any:
    """A condition button pressed: the form again, nothing saved."""
    response = post(client, STEP, [*fields, ("action", action)])
    assert response.status_code == 200, response.text
    return response


def test_a_group_is_built_with_the_buttons_and_saved(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    before = draft(client, editor_tokens.editor)
    page = client.get(STEP).text
    revision = hidden(page, "revision", STEP)
    fields = changed(
        form_fields(page, STEP),
        title__en="Typed, not saved yet",
        when__question="moving_to",
        when__operator="equals",
        when__value="abroad",
    )
    # "Add a rule" on one rule: a group (all) of it and a new empty rule.
    html = press(client, fields, "condition:add-rule:when").text
    assert 'id="when-group"' in html
    assert 'id="when-1-question"' in html
    assert 'value="abroad"' in html  # the first rule, now when.0
    assert 'value="Typed, not saved yet"' in html
    assert hidden(html, "revision", STEP) == revision
    assert 'id="when-1-question" name="when.1.question" autofocus' in html
    fields = changed(
        form_fields(html, STEP),
        when__group="any",
        when__1__question="children",
        when__1__operator="equals",
        when__1__value="yes",
    )
    # A nested group, then removed again; then a "not" group added and filled.
    html = press(client, fields, "condition:add-group:when").text
    assert 'id="when-2-group"' in html
    assert 'id="when-2-0-question"' in html
    html = press(client, form_fields(html, STEP), "condition:remove:when.2").text
    assert 'id="when-2-group"' not in html
    html = press(client, form_fields(html, STEP), "condition:add-group:when").text
    fields = changed(
        form_fields(html, STEP),
        when__2__group="not",
        when__2__0__question="moving_from_nordic",
        when__2__0__value="yes",
    )
    html = press(client, fields, "condition:add-rule:when.2").text
    fields = changed(
        form_fields(html, STEP),
        when__2__1__question="moving_to",
        when__2__1__operator="one_of",
        when__2__1__value="same_municipality, other_municipality",
    )
    assert draft(client, editor_tokens.editor)["revision"] == before["revision"]

    response = post(client, STEP, [*fields, ("action", "save")], follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = draft(client, editor_tokens.editor)
    assert step_of(saved["content"], "notify-dvv")["when"] == {
        "any": [
            {"question": "moving_to", "equals": "abroad"},
            {"question": "children", "equals": "yes"},
            {
                "not": {
                    "any": [
                        {"question": "moving_from_nordic", "equals": "yes"},
                        {
                            "question": "moving_to",
                            "one_of": ["same_municipality", "other_municipality"],
                        },
                    ]
                }
            },
        ]
    }
    assert step_of(saved["content"], "notify-dvv")["title"]["en"] == "Typed, not saved yet"
    # Read back into the same form, nothing in the YAML field.
    page = client.get(STEP).text
    again = dict(form_fields(page, STEP))
    assert again["when.group"] == "any"
    assert again["when.2.group"] == "not"
    assert again["when.2.1.value"] == "same_municipality, other_municipality"
    assert again["when.yaml"] == ""
    assert "shown as YAML only" not in page
    assert 'id="when-' not in page.split('class="error-message"', 1)[-1][:40]  # no problem


def test_an_unknown_question_in_a_nested_rule_is_shown_at_its_field(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    fields = changed(
        form_fields(client.get(STEP).text, STEP),
        when__group="all",
        when__count="2",
        when__0__question="moving_to",
        when__0__operator="equals",
        when__0__value="abroad",
        when__1__question="no_such_question",
        when__1__operator="equals",
        when__1__value="yes",
    )
    single = ("when.question", "when.operator", "when.value")
    fields = [(k, v) for k, v in fields if k not in single]
    response = post(client, STEP, [*fields, ("action", "save")])
    html = response.text
    assert 'href="#when-1-question"' in html
    assert 'id="when-1-question-error"' in html
    assert "no_such_question" in html
    overview = client.get("/editor/journeys/moving/draft").text
    assert f'href="{STEP}#when-1-question"' in overview


def test_what_the_form_cannot_show_stays_in_yaml_and_the_page_says_why(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    rule = "{question: moving_to, equals: abroad}"
    deep = "all: [{any: [{all: [{any: [{all: [" + rule + "]}]}]}]}]"
    fields = changed(form_fields(client.get(STEP).text, STEP), when__yaml=deep)
    response = post(client, STEP, [*fields, ("action", "save")], follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get(STEP).text
    assert "This condition is shown as YAML only:" in page
    assert "nested deeper than the form shows" in page
    assert 'name="when.question"' not in page
    # Saved again unchanged, the condition is as it was.
    response = post(client, STEP, [*form_fields(page, STEP), ("action", "save")])
    when = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")["when"]
    assert when["all"][0]["any"][0]["all"][0]["any"][0]["all"][0]["question"] == "moving_to"


def test_a_button_for_a_place_the_form_does_not_have_changes_nothing(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    fields = form_fields(client.get(STEP).text, STEP)
    for action in ("condition:remove:when.7", "condition:add-rule:x", "condition:nothing:when"):
        html = press(client, fields, action).text
        assert dict(form_fields(html, STEP)) == dict(fields)


RULE = {"question": "moving_to", "equals": "abroad"}


@pytest.mark.parametrize(
    "when",
    [
        RULE,
        {"question": "children", "answered": True},
        {"question": "moving_to", "one_of": ["abroad", "to_finland"]},
        {"any": [RULE]},
        {"all": [RULE, {"not": RULE}]},
        {"not": {"any": [RULE, {"question": "age", "at_least": 65}]}},
        {"not": {"any": [RULE]}},
        {"all": [{"any": [{"all": [RULE]}]}]},
    ],
)
def test_the_form_shows_a_condition_and_gives_it_back_the_same(when: dict[str, Any]) -> None:
    fields = step_form.when_fields(when)
    assert "when.yaml" not in fields
    assert step_form.condition(fields) == when


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ({"all": [{"any": [{"all": [{"any": [{"all": [RULE]}]}]}]}]}, "deep"),
        ({"all": []}, "empty"),
        ({"question": "moving_to", "equals": "abroad", "one_of": ["x"]}, "shape"),
        ({"question": "moving_to", "equals": ["abroad"]}, "value"),
        ({"any": [dict(RULE) for _ in range(21)]}, "many"),
    ],
)
def test_what_the_form_cannot_show_is_yaml_with_a_reason(when: dict[str, Any], reason: str) -> None:
    fields = step_form.when_fields(when)
    assert fields["when.reason"] == reason
    assert step_form.yaml_only_reason(fields) == reason
    assert step_form.condition(fields) == when


def test_a_finnish_editor_reads_the_checkers_problem_in_finnish(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    page = client.get(STEP).text
    client.post(
        "/editor/language",
        data={"csrf": hidden(page, "csrf", "/editor/language"), "back": STEP, "lang": "fi"},
    )
    fields = changed(form_fields(client.get(STEP).text, STEP), when__question="no_such_question")
    html = post(client, STEP, [*fields, ("action", "save")]).text
    assert "tuntematon kysymys &#39;no_such_question&#39;: sitä ei kysytä tällä polulla" in html
    assert "unknown question" not in html
    overview = client.get("/editor/journeys/moving/draft").text
    assert "tuntematon kysymys" in overview
