"""Plans serialised from the engine's dataclasses match the contract; the per-worker response
cache answers repeats without planning again and never outlives a publish."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from api.engine.check import check_directory
from api.public import views
from api.public.cache import ResponseCache, plan_json
from api.public.schemas import PlanRead

JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"


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
    assert PlanRead.model_validate_json(plan_json(plan, 7)) == views.plan_read(plan, 7)


def test_a_repeated_request_is_answered_from_the_cache() -> None:
    cache = ResponseCache(size=2)
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b'{"n":%d}' % len(made)

    first = cache.get_or_make(("plan", 1, "moving", {"a": "b"}), make)
    again = cache.get_or_make(("plan", 1, "moving", {"a": "b"}), make)
    assert first == again
    assert len(made) == 1
    # A new generation is a new key: nothing published earlier is served.
    newer = cache.get_or_make(("plan", 2, "moving", {"a": "b"}), make)
    assert newer != first
    assert len(made) == 2


def test_the_cache_is_bounded_and_errors_are_not_kept() -> None:
    cache = ResponseCache(size=2)
    for n in range(5):
        cache.get_or_make(("k", n), lambda n=n: b"%d" % n)  # type: ignore[misc]
    assert len(cache) == 2

    def refuse() -> bytes:
        raise ValueError("invalid answers")

    with pytest.raises(ValueError, match="invalid answers"):
        cache.get_or_make(("bad",), refuse)
    assert len(cache) == 2
