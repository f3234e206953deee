"""Editing a journey's draft in forms: start it, edit, add, delete and reorder its steps, and
reorder its questions. Every form carries the draft's ETag; a save on a draft someone else saved
meanwhile shows the conflict page, which can apply the change again (merged onto theirs), never
a silent overwrite. The rules stay in the editor services: these routes read forms, call
`drafts_service` and render what it answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from starlette.datastructures import FormData

from api.catalogue import content as catalogue_content
from api.catalogue.service import Published
from api.editor import content as edits
from api.editor.checks import InvalidDraft
from api.editor.drafts import service as drafts_service
from api.editor.models import Draft
from api.editor_pages import access, journey_form, problem_text, step_form
from api.editor_pages.access import SignedInDep
from api.editor_pages.page import JourneyForm, JourneyFormDep, JourneyPage, JourneyPageDep
from api.editor_pages.render import see_other
from api.engine.model import COMPARISONS, ID_PATTERN, LANGS, STEP_ID_PATTERN, QuestionType
from api.errors import ApiError, NotFound, PreconditionFailed, PreconditionRequired
from api.http.numbers import whole_number
from api.pages.i18n import translations
from api.pages.render import markdown

router = APIRouter(prefix="/editor/journeys/{slug}/draft", include_in_schema=False)
# One place up or down (the buttons), or to a place (`position`, from 0: a drag where scripts run).
MOVES = ("up", "down", "to")
# What a form changed, for the conflict page: the part as the form read it, as the editor
# sent it, and how to find that part in the draft as it is now.
# Problems for a form: the field each is about (None: the form as a whole) and its message.
Errors = list[tuple[str | None, str]]
Changed = tuple[dict[str, Any], dict[str, Any], Callable[[dict[str, Any]], dict[str, Any]]]


@dataclass(frozen=True)
class Shown:
    """A draft form as shown: the values in its fields, the part of the draft it was read from,
    its problems at their fields, and whether it was just saved."""

    values: dict[str, str]
    original: dict[str, Any]
    errors: Errors = field(default_factory=list)
    status: int = 200
    saved: bool = False


def _kept(form: FormData) -> list[tuple[str, str]]:
    """What the editor sent, to send again from the conflict page (a new revision added)."""
    return [
        (key, value.replace("\r\n", "\n"))
        for key, value in form.multi_items()
        if isinstance(value, str) and key not in ("csrf", "revision", "action") and len(key) <= 100
    ]


def plain(form: FormData) -> dict[str, str]:
    """The form's text fields (the last of each name), line ends as typed in a browser."""
    return {
        key: value.replace("\r\n", "\n")
        for key, value in form.multi_items()
        if isinstance(value, str) and len(key) <= 100
    }


def _key(value: str, pattern: str) -> str | None:
    return value if len(value) <= 80 and re.fullmatch(pattern, value) else None


def _step_id(signed_in: SignedInDep, step_id: str) -> str:
    if _key(step_id, STEP_ID_PATTERN) is None:
        raise access.EditorPageNotFound(signed_in)
    return step_id


def _question_id(signed_in: SignedInDep, question_id: str) -> str:
    if _key(question_id, ID_PATTERN) is None:
        raise access.EditorPageNotFound(signed_in)
    return question_id


StepIdDep = Annotated[str, Depends(_step_id)]
QuestionIdDep = Annotated[str, Depends(_question_id)]


def _title(published: Published, row: Draft | None, slug: str, lang: str) -> str:
    title = (row.content.get("title") if row else None) or {}
    if not title and slug in published.catalogue.journeys:
        return published.catalogue.journeys[slug].title.get(lang)
    return str(title.get(lang) or title.get("fi") or slug)


def text(value: Any, lang: str) -> str:
    return str(value.get(lang) or value.get("fi") or "") if isinstance(value, dict) else ""


