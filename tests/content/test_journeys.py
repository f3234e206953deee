"""The real journey files: they pass every check, their scenarios are thorough, and plans built
from them keep the engine's promises for any answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.catalogue import read_directory
from api.engine.check import CheckResult, check_directory
from api.engine.links import check_link_texts
from api.engine.model import SharedQuestion
from api.engine.planner import Planner
from tests.engine.test_properties import DATES, check_plan_properties
from tests.strategies import answers

JOURNEYS = Path(__file__).parents[2] / "journeys"
# The journeys Polku ships (issues 6 and 12); a file that stops parsing fails the first test.
BUNDLED = (
    "ageing-parent",
    "becoming-an-employer",
    "buying-or-building-a-home",
    "closing-a-business",
    "conscription",
    "death-of-a-loved-one",
    "debt-problems",
    "divorce-or-separation",
    "falling-seriously-ill",
    "having-a-child",
    "informal-care",
    "losing-a-job",
    "moving",
    "moving-in-together-or-marrying",
    "moving-to-finland",
    "rehabilitation-and-returning-to-work",
    "retirement",
    "starting-a-business",
    "starting-full-time-studies",
)


@pytest.fixture(scope="module")
def checked() -> CheckResult:
    return check_directory(JOURNEYS)


@pytest.fixture(scope="module")
def planner(checked: CheckResult) -> Planner:
    assert checked.planner is not None
    return checked.planner


def test_every_link_and_source_is_on_the_domain_list_in_its_language() -> None:
    """What `polku journeys links journeys` checks (and `make test` runs)."""
    report = check_link_texts(read_directory(JOURNEYS))
    assert [str(p) for p in report.problems] == []
    assert report.checked > 400


def test_every_journey_passes_the_check(checked: CheckResult) -> None:
    assert [str(p) for p in checked.problems] == []
    assert set(BUNDLED) <= set(checked.catalogue.journeys)


@pytest.mark.parametrize("slug", BUNDLED)
def test_a_journey_has_at_least_eight_scenarios_reaching_everything(
    checked: CheckResult, slug: str
) -> None:
    journey = checked.catalogue.journeys[slug]
    assert len(journey.scenarios) >= 8
    assert checked.coverage[slug].missing() == []
    assert checked.scenarios_failed[slug] == 0


@pytest.mark.parametrize("slug", BUNDLED)
def test_a_scenario_shows_each_working_day_rule_on_a_day_off(
    checked: CheckResult, slug: str
) -> None:
    """For each working-day rule a journey uses, some scenario's deadline is counted onto a
    weekend or holiday: with the rule it is due on the next working day, without it on that very
    day. Every such expectation is checked here by counting, not only against the engine."""
    from api.engine.deadlines import is_working_day, shift

    journey = checked.catalogue.journeys[slug]
    steps = {s.id: s for s in journey.steps}
    used = {s.deadline.working_day_rule for s in journey.steps if s.deadline}
    shown: set[bool] = set()
    for scenario in journey.scenarios:
        for ref, due in scenario.expect.due.items():
            step = steps.get(ref)
            if scenario.event_date is None or step is None or step.deadline is None:
                continue
            counted = shift(scenario.event_date, step.deadline.period, step.deadline.direction)
            if is_working_day(counted):
                continue
            expected = counted
            if step.deadline.working_day_rule:
                while not is_working_day(expected):
                    expected += dt.timedelta(days=1)
                assert expected != counted
            assert due == expected, (scenario.name, ref)
            shown.add(step.deadline.working_day_rule)
    assert shown == used, f"{slug}: no scenario lands a deadline with each rule on a day off"


@pytest.mark.parametrize("slug", BUNDLED)
def test_a_deadline_moved_off_days_off_cites_the_act(checked: CheckResult, slug: str) -> None:
    """The move comes from Act 150/1930: a step whose deadline uses it cites the Act."""
    journey = checked.catalogue.journeys[slug]
    act = {s.id for s in journey.sources if s.law and s.url.endswith("/1930/19300150")}
    for step in journey.steps:
        if step.deadline is not None and step.deadline.working_day_rule:
            assert act & set(step.sources), f"{slug}/{step.id} does not cite Act 150/1930"


@pytest.mark.parametrize("slug", BUNDLED)
def test_every_journey_names_owner_sources_and_review_date(checked: CheckResult, slug: str) -> None:
    journey = checked.catalogue.journeys[slug]
    assert journey.owner in checked.catalogue.organisations
    assert journey.sources
    assert journey.last_reviewed <= dt.date.today()
    # Business events have no Suomi.fi life-event code (FACTS.md § 0.2); life events need one.
    assert journey.life_events or journey.kind == "business"
    cited = {s for step in journey.steps for s in step.sources}
    assert cited <= {s.id for s in journey.sources}
    # Every step that sets a deadline or cites nothing at all is still traceable to a source.
    for step in journey.steps:
        if step.deadline is not None:
            assert step.deadline.source in {s.id for s in journey.sources}


@pytest.mark.parametrize("slug", BUNDLED)
def test_every_journey_says_what_happens_automatically(checked: CheckResult, slug: str) -> None:
    kinds = {step.kind.value for step in checked.catalogue.journeys[slug].steps}
    assert kinds >= {"task", "automatic"}


def test_shared_questions_are_asked_once_across_a_chain(planner: Planner) -> None:
    death = planner.journey("death-of-a-loved-one")
    shared = {e.shared for e in death.questions if isinstance(e, SharedQuestion)}
    assert "children" in shared
    universe = list(planner.universe("death-of-a-loved-one"))
    assert len(universe) == len(set(universe))


@pytest.mark.parametrize("slug", BUNDLED)
@settings(max_examples=150, deadline=None)
@given(data=st.data(), event_date=DATES, today=DATES)
def test_plans_from_real_journeys_keep_the_engines_promises(
    planner: Planner,
    slug: str,
    data: st.DataObject,
    event_date: dt.date | None,
    today: dt.date | None,
) -> None:
    check_plan_properties(planner, slug, data.draw(answers(planner, slug)), event_date, today)


def test_moving_abroad_and_moving_within_finland_get_different_steps(planner: Planner) -> None:
    common = {"children": "no", "moving_housing_allowance": "no"}
    abroad = planner.plan(
        "moving",
        {
            **common,
            "moving_to": "abroad",
            "moving_destination": "other",
            "moving_abroad_length": "over_6_months",
            "moving_finnish_citizen": "yes",
        },
    )
    within = planner.plan("moving", {**common, "moving_to": "other_municipality"})
    assert abroad.complete
    assert within.complete
    abroad_ids = {s.id for s in abroad.all_steps()}
    within_ids = {s.id for s in within.all_steps()}
    assert {"notify-kela-abroad", "three-year-rule", "vote-from-abroad"} <= abroad_ids - within_ids
    assert {"voting-after-move", "home-municipality-changes"} <= within_ids - abroad_ids
    assert {"notify-dvv"} <= abroad_ids & within_ids


def test_the_translation_report_shows_nothing_missing() -> None:
    from click.testing import CliRunner

    from api.cli import main

    result = CliRunner().invoke(main, ["journeys", "translations", str(JOURNEYS)])
    assert result.exit_code == 0, result.output
    for slug in (*BUNDLED, "shared"):
        assert f"{slug}: " in result.output
    assert result.output.count("missing in Swedish: 0, in English: 0") == len(BUNDLED) + 1


def test_the_translation_report_names_a_missing_text(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from api.cli import main

    shutil.copytree(JOURNEYS, tmp_path / "journeys")
    moving = tmp_path / "journeys" / "moving.yaml"
    moving.write_text(moving.read_text().replace("    en: ", "    en_removed: ", 1))
    text = moving.read_text()
    # Drop the renamed key's line so exactly one English text is missing.
    moving.write_text("\n".join(line for line in text.splitlines() if "en_removed:" not in line))
    result = CliRunner().invoke(main, ["journeys", "translations", str(tmp_path / "journeys")])
    assert result.exit_code == 1
    assert "moving: " in result.output
    assert "missing in Swedish: 0, in English: 1" in result.output
    assert "the English text is missing" in result.output
