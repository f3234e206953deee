"""A step's unchanging HTML is rendered once and filled in per page (api/pages/steps.py): what
it fills in is escaped, the pieces are keyed by the step's words (a changed word is never
shown stale), and the result is exactly what `_step.html` renders whole."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from markupsafe import escape

from api.engine.plan import LinkView, OrganisationView, PlanStep
from api.pages import steps

HOSTILE = "<script>alert(1)</script>"


@dataclasses.dataclass
class _Tick:
    action: str
    token: str
    done: bool


def _step(**changes: object) -> PlanStep:
    step = PlanStep(
        key="x/a",
        id="a",
        journey="x",
        kind="task",
        timing="after",
        title=f"Title {HOSTILE}",
        body=f"Body {HOSTILE} & *more*",
        terms=(),
        organisation=OrganisationView("org", f"Org {HOSTILE}", "https://example.fi"),
        links=(LinkView(f"Link {HOSTILE}", 'https://example.fi/?a="1"', "fi", True),),
        sources=(),
        deadline_rule=f"within a week {HOSTILE}",
        earliest_rule=None,
        due=dt.date(2027, 8, 2),
        opens=None,
        overdue=True,
        check=True,
        reasons=(f"You said {HOSTILE}", "and <b>this</b>"),
        ptv_service=None,
    )
    return dataclasses.replace(step, **changes)


@pytest.mark.parametrize("tick", [None, _Tick('/a"b', "t<k>", False), _Tick("/a", "t", True)])
@pytest.mark.parametrize("show_all", [False, True])
@pytest.mark.parametrize("due", [None, dt.date(2027, 8, 2)])
def test_pieces_filled_in_are_what_the_template_renders_whole_and_escaped(
    tick: _Tick | None, show_all: bool, due: dt.date | None
) -> None:
    step = _step(due=due)
    html = str(steps.step_item("en", "/en", step, 7, tick, show_all))
    again = str(steps.step_item("en", "/en", step, 7, tick, show_all))  # from the kept pieces
    values = {
        "due": steps.due_text("en", due) if due else "",
        "reasons": steps._reasons(step.reasons),
    }
    whole = str(steps._whole("en", "/en", step, 7, tick, show_all, values))
    assert html == again == whole
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert '<span class="step-number">7.</span>' in html
    if tick:
        assert f'value="{escape(tick.token)}"' in html
        assert f'action="{escape(tick.action)}"' in html


def test_a_changed_word_is_never_shown_from_the_old_pieces() -> None:
    before = str(steps.step_item("fi", "/fi", _step(title="Old title"), 1, None, False))
    after = str(steps.step_item("fi", "/fi", _step(title="New title"), 1, None, False))
    assert "Old title" in before
    assert "New title" not in before
    assert "New title" in after
    assert "Old title" not in after


def test_the_persons_values_change_from_page_to_page() -> None:
    first = str(steps.step_item("sv", "/sv", _step(), 1, None, False))
    other = str(
        steps.step_item(
            "sv", "/sv", _step(due=dt.date(2028, 1, 3), reasons=("Annat",)), 2, None, False
        )
    )
    assert "2027" in first
    assert "2028" in other
    assert "2027" not in other
    assert "Annat" in other
    assert "Annat" not in first
    assert '<span class="step-number">2.</span>' in other
