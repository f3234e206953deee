"""Editing a draft through the pages, as a browser does (TestClient, both databases): start a
draft, change a Swedish text and a deadline, add a step with a condition built in the form,
see the problem an unknown question gives, delete with confirmation, reorder, and the conflict
page when two editors save the same draft, where applying again keeps both edits."""

from __future__ import annotations

import re
from contextlib import closing
from html import unescape
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.editor_pages import step_form
from api.editor_pages.problem_text import field_label
from tests.editor_pages.conftest import Tokens, hidden, sign_in

DRAFT = "/editor/journeys/moving/draft"
STEP = f"{DRAFT}/steps/notify-dvv"


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """What a browser would send from the form to `action` (its current values, without the
    submit buttons): inputs, checked boxes, textareas and selected options."""
    forms = re.findall(r'<form [^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    body = next(body for found, body in forms if unescape(found) == action)
    out: list[tuple[str, str]] = []
    for tag in re.finditer(r"<input ([^>]*)>", body):
        attrs = dict(re.findall(r'(\w[\w.-]*)="([^"]*)"', tag.group(1)))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind == "submit":
            continue
        if kind in ("radio", "checkbox") and " checked" not in tag.group(1):
            continue
        out.append((unescape(attrs["name"]), unescape(attrs.get("value", ""))))
    for name, text in re.findall(
        r'<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', body, re.S
    ):
        out.append((unescape(name), unescape(text)))
    for name, options in re.findall(r'<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.findall(r'<option value="([^"]*)" selected>', options)
        first = re.findall(r'<option value="([^"]*)"', options)
        out.append((unescape(name), unescape((chosen or first)[0])))
    return out