def _problem_links(row: Draft, slug: str, lang: str) -> list[tuple[str, str | None]]:
    """The draft's problems, each with the address of the field to fix (steps' fields)."""
    steps = row.content.get("steps", [])
    out = []
    for problem in row.problems:
        pointer, link = str(problem.get("pointer", "")), None
        parts = edits.parse_pointer(pointer) if pointer.startswith("/") else []
        index = whole_number(parts[1]) if len(parts) >= 2 else None
        if parts[:1] == ["steps"] and index is not None and index < len(steps):
            name = step_form.problem_field(pointer, index, step_form.fields(steps[index]))
            link = access.draft_url(
                slug, f"/steps/{steps[index]['id']}#{step_form.field_id(name or 'kind')}"
            )
        text_field = step_form.journey_text_field(pointer)
        if text_field:
            link = access.draft_url(slug, f"/texts#{step_form.field_id(text_field)}")
        setting = journey_form.problem_field(pointer)
        if setting:
            link = access.draft_url(slug, f"/journey#{step_form.field_id(setting)}")
        if parts[:1] == ["scenarios"] and index is not None:
            link = access.draft_url(slug, f"/scenarios/{index + 1}")
        out.append((f"{pointer or '/'}: {problem_text.message(problem, lang)}", link))
    return out


# --- the draft -----------------------------------------------------------------------------------


@router.get("")
def draft_page(page: JourneyPageDep) -> Response:
    """The draft's steps and questions in order, with its problems; or a button to start one."""
    published, slug, lang = page.published, page.slug, page.lang
    row = _row(page)
    if row is None and slug not in published.catalogue.journeys:
        raise page.not_found()
    return page.render(
        "editor/draft.html",
        title=_title(published, row, slug, lang),
        row=row,
        etag=drafts_service.etag(row) if row else "",
        steps=[
            (s["id"], text(s.get("title"), lang), s.get("kind"))
            for s in (row.content["steps"] if row else [])
        ],
        questions=[
            (catalogue_content.question_key(q), _question_label(published, q, lang))
            for q in (row.content.get("questions", []) if row else [])
        ],
        scenarios=[
            (number, str(s.get("name", "")))
            for number, s in enumerate(row.content.get("scenarios") or [] if row else [], 1)
            if isinstance(s, dict)
        ],
        problems=_problem_links(row, slug, lang) if row else [],
        notice=page.request.query_params.get("done", ""),
    )


def _question_label(published: Published, entry: dict[str, Any], lang: str) -> str:
    """A question's label: its own, or the shared question's."""
    if "shared" in entry:
        shared = published.catalogue.questions.get(str(entry["shared"]))
        return shared.label.get(lang) if shared else ""
    return text(entry.get("label"), lang)


def _row(page: JourneyPage) -> Draft | None:
    try:
        return drafts_service.load(session=page.session, slug=page.slug)
    except NotFound:
        return None


def open_draft(page: JourneyPage) -> Draft:
    """The journey's draft; without one, its pages lead back to the draft page."""
    row = _row(page)
    if row is None:
        raise access.NoDraft(page.slug)
    return row


def found(index: int | None, page: JourneyPage) -> int:
    """An item's place in the draft, or the editor's page-not-found."""
    if index is None:
        raise page.not_found()
    return index


@router.post("")
def start_draft(page: JourneyFormDep) -> Response:
    """A draft of the published version (one that exists already is simply opened)."""
    try:
        drafts_service.start(
            session=page.session,
            published=page.published,
            editor=page.signed_in.editor,
            slug=page.slug,
        )
    except drafts_service.DraftExists:
        pass
    except NotFound:
        raise page.not_found() from None
    return see_other(access.draft_url(page.slug, "?done=started"))


# --- a step ------------------------------------------------------------------------------------


