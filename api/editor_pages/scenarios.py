"""A draft's scenarios in forms: add, edit (the answers as a form of the journey's questions,
the event date and "today", the steps expected as checkboxes) and delete with confirmation.

A scenario has no id of its own: its address is its place in the draft (1, 2, ...), and every
form carries the draft's revision, so a scenario moved by someone else meanwhile is the
conflict page, never a change to the wrong one. The answers are read as the citizen pages read
them (`flow.read`); the rules stay the editor services'."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from api.editor import checks
from api.editor import content as edits
from api.editor.models import Draft
from api.editor.preview import service as preview_service
from api.editor_pages import access, drafts, step_form
from api.editor_pages.access import SignedInDep
from api.editor_pages.drafts import Errors, Shown
from api.editor_pages.page import JourneyForm, JourneyFormDep, JourneyPage, JourneyPageDep
from api.editor_pages.render import see_other
from api.engine.model import EVENT_DATE, split_step_ref
from api.engine.planner import Planner
from api.http.numbers import whole_number
from api.pages import flow
from api.pages.i18n import translations
from api.pages.plan import question_error_message

router = APIRouter(prefix="/editor/journeys/{slug}/draft", include_in_schema=False)
DATES = ("event_date", "today")


def _number(signed_in: SignedInDep, number: str) -> int:
    value = whole_number(number, digits=4)
    if value is None or value < 1:
        raise access.EditorPageNotFound(signed_in)
    return value


NumberDep = Annotated[int, Depends(_number)]


def _scenarios(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in content.get("scenarios") or [] if isinstance(s, dict)]


def _planner(page: JourneyPage) -> Planner | None:
    try:
        return preview_service.planner(
            session=page.session, published=page.published, slug=page.slug
        )
    except (preview_service.NotPlannable, checks.InvalidDraft):
        return None


def _own_steps(row: Draft, lang: str) -> list[tuple[str, str]]:
    return [
        (str(s.get("id")), drafts.text(s.get("title"), lang))
        for s in row.content.get("steps") or []
    ]


def _fields(scenario: dict[str, Any], slug: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A stored scenario as the form's values, and its answers as the choices shown."""
    expect = scenario.get("expect") or {}
    values = {
        "name": str(scenario.get("name", "")),
        **{name: str(scenario.get(name) or "") for name in DATES},
    }
    for kind in ("steps", "not_steps"):
        own = [ref for ref in expect.get(kind) or [] if split_step_ref(ref, slug)[0] == slug]
        values[f"expect.{kind}"] = " ".join(split_step_ref(ref, slug)[1] for ref in own)
    given = {
        qid: [str(v) for v in (value if isinstance(value, list) else [value])]
        for qid, value in (scenario.get("answers") or {}).items()
    }
    return values, given


def _form_page(
    page: JourneyPage,
    row: Draft,
    planner: Planner | None,
    shown: Shown,
    *,
    number: int | None,
    given: dict[str, list[str]],
) -> Response:
    lang = page.lang
    questions = (
        [planner.question_view(qid, lang, row.slug) for qid in planner.universe(row.slug)]
        if planner
        else []
    )
    return drafts.form_page(
        page,
        row,
        "editor/scenario.html",
        shown,
        number=number,
        plannable=planner is not None,
        problems=[p for p in row.problems if p.get("kind") == "error"],
        questions=[q for q in questions if q.id != EVENT_DATE],
        given=given,
        steps=_own_steps(row, lang),
        expected={
            kind: shown.values.get(f"expect.{kind}", "").split() for kind in ("steps", "not_steps")
        },
    )


@router.get("/new-scenario")
def new_scenario_page(page: JourneyPageDep) -> Response:
    row = drafts.open_draft(page)
    return _form_page(page, row, _planner(page), Shown({}, {}), number=None, given={})


@router.get("/scenarios/{number}")
def scenario_page(page: JourneyPageDep, number: NumberDep) -> Response:
    """A scenario's form, with the draft's problems about it at their fields."""
    row = drafts.open_draft(page)
    scenario = _numbered(page, row, number)
    values, given = _fields(scenario, page.slug)
    errors = drafts.stored(row, lambda p: problem_field(p, number - 1), page.lang)
    shown = Shown(values, scenario, errors, saved=page.saved)
    return _form_page(page, row, _planner(page), shown, number=number, given=given)


def problem_field(pointer: str, index: int) -> str | None:
    """The scenario form's field a problem of scenario `index` is about."""
    parts = edits.parse_pointer(pointer) if pointer.startswith("/") else []
    if parts[:2] != ["scenarios", str(index)]:
        return None
    tail = parts[2:] or ["name"]
    if tail[0] in ("name", *DATES):
        return tail[0]
    if tail[0] == "answers" and len(tail) > 1:
        return f"q-{tail[1]}"
    if tail[0] == "expect" and len(tail) > 1 and tail[1] == "not_steps":
        return "expect.not_steps"
    return "expect.steps"


@router.post("/new-scenario")
def add_scenario(page: JourneyFormDep) -> Response:
    return _save(page, None)


@router.post("/scenarios/{number}")
def change_scenario(page: JourneyFormDep, number: NumberDep) -> Response:
    return _save(page, number)


