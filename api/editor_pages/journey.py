"""The journey's own settings in one form: its sources, search keywords per language and its
chains to other journeys (chosen from the published ones). Saved as every draft form is: at
the revision it was read at, merged onto a newer draft from the conflict page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.editor.models import Draft
from api.editor_pages import access, drafts, journey_form, step_form
from api.editor_pages.drafts import Errors, Shown
from api.editor_pages.page import JourneyFormDep, JourneyPage, JourneyPageDep
from api.editor_pages.render import see_other
from api.engine.texts import TextLookup
from api.errors import ApiError
from api.pages.i18n import translations

router = APIRouter(prefix="/editor/journeys/{slug}/draft", include_in_schema=False)


def _settings_page(page: JourneyPage, row: Draft, shown: Shown) -> Response:
    texts = TextLookup(page.lang)
    return drafts.form_page(
        page,
        row,
        "editor/journey.html",
        shown,
        source_count=step_form.rows_shown(shown.values, "sources"),
        chain_count=step_form.rows_shown(shown.values, "chains"),
        journeys=sorted(
            (
                (slug, texts.get(journey.title))
                for slug, journey in page.published.catalogue.journeys.items()
                if slug != row.slug
            ),
            key=lambda pair: pair[1],
        ),
        modes=journey_form.MODES,
        timings=journey_form.CHAIN_TIMINGS,
    )


@router.get("/journey")
def journey_page(page: JourneyPageDep) -> Response:
    """The journey's sources, keywords and chains, with the draft's problems about them."""
    row = drafts.open_draft(page)
    values, original = journey_form.fields(row.content), journey_form.settings_of(row.content)
    errors = drafts.stored(row, journey_form.problem_field, page.lang)
    return _settings_page(page, row, Shown(values, original, errors, saved=page.saved))


@router.post("/journey")
def save_journey(page: JourneyFormDep) -> Response:
    row = drafts.open_draft(page)
    values = drafts.plain(page.form)
    original = step_form.decode(values.get("original", "")) or journey_form.settings_of(row.content)

    def again(errors: Errors) -> Response:
        return _settings_page(page, row, Shown(values, original, errors, 422))

    try:
        mine = journey_form.settings(values)
    except step_form.FormProblem as refused:
        return again([(refused.field, translations(page.lang).gettext(refused.message))])

    def edit(content: dict[str, Any]) -> dict[str, Any]:
        merged = step_form.merge(original, mine, journey_form.settings_of(content))
        rest = {k: v for k, v in content.items() if k not in journey_form.PARTS}
        return {**rest, **merged}

    outcome = drafts.write(
        page,
        row,
        edit,
        "draft.change_journey",
        "/journey",
        changed=(original, mine, journey_form.settings_of),
    )
    if isinstance(outcome, ApiError):
        return again(drafts.refusal(outcome, journey_form.problem_field, page.lang))
    if isinstance(outcome, Response):
        return outcome
    return see_other(access.draft_url(page.slug, "/journey?saved=1"))
