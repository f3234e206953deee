"""A plan's steps as HTML, each step's unchanging part rendered once.

A step's title, body, organisation, links and deadline rule are the catalogue's words: the same
on every page that shows the step. `_step.html` is rendered once per step text with markers in
the places that depend on the person (its number, the due date, the reasons, a tick's form),
split at the markers and kept; a page only fills them in, escaped.

The kept pieces are keyed by everything they are made of (the step's texts, the language, the
site's root and the shape: overdue, done, open, ticked, "check"), never by a version number or
an object's identity: a publish that changes a word gives a new key, and the pieces of a draft
(the editors' preview) never meet the published ones. So nothing shown can be stale.

The lists of steps (`_steps.html`'s groups, what happens by itself and what may come next,
`_next.html`'s lists) are made here too, for the templates and for the plan page's pieces
(`api/pages/pieces.py`), which fill them into a page rendered once per shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from api.engine.glossary import TermUse
from api.engine.plan import ChainView, LinkView, OrganisationView, PlanStep
from api.pages.i18n import translations

if TYPE_CHECKING:
    from api.pages.views import StepGroup

# Where the person's values go. NUL never reaches a step text (YAML does not allow it), a
# template, a translation or a value from a URL (percent-encoded there), and a rendering whose
# markers do not come out exactly as expected is not kept (see _pieces, pieces._pieces).
MARK = "\x00"
_SLOTS = ("number", "due", "reasons", "action", "token")
_SPLIT = re.compile(f"{MARK}([a-z]+){MARK}")


# What markupsafe's escape changes; a plain string without any of these it gives back as is.
_SPECIAL = re.compile("[&<>\"']")


def escape_text(value: Any) -> str:
    """`escape(value)`, without making a new Markup of a plain string that needs no escaping
    (most of a page's values: a page fills in some seventy)."""
    if type(value) is str and not _SPECIAL.search(value):
        return value
    return escape(value)


class Slot(Markup):
    """Where a person's value goes while a page's pieces are rendered (api/pages/pieces.py):
    Markup, so never escaped, and passed through untouched by the row functions and filters."""

    __slots__ = ()

    def __new__(cls, name: str) -> Slot:
        return super().__new__(cls, f"{MARK}{name}{MARK}")


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
    marks = {slot: Markup(f"{MARK}{slot}{MARK}") for slot in _SLOTS}
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
    if pieces[1::2] != expected or any(MARK in piece for piece in pieces[::2]):
        return None
    return pieces


@lru_cache(maxsize=4096)
def due_text(lang: str, day: dt.date) -> str:
    """'by Monday 2 August 2027' in the page's language, escaped."""
    from api.pages.render import long_date  # render imports this module for its globals

    return str(Markup(translations(lang).gettext("by %(date)s")) % {"date": long_date(day, lang)})


def _reasons(reasons: tuple[str, ...]) -> str:
    # Not kept: a reason may quote a person's answer (a date, a number).
    return "".join(f"<li>{escape_text(reason)}</li>" for reason in reasons)


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


# The step lists of `_steps.html` and `_next.html`, written once here for the templates (which
# call them through the functions below) and the plan page's pieces (which fill them in).


def step_groups(
    lang: str,
    root: str,
    groups: Sequence[StepGroup],
    ticks: Mapping[str, Tick] | None,
    show_all: bool,
) -> Markup:
    """The steps by timing, each group a `<section>` under its heading (the journey's own
    words, else the pages' general one), in one numbering."""
    _ = translations(lang).gettext
    general = {"before": _("Beforehand"), "around": _("At the time"), "after": _("Afterwards")}
    out = []
    for group in groups:
        timing = escape_text(group.timing)
        heading = escape_text(group.heading) if group.heading else general[group.timing]
        out.append(
            f'<section aria-labelledby="timing-{timing}">\n'
            f'  <h2 id="timing-{timing}">{heading}</h2>\n'
            f'  <ol class="steps" start="{group.start}">\n'
        )
        for index, step in enumerate(group.steps):
            tick = ticks[step.key] if ticks else None
            out.append(f"    {step_item(lang, root, step, group.start + index, tick, show_all)}\n")
        out.append("  </ol>\n</section>\n")
    return Markup("".join(out))


def next_items(lang: str, steps: Sequence[PlanStep], kind: str) -> Markup:
    """The `<li>`s of one list at the top of a plan: `overdue` (with the date it was due),
    `upcoming` (the date it is due by) or `first` (the deadline's rule, if any)."""
    if isinstance(steps, Slot):
        return steps
    out = []
    for step in steps:
        anchor = f"step-{escape_text(step.journey)}-{escape_text(step.id)}"
        link = f'<a href="#{anchor}">{escape_text(step.title)}</a>'
        if kind == "first":
            rule = step.deadline_rule
            when = f' <span class="when">{escape_text(rule)}</span>' if rule else ""
        else:
            when = f' <strong class="when">{_when(lang, step.due, kind)}</strong>'
        out.append(f"    <li>{link}{when}</li>\n")
    return Markup("".join(out))


def _when(lang: str, due: dt.date | None, kind: str) -> str:
    if due is None:  # never: these lists hold dated steps
        raise ValueError(kind)
    from api.pages.render import long_date

    if kind == "upcoming":
        return due_text(lang, due)
    return str(
        Markup(translations(lang).gettext("was due %(date)s")) % {"date": long_date(due, lang)}
    )


def steps_in_all(lang: str, total: int) -> Markup:
    """'12 steps in all.'"""
    if isinstance(total, Slot):
        return total
    text = translations(lang).ngettext("%(num)d step in all.", "%(num)d steps in all.", total)
    return Markup(text) % {"num": total}


def automatic_items(root: str, steps: Sequence[PlanStep]) -> Markup:
    """The `<li>`s of what happens without the person doing anything."""
    if isinstance(steps, Slot):
        return steps
    return Markup(
        "".join(
            f"    <li><h3>{escape_text(step.title)}</h3>"
            f'<div class="prose">{_body(root, step)}</div></li>\n'
            for step in steps
        )
    )


def _body(root: str, step: PlanStep) -> Markup:
    from api.pages.render import GLOSSARY_PATH, markdown_with_terms

    terms = tuple((use.id, use.text) for use in step.terms)
    return markdown_with_terms(step.body, terms, f"{root}/{GLOSSARY_PATH}")


def chain_items(chains: Sequence[tuple[ChainView, str]]) -> Markup:
    """The `<li>`s of the journeys a person may also need, with their addresses."""
    if isinstance(chains, Slot):
        return chains
    return Markup(
        "".join(
            f'    <li><a href="{escape_text(url)}">{escape_text(chain.title)}</a>'
            f"<p>{escape_text(' '.join(chain.reasons))}</p></li>\n"
            for chain, url in chains
        )
    )


@pass_context
def step_groups_html(
    context: Context, groups: Sequence[StepGroup], ticks: Mapping[str, Tick] | None, show_all: bool
) -> Markup:
    if isinstance(groups, Slot):
        return groups
    return step_groups(context["lang"], context["root"], groups, ticks, show_all)


@pass_context
def next_html(context: Context, steps: Sequence[PlanStep], kind: str) -> Markup:
    return next_items(context["lang"], steps, kind)


@pass_context
def steps_in_all_html(context: Context, total: int) -> Markup:
    return steps_in_all(context["lang"], total)


@pass_context
def automatic_html(context: Context, steps: Sequence[PlanStep]) -> Markup:
    return automatic_items(context["root"], steps)
