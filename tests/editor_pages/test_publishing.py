"""Preview, publishing, comparing and rolling back on the editor pages: a draft is started and
changed through the JSON API (the editing forms are another page's), then everything else is
done as a browser does it, on both databases."""

from __future__ import annotations

import copy
import re
from html import unescape
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from tests.editor.conftest import bearer
from tests.editor_pages.conftest import Tokens, csrf_of, hidden, sign_in

SWEDISH = "Gör en flyttanmälan – ÄNDRAD I UTKASTET"
AINO = "moving_to=same_municipality&children=no&moving_housing_allowance=yes&event_date=2027-03-15"


def _draft(client: TestClient, token: str, change: Any = None) -> dict[str, Any]:
    """Start a draft of `moving` through the API, with `change` applied to its content."""
    started = client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
    assert started.status_code == 201, started.text
    draft = started.json()
    if change is None:
        return dict(draft)
    content = draft["content"]
    change(content)
    put = client.put(
        "/v1/editor/drafts/moving",
        json=content,
        headers={**bearer(token), "If-Match": draft["etag"]},
    )
    assert put.status_code == 200, put.text
    return dict(put.json())


def _swedish_title(content: dict[str, Any]) -> None:
    content["steps"][0]["title"]["sv"] = SWEDISH


def _break_a_scenario(content: dict[str, Any]) -> None:
    content["scenarios"][0]["expect"]["due"] = {"notify-dvv": "2027-03-23"}