def _save(page: JourneyForm, number: int | None) -> Response:
    """Read the form into a scenario and save it in its place, at the form's revision."""
    form, slug = page.form, page.slug
    row = drafts.open_draft(page)
    planner = _planner(page)
    listed = _scenarios(row.content)
    values = drafts.plain(form)
    original = step_form.decode(values.get("original", ""))
    if number is not None:
        there = _numbered(page, row, number)  # checked even when the form carries its original
        original = original or there
    own = [step_id for step_id, _ in _own_steps(row, page.lang)]
    for kind in ("steps", "not_steps"):
        chosen = [v for v in form.getlist(f"expect.{kind}") if isinstance(v, str) and v in own]
        values[f"expect.{kind}"] = " ".join(chosen)
    universe = set(planner.universe(slug)) if planner else set()
    items = [
        (key, value)
        for key, value in form.multi_items()
        if isinstance(value, str) and (key.partition(".")[0] in universe or key == EVENT_DATE)
    ]
    given: dict[str, list[str]] = {}
    for key, value in items:
        given.setdefault(key, []).append(value)

    def again(errors: Errors) -> Response:
        shown = Shown(values, original, errors, 422)
        return _form_page(page, row, planner, shown, number=number, given=given)

    if planner is None:
        return again([])
    _ = translations(page.lang).gettext
    state = flow.read(planner, slug, [(k, v) for k, v in items if k != EVENT_DATE], "en")
    errors: Errors = []
    if not values.get("name", "").strip():
        errors.append(("name", _("Describe the person in a sentence")))
    dates: dict[str, str] = {}
    for name in DATES:
        typed = values.get(name, "").strip()
        try:
            dates[name] = dt.date.fromisoformat(typed).isoformat() if typed else ""
        except ValueError:
            errors.append((name, _("Enter a date, for example 2027-03-27")))
    for qid, code in state.errors.items():
        view = planner.question_view(qid, page.lang, slug)
        errors.append((f"q-{qid}", question_error_message(planner, view, code, page.lang)))
    if errors:
        return again(errors)
    mine = _scenario(original, values, dates, state.answers, own, slug)
    where: dict[str, int] = {}

    def edit(content: dict[str, Any]) -> dict[str, Any]:
        out = dict(content)
        current = list(content.get("scenarios") or [])
        if number is None:
            current.append(mine)
            where["index"] = len(current) - 1
        else:
            # The one this form was read from, wherever it is now; gone: the place it had.
            index = next((i for i, s in enumerate(current) if s == original), number - 1)
            if index >= len(current):
                raise edits.UnknownItem("the draft does not have that scenario any more")
            current[index] = step_form.merge(original, mine, current[index])
            where["index"] = index
        out["scenarios"] = current
        return out

    target = "/new-scenario" if number is None else f"/scenarios/{number}"
    outcome = drafts.write(
        page,
        row,
        edit,
        "draft.scenario",
        target,
        changed=None if number is None else (original, mine, lambda c: _at(c, number)),
    )
    if isinstance(outcome, Response):
        return outcome
    if outcome is not None:
        index = where.get("index", len(listed))
        return again(drafts.refusal(outcome, lambda p: problem_field(p, index), page.lang))
    placed = where.get("index", len(listed)) + 1
    return see_other(access.draft_url(slug, f"/scenarios/{placed}?saved=1"))


def _numbered(page: JourneyPage, row: Draft, number: int) -> dict[str, Any]:
    """The draft's scenario `number` (from 1), or the editor's page-not-found."""
    listed = _scenarios(row.content)
    if number > len(listed):
        raise page.not_found()
    return listed[number - 1]


def _at(content: dict[str, Any], number: int) -> dict[str, Any]:
    listed = _scenarios(content)
    return listed[number - 1] if number <= len(listed) else {}


def _scenario(
    original: dict[str, Any],
    values: dict[str, str],
    dates: dict[str, str],
    answers: dict[str, Any],
    own: list[str],
    slug: str,
) -> dict[str, Any]:
    """The scenario the form describes; what the form does not show (due dates, chains, the
    questions still to ask, other journeys' steps) kept as it was."""
    out = dict(original)
    out["name"] = values.get("name", "").strip()
    out["answers"] = answers
    for name in DATES:
        if dates.get(name):
            out[name] = dates[name]
        else:
            out.pop(name, None)
    # The carried original is what a browser sent: anything but a mapping counts as none.
    kept = original.get("expect")
    expect = dict(kept) if isinstance(kept, dict) else {}
    for kind in ("steps", "not_steps"):
        refs = expect.get(kind)
        refs = [ref for ref in refs if isinstance(ref, str)] if isinstance(refs, list) else []
        others = [ref for ref in refs if split_step_ref(ref, slug)[0] != slug]
        chosen = values.get(f"expect.{kind}", "").split()
        expect[kind] = others + [step_id for step_id in own if step_id in chosen]
    out["expect"] = expect
    return out


# --- deleting ----------------------------------------------------------------------------------


@router.get("/scenarios/{number}/delete")
def delete_scenario_page(page: JourneyPageDep, number: NumberDep) -> Response:
    row = drafts.open_draft(page)
    scenario = _numbered(page, row, number)
    return drafts.confirm_delete_page(
        page,
        row,
        kind="scenario",
        item_id=str(number),
        item_title=str(scenario.get("name", "")),
        tail=f"/scenarios/{number}/delete",
        back=f"/scenarios/{number}",
    )


@router.post("/scenarios/{number}/delete")
def delete_scenario(page: JourneyFormDep, number: NumberDep) -> Response:
    row = drafts.open_draft(page)

    def edit(content: dict[str, Any]) -> dict[str, Any]:
        current = list(content.get("scenarios") or [])
        if number > len(current):
            raise edits.UnknownItem("the draft does not have that scenario any more")
        del current[number - 1]
        return {**content, "scenarios": current}

    outcome = drafts.write(
        page,
        row,
        edit,
        "draft.delete_scenario",
        f"/scenarios/{number}/delete",
    )
    return drafts.after(outcome, page.slug, "scenario_deleted", "#scenarios")
