"""The plan page's context: what `plan.html` shows of a person's plan, built once for the
citizen's page (`routes.plan_page`) and the editors' preview of a draft
(`api.editor_pages.preview`), which differ only in their addresses and their form at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from api.engine.model import EVENT_DATE, NOT_SURE, Journey
from api.engine.phrases import NOT_SURE_LABEL, and_list, format_date
from api.engine.plan import QuestionView
from api.engine.planner import Planner
from api.engine.texts import TextLookup
from api.pages import flow, views
from api.pages.messages import error_message
from api.pages.render import Site


def plan_context(
    planner: Planner,
    journey: Journey,
    state: flow.Flow,
    site: Site,
    *,
    show_all: bool,
    pairs: list[tuple[str, str]],
) -> dict[str, Any]:
    """Everything `plan.html` shows of the plan in `state` (planned by `planner`, read from
    its page's address), but the page's own addresses and forms: `show_all_url`, `address`,
    `check_url`, `save`, `calendar_url` (and the preview's extras). `pairs` are the answers'
    query pairs (`state.pairs()`); follow-on journeys link to `site`'s question pages."""
    lang = site.lang
    texts = TextLookup(lang)
    date_view = flow.event_date_view(journey, lang)
    return {
        "slug": journey.slug,
        "journey_title": texts.get(journey.title),
        "event_label": texts.get(journey.event_date.label),
        "event_date": state.event_date,
        "event_date_error": state.event_date_error,
        "date_shown": shown_value(state, date_view),
        "date_message": question_error_message(planner, date_view, state.errors[EVENT_DATE], lang)
        if state.event_date_error
        else None,
        "groups": views.step_groups(state.plan, journey),
        "summary": views.next_steps(state.plan),
        "show_all": show_all,
        "answers": answer_rows(planner, journey.slug, state.plan.answered, state.answers, lang),
        "today": state.plan.today,
        "ticks": None,
        "automatic": state.plan.automatic,
        "chains": [
            (chain, site.url(f"{chain.journey}/questions", pairs_of(chain.answers)))
            for chain in state.plan.chains
        ],
        "hidden": [(k, v) for k, v in pairs if k != EVENT_DATE],
    }


def question_error_message(planner: Planner, view: QuestionView, code: str, lang: str) -> str:
    question = planner.questions.get(view.id)
    return error_message(view, code, question.errors if question else None, lang)


def shown_value(state: flow.Flow, view: QuestionView) -> Any:
    """What a text field (or a date's boxes) shows: what was typed when it was refused, else
    the answer given, else nothing."""
    given: Any = state.typed.get(view.id)
    if given is None:
        given = state.event_date if view.id == EVENT_DATE else state.answers.get(view.id)
    if view.type != "date":
        return "" if given is None else str(given)
    if isinstance(given, dict):
        return given
    if given is None:
        return {}
    return flow.date_parts(given)


def answer_text(view: QuestionView, value: Any, lang: str) -> str:
    labels = {o.id: o.label for o in view.options}
    values = value if isinstance(value, list) else [value]
    if values == [NOT_SURE]:
        return NOT_SURE_LABEL[lang]
    if view.type == "date":
        return format_date(dt.date.fromisoformat(str(value)), lang)
    # "A, B and C" in the person's language: the engine's list, as in the reasons of steps.
    return and_list([labels.get(str(v), str(v)) for v in values], lang)


def pairs_of(answers: Mapping[str, Any], event_date: dt.date | None = None) -> str:
    """Answers (and an event date) as a page query string."""
    out: list[tuple[str, str]] = []
    for qid, value in answers.items():
        out += [(qid, str(v)) for v in (value if isinstance(value, list) else [value])]
    if event_date is not None:
        out.append((EVENT_DATE, event_date.isoformat()))
    return urlencode(out)


def answer_rows(
    planner: Planner, slug: str, answered: Sequence[str], answers: Mapping[str, Any], lang: str
) -> list[tuple[str, str]]:
    """Each answer that applies as (question, answer), for the printed plan."""
    rows = []
    for qid in answered:
        if qid in answers and qid in planner.questions:  # a saved one may predate a change
            view = planner.question_view(qid, lang, slug)
            rows.append((view.label, answer_text(view, answers[qid], lang)))
    return rows