def _choices(published: Published, content: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the step form offers to choose from: organisations, the journey's sources and
    questions, comparisons."""
    catalogue = published.catalogue
    questions = []
    for entry in content.get("questions", []):
        key = catalogue_content.question_key(entry)
        if key is None:
            continue
        shared = catalogue.questions.get(key) if "shared" in entry else None
        label = shared.label.get(lang) if shared else text(entry.get("label"), lang)
        questions.append((key, f"{label} ({key})"))
    return {
        "organisations": sorted(
            ((o.id, o.name.get(lang)) for o in catalogue.organisations.values()),
            key=lambda pair: pair[1],
        ),
        "journey_sources": [
            (s["id"], text(s.get("title"), lang)) for s in content.get("sources", [])
        ],
        "questions": [("event_date", "event_date"), *questions],
        "comparisons": COMPARISONS,
    }


def form_page(page: JourneyPage, row: Draft, template: str, shown: Shown, **extra: Any) -> Response:
    """A draft's form page: what was typed, its problems at their fields (the summary on top
    lists them all), and the revision and part the form was read at."""
    return page.render(
        template,
        status=shown.status,
        title=_title(page.published, row, row.slug, page.lang),
        etag=shown.values.get("revision") or drafts_service.etag(row),
        original=step_form.encode(shown.original),
        saved=shown.saved,
        **form_context(shown.values, shown.errors),
        **extra,
    )


def form_context(values: dict[str, str], errors: Errors) -> dict[str, Any]:
    """What templates/editor/_form.html needs: the typed values and the problems by field."""
    field_errors: dict[str, list[str]] = {}
    for name, message in errors:
        if name:
            field_errors.setdefault(name, []).append(message)
    return {
        "values": values,
        "value": lambda name: values.get(name, ""),
        "errors": errors,
        "field_errors": field_errors,
        "fid": step_form.field_id,
        "field_label": problem_text.field_label,
        "langs": LANGS,
        "date_type": _date_type,
    }


def _date_type(value: str) -> str:
    """A date box's type: `date`, unless what was typed is no date (kept as text, as typed)."""
    try:
        return "date" if not value or dt.date.fromisoformat(value) else "text"
    except ValueError:
        return "text"


def stored(row: Draft, field_of: Callable[[str], str | None], lang: str) -> Errors:
    """The draft's problems that a form is about, each at its field."""
    out: Errors = []
    for problem in row.problems:
        name = field_of(str(problem.get("pointer", "")))
        if name is not None:
            out.append((name, problem_text.message(problem, lang)))
    return out


def refusal(
    outcome: ApiError,
    field_of: Callable[[str], str | None],
    lang: str,
    default: str | None = None,
) -> Errors:
    """Why the service refused a save: the check's problems at their fields (the others with
    their place), else its message at `default`."""
    errors: Errors = []
    for problem in outcome.extra.get("problems", []) if isinstance(outcome, InvalidDraft) else []:
        pointer, message = str(problem.get("pointer", "")), problem_text.message(problem, lang)
        name = field_of(pointer)
        errors.append((name, message if name else f"{pointer}: {message}"))
    return errors or [(default, outcome.detail or outcome.title)]


def _step_page(
    page: JourneyPage,
    row: Draft,
    shown: Shown,
    *,
    step_id: str | None,
    sources: list[str],
    focus: str = "",
) -> Response:
    values = shown.values
    return form_page(
        page,
        row,
        "editor/step.html",
        shown,
        condition=step_form.condition_tree(values),
        yaml_reason=step_form.yaml_only_reason(values),
        yaml_reasons=_yaml_reasons(page.lang),
        max_depth=step_form.MAX_DEPTH,
        focus=focus,
        step_id=step_id,
        chosen_sources=sources,
        link_count=step_form.rows_shown(values, "links"),
        previews={lang: markdown(values.get(f"body.{lang}", "")) for lang in LANGS},
        units=step_form.UNITS,
        **_choices(page.published, row.content, page.lang),
    )


def _yaml_reasons(lang: str) -> dict[str, str]:
    """Why a condition is shown as YAML only, in the editor's language."""
    _ = translations(lang).gettext
    return {
        "shape": _("it is not a question with one comparison, nor a group of all, any or not."),
        "value": _("a value is not one the form can hold (a list or a mapping)."),
        "deep": _("its groups are nested deeper than the form shows (%(depth)d levels).")
        % {"depth": step_form.MAX_DEPTH},
        "empty": _("a group in it has no conditions."),
        "many": _("a group in it has more conditions than the form shows (%(count)d).")
        % {"count": step_form.MAX_CHILDREN},
    }


def _step(content: dict[str, Any], step_id: str) -> dict[str, Any]:
    index = _index(content, step_id)
    return dict(content["steps"][index]) if index is not None else {}


def _index(content: dict[str, Any], step_id: str) -> int | None:
    for index, item in enumerate(content.get("steps", [])):
        if item.get("id") == step_id:
            return index
    return None


