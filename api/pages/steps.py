"""A plan's steps as HTML, each step's unchanging part rendered once.

A step's title, body, organisation, links and deadline rule are the catalogue's words: the same
on every page that shows the step. `_step.html` is rendered once per step text with markers in
the places that depend on the person (its number, the due date, the reasons, a tick's form),
split at the markers and kept; a page only fills them in, escaped.

The kept pieces are keyed by everything they are made of (the step's texts, the language, the
site's root and the shape: overdue, done, open, ticked, "check"), never by a version number or
an object's identity: a publish that changes a word gives a new key, and the pieces of a draft
(the editors' preview) never meet the published ones. So nothing shown can be stale.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Protocol

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from api.engine.glossary import TermUse
from api.engine.plan import LinkView, OrganisationView, PlanStep
from api.pages.i18n import translations

# Where the person's values go. NUL never reaches a step text (YAML does not allow it), and a
# rendering whose markers do not come out exactly as expected is not kept (see _pieces).
_MARK = "\x00"
_SLOTS = ("number", "due", "reasons", "action", "token")
_SPLIT = re.compile(f"{_MARK}([a-z]+){_MARK}")


class Tick(Protocol):
    action: str
    token: str
    done: bool


class _Texts:
    """The unchanging part of a PlanStep, as `_step.html` reads it."""

    __slots__ = (
        "body",
        "deadline_rule",
        "id",
        "journey",
        "links",
        "organisation",
        "terms",
        "title",
    )

    def __init__(self, key: _Key) -> None:
        (
            self.journey,
            self.id,
            self.title,
            self.body,
            self.terms,
            self.organisation,
            self.links,
            self.deadline_rule,
        ) = key


_Key = tuple[
    str,
    str,
    str,
    str,
    tuple[TermUse, ...],
    OrganisationView | None,
    tuple[LinkView, ...],
    str | None,
]
# (overdue and not done, done, open, ticked, "check", dated)
_Shape = tuple[bool, bool, bool, bool, bool, bool]


@lru_cache(maxsize=8192)
def _pieces(lang: str, root: str, key: _Key, shape: _Shape) -> tuple[str, ...] | None:
    """`_step.html` for these texts and shape, split at the markers: static HTML at even
    places, slot names at odd ones. None if the markers did not come out as expected."""
    from api.pages.render import environment  # render imports this module for its globals

    overdue, done, show_all, ticked, check, dated = shape
    marks = {slot: Markup(f"{_MARK}{slot}{_MARK}") for slot in _SLOTS}
    html = (
        environment(lang)
        .get_template("_step.html")
        .render(
            lang=lang,
            root=root,
            step=_Texts(key),
            overdue=overdue,
            done=done,
            show_all=show_all,
            tick=ticked,
            check=check,
            number=marks["number"],
            due=marks["due"] if dated else None,
            reasons=marks["reasons"],
            action=marks["action"],
            token=marks["token"],
        )
    )
    pieces = tuple(_SPLIT.split(html))
    expected = ("number", *(["due"] if dated else []), "reasons", *(["action", "token"] * ticked))
    if pieces[1::2] != expected or any(_MARK in piece for piece in pieces[::2]):
        return None
    return pieces


@lru_cache(maxsize=4096)
def due_text(lang: str, day: dt.date) -> str:
    """'by Monday 2 August 2027' in the page's language, escaped."""
    from api.pages.render import long_date

    return str(Markup(translations(lang).gettext("by %(date)s")) % {"date": long_date(day, lang)})


@lru_cache(maxsize=8192)
def _reasons(reasons: tuple[str, ...]) -> str:
    return "".join(f"<li>{escape(reason)}</li>" for reason in reasons)


def step_item(
    lang: str, root: str, step: PlanStep, number: int, tick: Tick | None, show_all: bool
) -> Markup:
    """One step's `<li>` of `_step.html`."""
    done = tick is not None and tick.done
    key: _Key = (
        step.journey,
        step.id,
        step.title,
        step.body,
        step.terms,
        step.organisation,
        step.links,
        step.deadline_rule,
    )
    shape: _Shape = (
        step.overdue and not done,
        done,
        show_all,
        tick is not None,
        step.check,
        step.due is not None,
    )
    values: dict[str, Any] = {
        "number": str(number),
        "due": due_text(lang, step.due) if step.due else "",
        "reasons": _reasons(step.reasons),
        "action": escape(tick.action) if tick else "",
        "token": escape(tick.token) if tick else "",
    }
    pieces = _pieces(lang, root, key, shape)
    if pieces is None:  # never seen; rendered whole rather than kept wrong
        return _whole(lang, root, step, number, tick, show_all, values)
    out = list(pieces)
    for index in range(1, len(out), 2):
        out[index] = values[out[index]]
    return Markup("".join(out))


def _whole(
    lang: str,
    root: str,
    step: PlanStep,
    number: int,
    tick: Tick | None,
    show_all: bool,
    values: dict[str, Any],
) -> Markup:
    from api.pages.render import environment

    done = tick is not None and tick.done
    return Markup(
        environment(lang)
        .get_template("_step.html")
        .render(
            lang=lang,
            root=root,
            step=step,
            overdue=step.overdue and not done,
            done=done,
            show_all=show_all,
            tick=tick is not None,
            check=step.check,
            number=number,
            due=Markup(values["due"]) if step.due else None,
            reasons=Markup(values["reasons"]),
            action=tick.action if tick else "",
            token=tick.token if tick else "",
        )
    )


@pass_context
def step_html(
    context: Context, step: PlanStep, number: int, tick: Tick | None, show_all: bool
) -> Markup:
    """`_steps.html`'s way to `step_item`, with the page's language and root."""
    return step_item(context["lang"], context["root"], step, number, tick, show_all)