def test_the_preview_in_swedish_shows_the_draft_and_the_banner(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft(client, editor_tokens.editor, _swedish_title)
    sign_in(client, editor_tokens.editor, lang="en")
    page = client.get(f"/editor/journeys/moving/preview/plan?lang=sv&{AINO}")
    assert page.status_code == 200, page.text
    assert '<html lang="sv">' in page.text
    assert SWEDISH in page.text
    assert "Förhandsvisning – inte publicerad" in page.text
    assert 'class="preview-banner"' in page.text
    assert '<meta name="robots" content="noindex">' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-robots-tag"] == "noindex"
    # Nothing of the citizen's saving: the save form posts to the scenario form instead.
    assert "/moving/save" not in page.text
    assert 'action="/editor/journeys/moving/scenarios"' in page.text
    # The published citizen page does not have the change.
    assert SWEDISH not in client.get(f"/sv/moving/plan?{AINO}").text


def test_the_preview_page_has_the_scenario_table_and_the_diff(
    client: TestClient, editor_tokens: Tokens
) -> None:
    def change(content: dict[str, Any]) -> None:
        _swedish_title(content)
        _break_a_scenario(content)
        added = copy.deepcopy(next(s for s in content["steps"] if s["id"] == "update-contracts"))
        content["steps"].append(added | {"id": "check-the-mailbox"})

    _draft(client, editor_tokens.editor, change)
    sign_in(client, editor_tokens.editor, lang="en")
    page = client.get("/editor/journeys/moving/preview")
    assert page.status_code == 200, page.text
    text = unescape(page.text)
    table = text[text.index('class="scenario-table"') : text.index("</table>")]
    assert table.count("Fails") >= 1
    assert "Passes" in table
    assert "expected 'notify-dvv' due on 2027-03-23, but it is due on 2027-03-22" in table
    assert "/editor/journeys/moving/preview/plan?lang=sv&" in table
    diff = text[text.index("Changes against the published version") :]
    assert "Added: check-the-mailbox" in diff
    swedish = diff[diff.index("<dt>Swedish</dt>") : diff.index("<dt>English</dt>")]
    assert "/steps/0/title/sv" in swedish or "notify-dvv" in swedish
    assert "Scenarios whose plan changes" in diff
    assert "Steps added: moving/check-the-mailbox" in diff


def test_saving_the_answers_as_a_scenario_expects_the_outcome(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft(client, editor_tokens.editor)
    sign_in(client, editor_tokens.editor, lang="en")
    page = client.get(f"/editor/journeys/moving/preview/plan?lang=fi&{AINO}").text
    action = "/editor/journeys/moving/scenarios"
    form = {name: hidden(page, name, action) for name in ("csrf", "revision", "answers")}
    saved = client.post(action, data={**form, "name": "Aino again"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/editor/journeys/moving/preview?saved=1"
    draft = client.get("/v1/editor/drafts/moving", headers=bearer(editor_tokens.editor)).json()
    scenario = draft["content"]["scenarios"][-1]
    assert scenario["name"] == "Aino again"
    assert scenario["answers"] == {
        "moving_to": "same_municipality",
        "children": "no",
        "moving_housing_allowance": "yes",
    }
    assert scenario["expect"]["due"]["moving/notify-dvv"] == "2027-03-22"
    assert "moving/notify-dvv" in scenario["expect"]["steps"]
    assert scenario["expect"]["questions"] == []
    assert draft["revision"] == 2
    assert draft["ready_to_publish"]
    after = client.get(saved.headers["location"]).text
    assert "The scenario was saved in the draft." in after
    row = after[after.index("<td>Aino again</td>") :]
    assert row.index("Passes") < row.index("</tr>")
    # The same form again carries the old revision: nothing is written.
    again = client.post(action, data={**form, "name": "Aino thrice"}, follow_redirects=False)
    assert again.status_code == 409
    assert "Someone changed the draft" in again.text
    # Without the CSRF token nothing is written either.
    forged = client.post(action, data={**form, "csrf": "x", "name": "Forged"})
    assert forged.status_code == 400
    latest = client.get("/v1/editor/drafts/moving", headers=bearer(editor_tokens.editor)).json()
    assert latest["revision"] == 2


def _publish_form(client: TestClient, note: str) -> dict[str, str]:
    page = client.get("/editor/journeys/moving/publish").text
    action = "/editor/journeys/moving/publish"
    return {"csrf": hidden(page, "csrf", action), "revision": hidden(page, "revision", action)} | {
        "note": note
    }


def test_publishing_with_a_note_shows_the_change_to_citizens_at_once(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft(client, editor_tokens.editor, _swedish_title)
    sign_in(client, editor_tokens.publisher, lang="en")
    empty = client.post("/editor/journeys/moving/publish", data=_publish_form(client, " "))
    assert empty.status_code == 400
    assert "Write a change note" in empty.text
    done = client.post(
        "/editor/journeys/moving/publish",
        data=_publish_form(client, "Swedish title clarified"),
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/editor/journeys/moving/history?published=2"
    history = client.get(done.headers["location"]).text
    assert "Version 2 is published" in history
    assert "Swedish title clarified" in history
    assert SWEDISH in client.get(f"/sv/moving/plan?{AINO}").text


def test_a_blocked_publish_lists_what_blocks_it(client: TestClient, editor_tokens: Tokens) -> None:
    _draft(client, editor_tokens.editor, _break_a_scenario)
    sign_in(client, editor_tokens.publisher, lang="en")
    page = client.get("/editor/journeys/moving/publish")
    assert page.status_code == 200
    text = unescape(page.text)
    assert "What blocks publishing" in text
    assert "expected 'notify-dvv' due on 2027-03-23" in text
    # Publishing anyway (a form kept from before) is refused, with the reasons.
    form = {"csrf": csrf_of(client), "revision": _etag(client, editor_tokens), "note": "try"}
    refused = client.post("/editor/journeys/moving/publish", data=form)
    assert refused.status_code == 409
    text = unescape(refused.text)
    assert "Nothing was published" in text
    assert "expected 'notify-dvv' due on 2027-03-23" in text
    versions = client.get("/editor/journeys/moving/history").text
    assert "Version 2" not in versions


def _etag(client: TestClient, tokens: Tokens) -> str:
    draft = client.get("/v1/editor/drafts/moving", headers=bearer(tokens.editor)).json()
    return str(draft["etag"])


def test_compare_two_versions_and_roll_back(client: TestClient, editor_tokens: Tokens) -> None:
    _draft(client, editor_tokens.editor, _swedish_title)
    sign_in(client, editor_tokens.publisher, lang="en")
    published = client.post(
        "/editor/journeys/moving/publish",
        data=_publish_form(client, "Swedish title"),
        follow_redirects=False,
    )
    assert published.status_code == 303
    history = client.get("/editor/journeys/moving/history").text
    assert 'href="/editor/journeys/moving/compare?older=1&amp;newer=2"' in history
    assert 'href="/editor/journeys/moving/rollback?version=1"' in history
    compared = client.get("/editor/journeys/moving/compare?older=1&newer=2")
    assert compared.status_code == 200
    text = unescape(compared.text)
    assert "From version 1 to version 2" in text
    swedish = text[text.index("<dt>Swedish</dt>") : text.index("<dt>English</dt>")]
    assert "Changed" in swedish
    finnish = text[text.index("<dt>Finnish</dt>") : text.index("<dt>Swedish</dt>")]
    assert "No changes" in finnish
    confirm = client.get("/editor/journeys/moving/rollback?version=1")
    assert confirm.status_code == 200
    assert "Roll back to version 1?" in confirm.text
    action = "/editor/journeys/moving/rollback"
    form = {"csrf": hidden(confirm.text, "csrf", action), "version": "1"}
    no_note = client.post(action, data={**form, "note": ""})
    assert no_note.status_code == 400
    done = client.post(
        action, data={**form, "note": "Back to the old title"}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/editor/journeys/moving/history?published=3"
    assert SWEDISH not in client.get(f"/sv/moving/plan?{AINO}").text
    assert "Back to the old title" in client.get("/editor/journeys/moving/history").text
    again = client.post(action, data={**form, "note": "once more"})
    assert again.status_code == 409
    assert "exactly what is published now" in again.text


PUBLISHER_ONLY = [
    ("POST", "/editor/journeys/moving/publish"),
    ("GET", "/editor/journeys/moving/rollback?version=1"),
    ("POST", "/editor/journeys/moving/rollback"),
]


def test_an_editor_gets_a_friendly_403_and_sees_no_publisher_buttons(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft(client, editor_tokens.editor, _swedish_title)
    sign_in(client, editor_tokens.editor, lang="en")
    csrf = csrf_of(client)
    for method, path in PUBLISHER_ONLY:
        data = {"csrf": csrf, "note": "x", "version": "1", "revision": _etag(client, editor_tokens)}
        answer = client.request(method, path, data=data if method == "POST" else None)
        assert answer.status_code == 403, (method, path)
        assert "Only a publisher can do this" in answer.text
    publish = client.get("/editor/journeys/moving/publish").text
    assert 'action="/editor/journeys/moving/publish"' not in publish
    assert "Only a publisher can publish" in publish
    assert "rollback?version" not in client.get("/editor/journeys/moving/history").text
    versions = client.get("/editor/journeys/moving/history").text
    assert "Version 2" not in versions


def test_preview_pages_of_an_unknown_draft_are_not_found(
    client: TestClient, editor_tokens: Tokens
) -> None:
    sign_in(client, editor_tokens.publisher, lang="en")
    for path in (
        "/editor/journeys/moving/preview",
        "/editor/journeys/moving/preview/plan",
        "/editor/journeys/moving/publish",
        "/editor/journeys/nowhere/compare",
        "/editor/journeys/moving/rollback?version=99",
        "/editor/journeys/BAD!/preview",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert re.search(r"<h1>Page not found</h1>", answer.text), path


FORMS = [
    "/editor/journeys/moving/publish",
    "/editor/journeys/moving/rollback",
    "/editor/journeys/moving/scenarios",
]
FIELD = st.sampled_from(["note", "revision", "version", "replaces", "answers", "name", "x"])
# Numbers int() refuses though str.isdigit() accepts them ("¹"), another script's digits, and
# one too long for int() to read.
ODD_NUMBERS = ["¹", "٣", "9" * 5000, " 1", "1_0"]
VALUE = st.text(max_size=40) | st.sampled_from(
    ["1", "0", "-1", "99999999999", '"x.1"', AINO, *ODD_NUMBERS]
)


@pytest.mark.parametrize("path", FORMS)
def test_no_publishing_form_answers_with_a_server_error(
    client: TestClient, editor_tokens: Tokens, path: str
) -> None:
    """A publisher, a draft, this session's CSRF token, and random or missing fields."""
    _draft(client, editor_tokens.editor, _swedish_title)
    sign_in(client, editor_tokens.publisher, lang="sv")
    csrf = csrf_of(client)

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(fields=st.lists(st.tuples(FIELD, VALUE), max_size=5))
    def run(fields: list[tuple[str, str]]) -> None:
        response = client.post(
            path,
            content=urlencode([("csrf", csrf), *fields]),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert response.status_code < 500, response.text[:2000]
        if response.status_code != 303:
            assert response.headers["content-type"].startswith("text/html")

    run()


def test_a_preview_is_not_counted_as_a_plan(client: TestClient, editor_tokens: Tokens) -> None:
    _draft(client, editor_tokens.editor)
    sign_in(client, editor_tokens.editor, lang="en")

    def plans() -> float:
        return (
            REGISTRY.get_sample_value("polku_plans_total", {"journey": "moving", "channel": "page"})
            or 0.0
        )

    before = plans()
    assert client.get(f"/editor/journeys/moving/preview/plan?lang=fi&{AINO}").status_code == 200
    assert plans() == before
    client.get(f"/fi/moving/plan?{AINO}")
    assert plans() == before + 1  # the citizen page is counted: the check above can fail


def test_changing_the_answers_of_a_preview_starts_from_them(
    client: TestClient, editor_tokens: Tokens
) -> None:
    _draft(client, editor_tokens.editor)
    sign_in(client, editor_tokens.editor, lang="en")
    plan = client.get(f"/editor/journeys/moving/preview/plan?lang=sv&{AINO}").text
    change = unescape(re.search(r'href="([^"]*#answers)"', plan).group(1))  # type: ignore[union-attr]
    form = client.get(change).text
    assert '<option value="same_municipality" selected>' in form
    assert 'name="event_date" value="2027-03-15"' in form


def test_numbers_written_oddly_are_refused_not_failed(
    client: TestClient, editor_tokens: Tokens
) -> None:
    """Every number a publishing page reads from its address or form, written as no editor's
    browser writes it: a clear page, never a server error (a rollback to version "¹" was one)."""
    _draft(client, editor_tokens.editor, _swedish_title)
    sign_in(client, editor_tokens.publisher, lang="en")
    csrf = csrf_of(client)
    for value in ODD_NUMBERS:
        for path in FORMS:
            for field in ("version", "replaces", "revision"):
                response = client.post(
                    path,
                    content=urlencode([("csrf", csrf), (field, value), ("note", "n")]),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    follow_redirects=False,
                )
                assert response.status_code < 500, (path, field, value)
        assert (
            client.get("/editor/journeys/moving/rollback", params={"version": value}).status_code
            == 404
        )
        for path in ("/editor/audit", "/editor/feedback"):
            assert client.get(path, params={"before": value}).status_code == 200, (path, value)