@router.get("/new-step")
def new_step_page(page: JourneyPageDep) -> Response:
    row = open_draft(page)
    values = {"links": "1", "kind": "task", "timing": "after"}
    values |= {"deadline.direction": "none", "earliest.direction": "none"}
    return _step_page(page, row, Shown(values, {}), step_id=None, sources=[])


@router.get("/steps/{step_id}")
def step_page(page: JourneyPageDep, step_id: StepIdDep) -> Response:
    """A step's form, with the draft's problems about it at their fields."""
    row = open_draft(page)
    index = found(_index(row.content, step_id), page)
    item = row.content["steps"][index]
    values = step_form.fields(item)
    errors = stored(row, lambda p: step_form.problem_field(p, index, values), page.lang)
    shown = Shown(values, item, errors, saved=page.saved)
    return _step_page(page, row, shown, step_id=step_id, sources=list(item.get("sources", [])))


@router.post("/new-step")
def add_step(page: JourneyFormDep) -> Response:
    return _save_step(page, None)


@router.post("/steps/{step_id}")
def change_step(page: JourneyFormDep, step_id: StepIdDep) -> Response:
    return _save_step(page, step_id)


def _save_step(page: JourneyForm, step_id: str | None) -> Response:
    """Save the step form (or only show its preview): merged onto the draft as it is now, at
    the revision the form was read at, else the conflict page."""
    row = open_draft(page)
    values = plain(page.form)
    sources = [v for v in page.form.getlist("sources") if isinstance(v, str)]
    original = step_form.decode(values.get("original", ""))
    if step_id is not None:
        original = original or next((s for s in row.content["steps"] if s.get("id") == step_id), {})
        values["id"] = step_id

    def again(errors: Errors, status: int = 422, focus: str = "") -> Response:
        shown = Shown(values, original, errors, status)
        return _step_page(page, row, shown, step_id=step_id, sources=sources, focus=focus)

    action = values.get("action", "")
    if action.startswith(step_form.CONDITION_ACTION):
        # A rule or group added or removed: the form again, nothing saved (works without
        # scripts, everything typed kept, at the revision the form was read at).
        values, focus = step_form.change_condition(values, action)
        return again([], status=200, focus=focus)
    try:
        mine = step_form.step(values, sources, original)
    except step_form.FormProblem as refused:
        return again([(refused.field, translations(page.lang).gettext(refused.message))])
    if values.get("action") == "preview":
        return again([], status=200)
    placed: dict[str, int] = {}

    def edit(content: dict[str, Any]) -> dict[str, Any]:
        if step_id is None:
            new = edits.add_item(content, "steps", mine, None)
        else:
            index = _index(content, step_id)
            current = content["steps"][index] if index is not None else original
            new = edits.change_item(
                content, "steps", step_id, step_form.merge(original, mine, current)
            )
        placed["index"] = _index(new, str(mine.get("id"))) or 0
        return new

    action = "draft.add_step" if step_id is None else "draft.change_step"
    target = f"/steps/{step_id}" if step_id else "/new-step"
    outcome = write(
        page,
        row,
        edit,
        action,
        target,
        changed=None if step_id is None else (original, mine, lambda c: _step(c, step_id)),
    )
    if isinstance(outcome, ApiError):
        index = placed.get("index", len(row.content.get("steps", [])))
        field_of = lambda p: step_form.problem_field(p, index, values)  # noqa: E731
        return again(refusal(outcome, field_of, page.lang, "id" if step_id is None else None))
    if isinstance(outcome, Response):
        return outcome
    return see_other(access.draft_url(page.slug, f"/steps/{mine.get('id')}?saved=1"))


def write(
    page: JourneyForm,
    row: Draft,
    edit: Callable[[dict[str, Any]], Any],
    action: str,
    target: str,
    *,
    changed: Changed | None = None,
) -> Response | ApiError | None:
    """Write through the drafts service at the form's revision: None when stored, the conflict
    page when the draft moved on, else the service's refusal for the form to show."""
    slug, values = row.slug, plain(page.form)
    try:
        drafts_service.write(
            session=page.session,
            published=page.published,
            editor=page.signed_in.editor,
            slug=slug,
            if_match=values.get("revision") or None,
            edit=edit,
            action=action,
            lines=None,
        )
    except (PreconditionFailed, PreconditionRequired):
        page.session.expire_all()
        return _conflict(page, target, changed)
    except drafts_service.UnknownDraft:
        return see_other(access.draft_url(slug))
    except ApiError as exc:
        return exc
    return None