def changed(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with some values replaced (names with dots as __, e.g. title__sv)."""
    given = {name.replace("__", "."): value for name, value in values.items()}
    kept = [(name, value) for name, value in fields if name not in given]
    return kept + list(given.items())


def post(client: TestClient, url: str, fields: list[tuple[str, str]], **kwargs: Any) -> Any:
    """The fields posted as a browser does (names may repeat)."""
    return client.post(
        url,
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        **kwargs,
    )


def start(client: TestClient, token: str) -> None:
    sign_in(client, token)
    page = client.get(DRAFT)
    assert page.status_code == 200
    response = client.post(DRAFT, data={"csrf": hidden(page.text, "csrf", DRAFT)})
    assert response.status_code == 200
    assert "The draft was started from the published version." in response.text


def draft(client: TestClient, token: str) -> dict[str, Any]:
    response = client.get("/v1/editor/drafts/moving", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def step_of(content: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(step for step in content["steps"] if step["id"] == step_id)


def test_an_editor_changes_a_swedish_text_and_a_deadline(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    started = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")
    page = client.get(STEP)
    assert page.status_code == 200
    fields = changed(
        form_fields(page.text, STEP),
        title__sv="Gör en flyttanmälan i tid",
        deadline__direction="after",
        deadline__amount="2",
        deadline__unit="weeks",
        deadline__working_day_rule="yes",
    )
    response = post(client, STEP, fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{STEP}?saved=1"
    assert "Saved in the draft." in client.get(response.headers["location"]).text
    step = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")
    assert step["title"]["sv"] == "Gör en flyttanmälan i tid"
    assert step["deadline"]["after"] == {"weeks": 2}
    assert step["deadline"]["working_day_rule"] is True
    # Everything else of the step is as it was (the form round-trips it): the bodies too, to
    # their last line end (a text area gives them back without it).
    assert started["body"]["en"].endswith("\n")
    assert step["body"] == started["body"]
    assert step["sources"] == started["sources"]  # in the step's order, not the boxes'
    before = client.get("/v1/journeys/moving").json()
    assert (
        step["title"]["fi"] == next(s for s in before["steps"] if s["id"] == "notify-dvv")["title"]
    )


def test_a_wrong_value_is_shown_at_its_field_and_what_was_typed_stays(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    fields = changed(
        form_fields(client.get(STEP).text, STEP),
        title__en="A title typed by the editor",
        deadline__direction="after",
        deadline__amount="lots",
    )
    fields = [(k, v) for k, v in fields if k != "deadline.working_day_rule"]
    before = draft(client, editor_tokens.editor)
    response = post(client, STEP, fields)
    assert response.status_code == 422
    html = response.text
    assert '<div class="error-summary"' in html
    assert 'href="#deadline-amount"' in html
    assert 'href="#deadline-working_day_rule"' in html
    assert 'id="deadline-amount-error"' in html
    assert 'value="lots"' in html
    assert 'value="A title typed by the editor"' in html
    assert draft(client, editor_tokens.editor)["revision"] == before["revision"]


def test_a_new_step_with_a_condition_built_in_the_form(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    new = f"{DRAFT}/new-step"
    fields = changed(
        form_fields(client.get(new).text, new),
        id="check-the-mailbox",
        kind="task",
        timing="after",
        title__fi="Tarkista postilaatikko",
        body__fi="Katso, että **posti** tulee.",
        when__question="moving_to",
        when__operator="equals",
        when__value="abroad",
    )
    response = post(client, new, fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    step = step_of(draft(client, editor_tokens.editor)["content"], "check-the-mailbox")
    assert step["when"] == {"question": "moving_to", "equals": "abroad"}
    page = client.get(response.headers["location"]).text
    assert "<strong>posti</strong>" in page  # the preview, rendered as the citizen pages do
    assert 'value="abroad"' in page

    # A condition naming an unknown question is saved, and its problem shown at the field.
    address = f"{DRAFT}/steps/check-the-mailbox"
    fields = changed(form_fields(page, address), when__question="no_such_question")
    response = post(client, address, fields)
    assert response.status_code == 200
    html = response.text
    assert 'href="#when-question"' in html
    assert "no_such_question" in html
    overview = client.get(DRAFT).text
    assert f'href="{address}#when-question"' in overview


def test_a_condition_in_yaml_and_a_broken_one(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    fields = form_fields(client.get(STEP).text, STEP)
    yaml = (
        "any:\n  - {question: moving_to, equals: abroad}\n  - {question: children, equals: 'yes'}"
    )
    response = post(client, STEP, changed(fields, when__yaml=yaml), follow_redirects=False)
    assert response.status_code == 303, response.text
    when = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")["when"]
    assert when["any"][1] == {"question": "children", "equals": "yes"}
    page = client.get(STEP).text
    assert "any:" in page  # a group is shown in the YAML field
    response = post(client, STEP, changed(form_fields(page, STEP), when__yaml="any: [\n"))
    assert response.status_code == 422
    assert 'href="#when-yaml"' in response.text


def test_delete_asks_first_and_reorder_moves_one_place(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    order = [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]]
    confirm = client.get(f"{STEP}/delete")
    assert confirm.status_code == 200
    assert order[0] in [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]]
    response = post(client, f"{STEP}/delete", form_fields(confirm.text, f"{STEP}/delete"))
    assert "The step was deleted." in response.text
    after = [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]]
    assert "notify-dvv" not in after
    assert len(after) == len(order) - 1

    second = after[1]
    move = f"{DRAFT}/steps/{second}/move"
    fields = form_fields(client.get(DRAFT).text, move)
    response = post(client, move, [*fields, ("direction", "up")])
    assert "The order was changed." in response.text
    moved = [s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]]
    assert moved == [after[1], after[0], *after[2:]]

    questions = [
        q.get("id") or q.get("shared")
        for q in draft(client, editor_tokens.editor)["content"]["questions"]
    ]
    move = f"{DRAFT}/questions/{questions[0]}/move"
    fields = form_fields(client.get(DRAFT).text, move)
    post(client, move, [*fields, ("direction", "down")])
    content = draft(client, editor_tokens.editor)["content"]
    assert [q.get("id") or q.get("shared") for q in content["questions"]][:2] == [
        questions[1],
        questions[0],
    ]


def test_two_editors_the_conflict_page_and_applying_again_keeps_both(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    mine = form_fields(client.get(STEP).text, STEP)
    with closing(TestClient(client.app)) as other:  # another browser, the same running app
        sign_in(other, editor_tokens.publisher)
        theirs = form_fields(other.get(STEP).text, STEP)
        saved = post(other, STEP, changed(theirs, title__en="Their English title"))
        assert saved.status_code == 200
    response = post(client, STEP, changed(mine, title__sv="Min svenska titel"))
    assert response.status_code == 409
    html = response.text
    assert "Someone else saved the draft meanwhile" in html
    assert "Paavo Publisher" in html
    assert "title.en" in html
    assert "Their English title" in html
    assert "title.sv" in html
    assert "Min svenska titel" in html
    step = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")
    assert step["title"]["sv"] != "Min svenska titel"  # nothing saved yet

    again = post(client, STEP, form_fields(html, STEP), follow_redirects=False)
    assert again.status_code == 303, again.text
    step = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")
    assert step["title"]["en"] == "Their English title"
    assert step["title"]["sv"] == "Min svenska titel"


def test_a_stale_delete_or_move_shows_the_conflict_page(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    overview = client.get(DRAFT).text
    confirm = client.get(f"{STEP}/delete").text
    saved = post(client, STEP, changed(form_fields(client.get(STEP).text, STEP), title__en="x"))
    assert saved.status_code == 200
    move = f"{DRAFT}/steps/notify-dvv/move"
    response = post(client, move, [*form_fields(overview, move), ("direction", "down")])
    assert response.status_code == 409
    response = post(client, f"{STEP}/delete", form_fields(confirm, f"{STEP}/delete"))
    assert response.status_code == 409
    assert "notify-dvv" in [
        s["id"] for s in draft(client, editor_tokens.editor)["content"]["steps"]
    ]
    response = post(client, f"{STEP}/delete", form_fields(response.text, f"{STEP}/delete"))
    assert "The step was deleted." in response.text


def test_whitespace_around_a_text_is_no_change() -> None:
    base = {"body": {"fi": "Teksti.\n", "sv": "Text.\n"}}
    mine = {"body": {"fi": "Teksti.", "sv": "Ny text."}}
    current = {"body": {"fi": "Teksti.\n", "sv": "Text.\n", "en": "Text.\n"}}
    assert step_form.merge(base, mine, current) == {
        "body": {"fi": "Teksti.\n", "sv": "Ny text.", "en": "Text.\n"}
    }
    assert step_form.changes(base, mine) == {"body.sv": ("Text.\n", "Ny text.")}


def test_merge_takes_mine_where_i_changed_and_theirs_elsewhere() -> None:
    base = {"title": {"fi": "a", "sv": "b"}, "kind": "task", "earliest": {"x": 1}}
    mine = {"title": {"fi": "a", "sv": "B"}, "kind": "task", "earliest": {"x": 1}}
    current = {"title": {"fi": "A", "sv": "b", "en": "c"}, "kind": "advice"}
    assert step_form.merge(base, mine, current) == {
        "title": {"fi": "A", "sv": "B", "en": "c"},
        "kind": "advice",
    }


FIELD_NAMES = st.sampled_from(
    [
        "revision",
        "original",
        "links",
        "id",
        "kind",
        "timing",
        "organisation",
        "title.fi",
        "summary.sv",
        "you_will_need.en",
        "body.sv",
        "link-0.url.fi",
        "link-0.label.fi",
        "sources",
        "after",
        "deadline.direction",
        "deadline.amount",
        "deadline.unit",
        "deadline.source",
        "deadline.working_day_rule",
        "when.question",
        "when.operator",
        "when.value",
        "when.yaml",
        "direction",
        "action",
    ]
)
FIELD_VALUES = st.text(max_size=60) | st.sampled_from(
    [
        *("after", "before", "yes", "no", "99999999999", "-1", "{}", "[]", "any: [", "preview"),
        *("up", "¹", "٣", "99999999"),
    ]
)


def test_no_draft_form_answers_with_a_server_error(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """With a draft to edit: the real fields with random values, some left out, at the
    form's revision (so the edit reaches the service) or not."""
    start(client, editor_tokens.editor)
    forms = [
        STEP,
        f"{DRAFT}/texts",
        f"{DRAFT}/new-step",
        f"{STEP}/delete",
        f"{STEP}/move",
        f"{DRAFT}/questions/moving_to/move",
    ]
    real = {address: form_fields(client.get(STEP).text, STEP) for address in forms}

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        address=st.sampled_from(forms),
        fields=st.lists(st.tuples(FIELD_NAMES, FIELD_VALUES), max_size=8),
        keep=st.booleans(),
        current=st.booleans(),
    )
    def run(address: str, fields: list[tuple[str, str]], keep: bool, current: bool) -> None:
        base = [(k, v) for k, v in real[address] if keep or k == "csrf"]
        if current:
            base = [*base, ("revision", draft(client, editor_tokens.editor)["etag"])]
        response = post(client, address, [*base, *fields], follow_redirects=False)
        assert response.status_code < 500, response.text[:2000]
        if response.status_code != 303:
            assert response.headers["content-type"].startswith("text/html")

    run()


