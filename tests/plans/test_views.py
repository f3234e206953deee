"""Plans serialised straight from the engine's dataclasses match the contract."""

from __future__ import annotations

import datetime as dt

import pytest

from api.engine.check import check_directory
from api.plans.schemas import PlanRead
from api.plans.views import plan_json, plan_read
from tests.conftest import JOURNEYS


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_fast_plan_json_is_exactly_the_documented_plan(lang: str) -> None:
    planner = check_directory(JOURNEYS).planner
    assert planner is not None
    plan = planner.plan(
        "death-of-a-loved-one",
        {"survivor_moves": "not_sure", "children": "yes"},
        event_date=dt.date(2026, 3, 1),
        today=dt.date(2026, 7, 1),
        lang=lang,
    )
    assert PlanRead.model_validate_json(plan_json(plan, 7)) == plan_read(plan, 7)