def _conflict(page: JourneyForm, target: str, changed: Changed | None) -> Response:
    """Someone saved the draft after this form was read: what they changed and what this
    editor changed, and a button that applies this editor's change again on the new draft."""
    row = open_draft(page)
    rows = []
    if changed is not None:
        original, mine, part = changed
        theirs_item = part(row.content)
        theirs, ours = step_form.changes(original, theirs_item), step_form.changes(original, mine)
        for place in dict.fromkeys([*theirs, *ours]):
            before = (theirs.get(place) or ours.get(place) or (None, None))[0]
            rows.append(
                {
                    "place": place,
                    "before": step_form.shown(before),
                    "theirs": step_form.shown(theirs[place][1]) if place in theirs else None,
                    "mine": step_form.shown(ours[place][1]) if place in ours else None,
                }
            )
    return page.render(
        "editor/conflict.html",
        status=409,
        title=_title(page.published, row, page.slug, page.lang),
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        rows=rows,
        action=access.draft_url(page.slug, target),
        kept=_kept(page.form),
        etag=drafts_service.etag(row),
    )


# --- deleting and moving -----------------------------------------------------------------------


def confirm_delete_page(
    page: JourneyPage,
    row: Draft,
    *,
    kind: str,
    item_id: str,
    item_title: str,
    tail: str,
    back: str,
    uses: list[tuple[str, str]] | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> Response:
    """Are you sure? Deleting asks first (and says what still uses the item, if anything)."""
    return page.render(
        "editor/delete.html",
        status=status,
        title=_title(page.published, row, row.slug, page.lang),
        kind=kind,
        item_id=item_id,
        item_title=item_title,
        action=access.draft_url(row.slug, tail),
        back=access.draft_url(row.slug, back),
        uses=uses or [],
        refusal=refusal,
        etag=drafts_service.etag(row),
    )


@router.get("/steps/{step_id}/delete")
def delete_page(page: JourneyPageDep, step_id: StepIdDep) -> Response:
    row = open_draft(page)
    index = found(_index(row.content, step_id), page)
    return confirm_delete_page(
        page,
        row,
        kind="step",
        item_id=step_id,
        item_title=text(row.content["steps"][index].get("title"), page.lang),
        tail=f"/steps/{step_id}/delete",
        back=f"/steps/{step_id}",
    )


@router.post("/steps/{step_id}/delete")
def delete_step(page: JourneyFormDep, step_id: StepIdDep) -> Response:
    row = open_draft(page)
    outcome = write(
        page,
        row,
        lambda content: edits.delete_item(content, "steps", step_id),
        "draft.delete_step",
        f"/steps/{step_id}/delete",
    )
    return after(outcome, page.slug, "deleted")


def after(outcome: Response | ApiError | None, slug: str, done: str, where: str = "") -> Response:
    """Back to the draft, saying what was done or why not."""
    if isinstance(outcome, Response):
        return outcome
    notice = done if outcome is None else "refused"
    return see_other(access.draft_url(slug, f"?done={notice}{where}"))


def _moved(
    kind: str, key: str, direction: str, position: int = 0
) -> Callable[[dict[str, Any]], Any]:
    def edit(content: dict[str, Any]) -> Any:
        keys = [
            catalogue_content.question_key(i) if kind == "questions" else i.get("id")
            for i in content.get(kind, [])
        ]
        if key not in keys:
            raise edits.UnknownItem(f"the draft has no {kind[:-1]} '{key}'")
        index = keys.index(key)
        if direction == "to":
            keys.insert(min(position, len(keys) - 1), keys.pop(index))
            return edits.reorder(content, kind, [str(k) for k in keys])
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(keys):
            keys[index], keys[other] = keys[other], keys[index]
        return edits.reorder(content, kind, [str(k) for k in keys])

    return edit


def _move(
    page: JourneyForm,
    kind: str,
    key: str,
) -> Response:
    row = open_draft(page)
    values = plain(page.form)
    direction, position = values.get("direction", ""), values.get("position", "")
    if direction not in MOVES or (direction == "to" and not re.fullmatch(r"\d{1,4}", position)):
        return see_other(access.draft_url(page.slug, "?done=refused"))
    outcome = write(
        page,
        row,
        _moved(kind, key, direction, int(position) if direction == "to" else 0),
        f"draft.reorder_{kind}",
        f"/{kind}/{key}/move",
    )
    # Back where the moved item now is, so the next press is at hand.
    return after(outcome, page.slug, "moved", f"#{kind[:-1]}-{key}")


@router.post("/steps/{step_id}/move")
def move_step(page: JourneyFormDep, step_id: StepIdDep) -> Response:
    """One place up or down in the journey's order of steps."""
    return _move(page, "steps", step_id)


@router.post("/questions/{question_id}/move")
def move_question(page: JourneyFormDep, question_id: QuestionIdDep) -> Response:
    """One place up or down in the order the questions are asked."""
    return _move(page, "questions", question_id)


# --- the journey's texts -----------------------------------------------------------------------


def _texts_of(content: dict[str, Any]) -> dict[str, Any]:
    return {name: content[name] for name in step_form.JOURNEY_TEXTS if name in content}


def _texts_page(page: JourneyPage, row: Draft, shown: Shown) -> Response:
    need = {lang: shown.values.get(f"you_will_need.{lang}", "") for lang in LANGS}
    return form_page(
        page,
        row,
        "editor/texts.html",
        shown,
        previews={lang: markdown(text) for lang, text in need.items()},
    )


@router.get("/texts")
def texts_page(page: JourneyPageDep) -> Response:
    """The journey's title, summary and what to have at hand, every language side by side."""
    row = open_draft(page)
    values, original = step_form.journey_text_fields(row.content), _texts_of(row.content)
    errors = stored(row, step_form.journey_text_field, page.lang)
    return _texts_page(page, row, Shown(values, original, errors, saved=page.saved))


@router.post("/texts")
def save_texts(page: JourneyFormDep) -> Response:
    row = open_draft(page)
    values = plain(page.form)
    original = step_form.decode(values.get("original", "")) or _texts_of(row.content)
    mine = step_form.journey_texts(values)
    if values.get("action") == "preview":
        return _texts_page(page, row, Shown(values, original))

    def edit(content: dict[str, Any]) -> dict[str, Any]:
        merged = step_form.merge(original, mine, _texts_of(content))
        rest = {k: v for k, v in content.items() if k not in step_form.JOURNEY_TEXTS}
        return {**rest, **merged}

    outcome = write(
        page,
        row,
        edit,
        "draft.change_texts",
        "/texts",
        changed=(original, mine, _texts_of),
    )
    if isinstance(outcome, ApiError):
        errors = refusal(outcome, step_form.journey_text_field, page.lang)
        return _texts_page(page, row, Shown(values, original, errors, 422))
    if isinstance(outcome, Response):
        return outcome
    return see_other(access.draft_url(page.slug, "/texts?saved=1"))


# --- a question --------------------------------------------------------------------------------


def _question_index(content: dict[str, Any], question_id: str) -> int | None:
    for index, entry in enumerate(content.get("questions", [])):
        if catalogue_content.question_key(entry) == question_id:
            return index
    return None


def _question(content: dict[str, Any], question_id: str) -> dict[str, Any]:
    index = _question_index(content, question_id)
    return dict(content["questions"][index]) if index is not None else {}


def _question_page(
    page: JourneyPage, row: Draft, shown: Shown, question_id: str | None
) -> Response:
    return form_page(
        page,
        row,
        "editor/question.html",
        shown,
        question_id=question_id,
        shared="shared" in shown.original,
        option_count=step_form.rows_shown(shown.values, "options"),
        types=[t.value for t in QuestionType],
        **_choices(page.published, row.content, page.lang),
    )


@router.get("/new-question")
def new_question_page(page: JourneyPageDep) -> Response:
    row = open_draft(page)
    values = {"options": "2", "type": QuestionType.choice.value}
    return _question_page(page, row, Shown(values, {}), None)


@router.get("/questions/{question_id}")
def question_page(page: JourneyPageDep, question_id: QuestionIdDep) -> Response:
    """A question's form: its texts side by side, its options, and when it is asked."""
    row = open_draft(page)
    index = found(_question_index(row.content, question_id), page)
    item = row.content["questions"][index]
    values = step_form.question_fields(item)
    errors = stored(row, lambda p: step_form.question_problem_field(p, index, values), page.lang)
    return _question_page(page, row, Shown(values, item, errors, saved=page.saved), question_id)


@router.post("/new-question")
def add_question(page: JourneyFormDep) -> Response:
    return _save_question(page, None)


@router.post("/questions/{question_id}")
def change_question(page: JourneyFormDep, question_id: QuestionIdDep) -> Response:
    return _save_question(page, question_id)


def _save_question(page: JourneyForm, question_id: str | None) -> Response:
    """Save the question form; "move up/down" on an option saves it in its new place."""
    row = open_draft(page)
    values = step_form.option_moved(plain(page.form), plain(page.form).get("action", ""))
    original = step_form.decode(values.get("original", ""))
    if question_id is not None:
        original = original or _question(row.content, question_id)
        if not original or "shared" in original:
            raise page.not_found()
        values["id"] = question_id

    def again(errors: Errors) -> Response:
        return _question_page(page, row, Shown(values, original, errors, 422), question_id)

    try:
        mine = step_form.question(values, original)
    except step_form.FormProblem as refused:
        return again([(refused.field, translations(page.lang).gettext(refused.message))])
    placed: dict[str, int] = {}

    def edit(content: dict[str, Any]) -> dict[str, Any]:
        if question_id is None:
            new = edits.add_item(content, "questions", mine, None)
        else:
            current = _question(content, question_id) or original
            merged = step_form.merge(original, mine, current)
            new = edits.change_item(content, "questions", question_id, merged)
        placed["index"] = _question_index(new, str(mine.get("id"))) or 0
        return new

    outcome = write(
        page,
        row,
        edit,
        "draft.add_question" if question_id is None else "draft.change_question",
        "/new-question" if question_id is None else f"/questions/{question_id}",
        changed=None
        if question_id is None
        else (original, mine, lambda c: _question(c, question_id)),
    )
    if isinstance(outcome, ApiError):
        index = placed.get("index", len(row.content.get("questions", [])))
        field_of = lambda p: step_form.question_problem_field(p, index, values)  # noqa: E731
        return again(refusal(outcome, field_of, page.lang, "id" if question_id is None else None))
    if isinstance(outcome, Response):
        return outcome
    return see_other(access.draft_url(page.slug, f"/questions/{mine.get('id')}?saved=1"))


@router.get("/questions/{question_id}/delete")
def delete_question_page(page: JourneyPageDep, question_id: QuestionIdDep) -> Response:
    """Asks first; while conditions or scenarios use the question, names them instead."""
    row = open_draft(page)
    if _question_index(row.content, question_id) is None:
        raise page.not_found()
    return _question_delete_page(page, row, question_id)


def _question_delete_page(
    page: JourneyPage,
    row: Draft,
    question_id: str,
    *,
    refusal: str | None = None,
    status: int = 200,
) -> Response:
    entry = _question(row.content, question_id)
    return confirm_delete_page(
        page,
        row,
        kind="question",
        item_id=question_id,
        item_title=_question_label(page.published, entry, page.lang) if entry else question_id,
        tail=f"/questions/{question_id}/delete",
        back=f"/questions/{question_id}",
        uses=edits.question_uses(row.content, question_id),
        refusal=refusal,
        status=status,
    )


@router.post("/questions/{question_id}/delete")
def delete_question(page: JourneyFormDep, question_id: QuestionIdDep) -> Response:
    row = open_draft(page)
    outcome = write(
        page,
        row,
        lambda content: edits.delete_question(content, question_id),
        "draft.delete_question",
        f"/questions/{question_id}/delete",
    )
    if isinstance(outcome, edits.UnknownItem):
        return after(outcome, page.slug, "deleted")
    if isinstance(outcome, ApiError):
        page.session.expire_all()
        fresh = _row(page) or row
        message = outcome.detail or outcome.title
        return _question_delete_page(page, fresh, question_id, refusal=message, status=422)
    return after(outcome, page.slug, "question_deleted")
