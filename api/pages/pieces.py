"""The plan page from pieces: `plan.html` rendered once per shape, with slots where a person's
values go, then filled in on every page.

A plan page is the page most asked and never cached (its address holds a person's answers);
Jinja rendering it whole was about half its cost (bench/README.md). What the page shows of a
person (the answers, dates, addresses, steps, form tokens) goes into slots, escaped as Jinja
escapes it; what stays is the template's own text in one language for one shape (which
sections show, which date boxes hold a value...). So nothing of a person and nothing of the
catalogue is kept: the pieces cannot be stale after a publish, and hold no personal data. The
lists (steps, printed answers, hidden fields) are functions in `steps` and `render` which the
templates call too (a slot passes through them), so a list is written once for both ways.
Anything unusual (another template's extra names, a feedback form with errors) is rendered
whole, and so is a shape whose slots do not come out exactly as expected.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import Any

from markupsafe import escape

from api.pages.feedback import FeedbackForm
from api.pages.render import environment, hidden_inputs, long_date, print_answers
from api.pages.steps import (
    MARK,
    Slot,
    automatic_items,
    chain_items,
    escape_text,
    next_items,
    step_groups,
    steps_in_all,
)
from api.pages.views import NextSteps

# The names a citizen's plan page is rendered with (api.pages.render.page_context and
# routes.plan_page); another set (the editors' preview, say) is rendered whole.
_NAMES = frozenset(
    {
        "lang",
        "root",
        "embed",
        "theme",
        "ttl_days",
        "other_languages",
        "slug",
        "journey_title",
        "event_label",
        "event_date",
        "event_date_error",
        "date_shown",
        "date_message",
        "groups",
        "summary",
        "show_all",
        "answers",
        "today",
        "ticks",
        "automatic",
        "chains",
        "hidden",
        "show_all_url",
        "address",
        "check_url",
        "save",
        "calendar_url",
        "feedback",
    }
)


def plan_html(context: dict[str, Any]) -> str:
    """`plan.html` rendered with `context`, byte for byte, from the kept pieces when it can."""
    shape = _shape(context)
    pieces = None if shape is None else _pieces(shape)
    if pieces is None:
        return whole(context)
    values = _values(context)
    out = list(pieces)
    for index in range(1, len(out), 2):
        out[index] = values[out[index]]
    return "".join(out)


def whole(context: dict[str, Any]) -> str:
    return environment(context["lang"]).get_template("plan.html").render(context)


def _shape(c: dict[str, Any]) -> Hashable | None:
    """What decides the page's unchanging text (no value of a person's): None if unusual."""
    feedback, summary, shown = c.get("feedback"), c.get("summary"), c.get("date_shown")
    if (
        c.keys() != _NAMES
        or c["ticks"] is not None
        or not isinstance(feedback, FeedbackForm)
        or feedback.useful
        or feedback.comment
        or feedback.errors
        or not isinstance(summary, NextSteps)
        or not isinstance(shown, Mapping)
        or len(c["other_languages"]) != 2
    ):
        return None
    return (
        c["lang"],
        c["root"],
        c["embed"],
        c["theme"],
        c["ttl_days"],
        tuple(other for other, _ in c["other_languages"]),
        c["event_date"] is not None,
        c["event_date_error"],
        tuple(sorted(shown)),
        c["date_message"] is not None,
        (bool(summary.overdue), bool(summary.upcoming), bool(summary.first)),
        c["show_all"],
        bool(c["answers"]),
        c["today"] is not None,
        bool(c["automatic"]),
        bool(c["chains"]),
        c["calendar_url"] is not None,
        feedback.sent,
        feedback.max_length,
    )


# Slot names between marks; a rendering with a mark outside them is not kept.
_SPLIT = re.compile(f"{MARK}([a-z_0-9]+){MARK}")


@lru_cache(maxsize=1024)
def _pieces(shape: Any) -> tuple[str, ...] | None:
    """`plan.html` for this shape with slots, split: text at even places, slot names at odd."""
    (
        lang,
        root,
        embed,
        theme,
        ttl_days,
        others,
        dated,
        date_error,
        shown,
        message,
        (overdue, upcoming, first),
        show_all,
        answers,
        today,
        automatic,
        chains,
        calendar,
        sent,
        max_length,
    ) = shape
    context = {
        "lang": lang,
        "root": root,
        "embed": embed,
        "theme": theme,
        "ttl_days": ttl_days,
        "other_languages": [(other, Slot(f"language_{other}")) for other in others],
        "slug": Slot("slug"),
        "journey_title": Slot("journey_title"),
        "event_label": Slot("event_label"),
        "event_date": Slot("event_date") if dated else None,
        "event_date_error": date_error,
        "date_shown": {part: Slot(f"shown_{part}") for part in shown},
        "date_message": Slot("date_message") if message else None,
        "groups": Slot("groups"),
        "summary": NextSteps(
            Slot("total"),  # type: ignore[arg-type]
            Slot("overdue") if overdue else [],  # type: ignore[arg-type]
            Slot("upcoming") if upcoming else [],  # type: ignore[arg-type]
            Slot("first") if first else [],  # type: ignore[arg-type]
        ),
        "show_all": show_all,
        "answers": Slot("answers") if answers else [],
        "today": Slot("today") if today else None,
        "ticks": None,
        "automatic": Slot("automatic") if automatic else [],
        "chains": Slot("chains") if chains else [],
        "hidden": Slot("hidden"),
        "show_all_url": Slot("show_all_url"),
        "address": Slot("address"),
        "check_url": Slot("check_url"),
        "save": (Slot("save_action"), Slot("save_token"), Slot("save_pairs")),
        "calendar_url": Slot("calendar_url") if calendar else None,
        "feedback": FeedbackForm(
            action=Slot("feedback_action"),
            token=Slot("feedback_token"),
            version=Slot("feedback_version"),  # type: ignore[arg-type]
            hidden=Slot("feedback_hidden"),  # type: ignore[arg-type]
            sent=sent,
            max_length=max_length,
        ),
    }
    pieces = tuple(_SPLIT.split(whole(context)))
    if any(MARK in piece for piece in pieces[::2]):
        return None
    return pieces


def _values(c: dict[str, Any]) -> dict[str, str]:
    """What goes into the slots, escaped as `{{ }}` escapes it (the row functions' Markup as
    it is)."""
    lang, root = c["lang"], c["root"]
    summary: NextSteps = c["summary"]
    save_action, save_token, save_pairs = c["save"]
    feedback: FeedbackForm = c["feedback"]
    # The save and feedback forms carry the same answers (routes.plan_page): escaped once.
    pairs_html = hidden_inputs(save_pairs)
    values = {
        **{f"language_{other}": escape_text(url) for other, url in c["other_languages"]},
        "slug": escape_text(c["slug"]),
        "journey_title": escape_text(c["journey_title"]),
        "event_label": escape_text(c["event_label"]),
        "event_date": escape_text(long_date(c["event_date"], lang)) if c["event_date"] else "",
        "date_message": escape(c["date_message"]),
        "groups": step_groups(lang, root, c["groups"], None, c["show_all"]),
        "overdue": next_items(lang, summary.overdue, "overdue"),
        "upcoming": next_items(lang, summary.upcoming, "upcoming"),
        "first": next_items(lang, summary.first, "first"),
        "total": steps_in_all(lang, summary.total),
        "answers": print_answers(c["answers"]),
        "today": escape_text(long_date(c["today"], lang)) if c["today"] else "",
        "automatic": automatic_items(root, c["automatic"]),
        "chains": chain_items(c["chains"]),
        "hidden": hidden_inputs(c["hidden"]),
        "show_all_url": escape_text(c["show_all_url"]),
        "address": escape_text(c["address"]),
        "check_url": escape_text(c["check_url"]),
        "save_action": escape_text(save_action),
        "save_token": escape_text(save_token),
        "save_pairs": pairs_html,
        "calendar_url": escape(c["calendar_url"]),
        "feedback_action": escape_text(feedback.action),
        "feedback_token": escape_text(feedback.token),
        "feedback_version": escape(feedback.version),
        "feedback_hidden": pairs_html
        if feedback.hidden is save_pairs
        else hidden_inputs(feedback.hidden),
    }
    for part, value in c["date_shown"].items():
        values[f"shown_{part}"] = escape_text(value)
    return values
