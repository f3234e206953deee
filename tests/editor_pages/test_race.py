"""At the same moment, through the pages (both databases): two editors save the same draft's
step form, read at the same revision, and two translators say the same translation is still
correct. Threads meet at a barrier and send together, round after round: exactly one save wins
and the other sees the conflict page (never a lost edit, never a 500); one confirmation is
recorded (one audit entry) and both translators are told it is done."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack, closing
from functools import partial
from typing import Any

from fastapi.testclient import TestClient

from tests.editor.conftest import bearer
from tests.editor_pages.conftest import Tokens, hidden, sign_in
from tests.editor_pages.test_drafts import (
    STEP,
    changed,
    draft,
    form_fields,
    post,
    start,
    step_of,
)

ROUNDS = 4


def together(*sends: Callable[[], Any]) -> list[Any]:
    """Run each function in its own thread, all released at once by a barrier; their results."""
    barrier = threading.Barrier(len(sends), timeout=30)
    results: list[Any] = [None] * len(sends)
    failures: list[BaseException] = []

    def run(index: int, send: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = send()
        except BaseException as exc:  # reported by the test, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    assert failures == []
    return results


def test_two_editors_save_the_same_step_form_at_the_same_moment(
    client: TestClient, editor_tokens: Tokens
) -> None:
    start(client, editor_tokens.editor)
    with ExitStack() as stack:
        # Two other browsers on the same running app, each signed in as its own editor.
        eeva = stack.enter_context(closing(TestClient(client.app)))
        paavo = stack.enter_context(closing(TestClient(client.app)))
        sign_in(eeva, editor_tokens.editor)
        sign_in(paavo, editor_tokens.publisher)
        for round_ in range(ROUNDS):
            before = draft(client, editor_tokens.editor)
            forms = {
                who: form_fields(browser.get(STEP).text, STEP)
                for who, browser in (("eeva", eeva), ("paavo", paavo))
            }
            revisions = {dict(form)["revision"] for form in forms.values()}
            assert revisions == {before["etag"]}  # both read the draft at the same revision
            sv, en = f"Eevas rubrik {round_}", f"Paavo's title {round_}"
            eevas, paavos = together(
                partial(post, eeva, STEP, changed(forms["eeva"], title__sv=sv)),
                partial(post, paavo, STEP, changed(forms["paavo"], title__en=en)),
            )
            statuses = sorted([eevas.status_code, paavos.status_code])
            assert statuses == [200, 409], (eevas.text[:500], paavos.text[:500])
            winner, loser = (eevas, paavos) if eevas.status_code == 200 else (paavos, eevas)
            assert "Saved in the draft." in winner.text
            assert "Someone else saved the draft meanwhile" in loser.text
            after = draft(client, editor_tokens.editor)
            assert after["revision"] == before["revision"] + 1
            title = step_of(after["content"], "notify-dvv")["title"]
            # Exactly the winner's edit is in the draft; the loser's is on its conflict page.
            assert (title["sv"] == sv) != (title["en"] == en)
            # Applying it again from the conflict page keeps both.
            again = post(eeva if loser is eevas else paavo, STEP, form_fields(loser.text, STEP))
            assert again.status_code == 200, again.text[:500]
            title = step_of(draft(client, editor_tokens.editor)["content"], "notify-dvv")["title"]
            assert (title["sv"], title["en"]) == (sv, en)
    audit = client.get(
        "/v1/editor/audit", params={"limit": 200}, headers=bearer(editor_tokens.editor)
    )
    saves = [e for e in audit.json()["entries"] if e["action"] == "draft.change_step"]
    assert len(saves) == 2 * ROUNDS  # each round: the winner's save and the one applied again


def _finnish_changed(client: TestClient, token: str, count: int) -> list[str]:
    """moving's draft with the Finnish titles of its first `count` steps changed: their Swedish
    and English titles are stale. The steps' ids."""
    client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=bearer(token))
    read = client.get("/v1/editor/drafts/moving", headers=bearer(token))
    steps = read.json()["content"]["steps"][:count]
    texts = {f"/steps/{i}/title": f"{s['title']['fi']} (muutettu)" for i, s in enumerate(steps)}
    response = client.put(
        "/v1/editor/drafts/moving/texts/fi",
        json={"texts": texts},
        headers=bearer(token) | {"If-Match": read.headers["etag"]},
    )
    assert response.status_code == 200, response.text
    return [s["id"] for s in steps]


def test_two_translators_confirm_the_same_translation_at_the_same_moment(
    client: TestClient, editor_tokens: Tokens
) -> None:
    steps = _finnish_changed(client, editor_tokens.editor, ROUNDS)
    confirm = "/editor/translations/confirm"
    with ExitStack() as stack:
        tiina = stack.enter_context(closing(TestClient(client.app)))
        sven = stack.enter_context(closing(TestClient(client.app)))
        sign_in(tiina, editor_tokens.editor)
        sign_in(sven, editor_tokens.publisher)
        for round_ in range(ROUNDS):
            fields = {}
            for who, browser in (("tiina", tiina), ("sven", sven)):
                page = browser.get("/editor/translations?lang=sv&state=stale").text
                fields[who] = {
                    name: hidden(page, name, confirm)
                    for name in ("csrf", "journey", "place", "lang", "source", "back")
                }
            place = fields["tiina"]["place"]
            assert place == fields["sven"]["place"] == f"steps/{steps[round_]}/title"
            answers = together(
                partial(tiina.post, confirm, data=fields["tiina"], follow_redirects=False),
                partial(sven.post, confirm, data=fields["sven"], follow_redirects=False),
            )
            assert [a.status_code for a in answers] == [303, 303], [a.text[:500] for a in answers]
            shown = tiina.get("/editor/translations?lang=sv&state=stale").text
            assert f'value="{place}"' not in shown
            # The one confirmation is on the audit page, once.
            said = f"Translation still correct: {place}, Swedish"
            assert tiina.get("/editor/audit").text.count(said) == 1
        assert "Nothing to translate." in tiina.get("/editor/translations?lang=sv").text
    audit = client.get(
        "/v1/editor/audit", params={"limit": 200}, headers=bearer(editor_tokens.editor)
    ).json()["entries"]
    confirmations = [e for e in audit if e["action"] == "translation.confirm"]
    assert sorted(e["detail"]["place"] for e in confirmations) == sorted(
        f"steps/{step}/title" for step in steps
    )
    assert {e["detail"]["lang"] for e in confirmations} == {"sv"}
    assert {e["actor"] for e in confirmations} <= {"Eeva Editor", "Paavo Publisher"}
    # Confirming again changes nothing and writes nothing: it is no longer stale.
    again = client.post(
        "/v1/editor/translations/confirmations",
        json={k: fields["tiina"][k] for k in ("journey", "place", "lang", "source")},
        headers=bearer(editor_tokens.editor),
    )
    assert again.status_code == 204
    audit = client.get(
        "/v1/editor/audit", params={"limit": 200}, headers=bearer(editor_tokens.editor)
    ).json()["entries"]
    assert sum(e["action"] == "translation.confirm" for e in audit) == ROUNDS