def test_a_step_form_shows_at_most_fifty_link_rows(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """The form says how many link rows it has; a number no browser sends (99,999,999) must
    not make the page render that many (it would hold the worker)."""
    start(client, editor_tokens.editor)
    fields = changed(form_fields(client.get(STEP).text, STEP), title__fi="")
    response = post(
        client, STEP, [*[(k, v) for k, v in fields if k != "links"], ("links", "99999999")]
    )
    assert response.status_code == 422
    assert response.text.count('name="link-49.url.fi"') == 1
    assert 'name="link-50.url.fi"' not in response.text


def test_the_journeys_texts_side_by_side(client: TestClient, editor_tokens: Tokens) -> None:
    start(client, editor_tokens.editor)
    address = f"{DRAFT}/texts"
    page = client.get(address)
    assert page.status_code == 200
    fields = changed(
        form_fields(page.text, address),
        summary__sv="En ny sammanfattning.",
        you_will_need__en="- your **new** address",
    )
    response = post(client, address, fields)
    assert response.status_code == 200
    assert "<strong>new</strong>" in response.text
    content = draft(client, editor_tokens.editor)["content"]
    assert content["summary"]["sv"] == "En ny sammanfattning."
    assert content["you_will_need"]["en"] == "- your **new** address"
    # Removing the Finnish title is refused at its field; nothing is saved.
    response = post(client, address, changed(form_fields(response.text, address), title__fi=""))
    assert response.status_code == 422
    assert 'href="#title-fi"' in response.text
    assert draft(client, editor_tokens.editor)["content"]["title"]["fi"]


def test_a_question_its_options_and_when_it_is_asked(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    address = f"{DRAFT}/questions/moving_abroad_length"
    page = client.get(address)
    assert page.status_code == 200
    fields = changed(
        form_fields(page.text, address),
        label__sv="Hur länge bor du utomlands?",
        **{"option-0.label.en": "Less than a year (edited)"},
    )
    response = post(client, address, fields)
    assert response.status_code == 200
    assert "Saved in the draft." in response.text
    question = next(
        q
        for q in draft(client, editor_tokens.editor)["content"]["questions"]
        if q.get("id") == "moving_abroad_length"
    )
    assert question["label"]["sv"] == "Hur länge bor du utomlands?"
    assert question["options"][0]["label"]["en"] == "Less than a year (edited)"
    assert question["asked_when"]  # kept as it was
    # An option without its id is refused at the field; nothing is saved.
    fields = changed(form_fields(response.text, address), **{"option-0.id": ""})
    response = post(client, address, fields)
    assert response.status_code == 422
    assert 'href="#option-0-id"' in response.text
    # A shared question is not edited here.
    assert "shared/questions.yaml" in client.get(f"{DRAFT}/questions/children").text


def test_the_error_summary_names_the_field_in_the_editors_language(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    finnish = TestClient(client.app)
    with closing(finnish):
        sign_in(finnish, editor_tokens.editor, lang="fi")
        for browser, lang, expected in (
            (client, "en", "Deadline, Amount: expected a whole number"),
            (finnish, "fi", "Määräaika, Määrä: odotettiin kokonaislukua"),
        ):
            fields = changed(
                form_fields(browser.get(STEP).text, STEP),
                deadline__direction="after",
                deadline__amount="abc",
                **{"link-0.url.sv": "not a web address"},
            )
            html = post(browser, STEP, fields).text
            _check_summary(html, lang, expected)


def _check_summary(html: str, lang: str, expected: str) -> None:
    assert f'<a href="#deadline-amount">{expected}</a>' in html, lang
    link = "Link 1, Address, Swedish" if lang == "en" else "Linkki 1, Osoite, ruotsi"
    assert f'<a href="#link-0-url-sv">{link}: ' in html, lang


def test_field_labels_of_rows_and_conditions() -> None:
    assert field_label("when.0.1.operator", "en") == "Rule 1.2, Comparison"
    assert field_label("when.yaml", "en") == "Condition, Or the condition in YAML"
    assert field_label("option-2.label.fi", "en") == "Option 3, Answer, Finnish"
    assert field_label("earliest.amount", "sv") != field_label("earliest.amount", "en")
    assert field_label("nonsense.field", "en") == ""
