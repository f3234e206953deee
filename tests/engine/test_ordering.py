"""The order of a plan's steps, on made-up steps: sort keys, then "comes after"."""

from __future__ import annotations

from dataclasses import dataclass

from api.engine.model import Timing
from api.engine.ordering import file_rank, in_order, sort_key


@dataclass(frozen=True)
class Step:
    uid: int
    after_uids: tuple[int, ...] = ()


def test_timing_relative_to_the_event_outweighs_the_journey_and_the_file() -> None:
    early = sort_key(timing=0, journey_position=5, file_rank=file_rank(Timing.after, 9))
    late = sort_key(timing=1, journey_position=0, file_rank=file_rank(Timing.before, 0))
    assert early < late


def test_within_one_timing_the_journey_comes_before_its_own_timing_and_file_order() -> None:
    first = sort_key(timing=1, journey_position=0, file_rank=file_rank(Timing.after, 9))
    second = sort_key(timing=1, journey_position=1, file_rank=file_rank(Timing.before, 0))
    assert first < second


def test_own_timing_comes_before_file_order() -> None:
    assert file_rank(Timing.before, 50) < file_rank(Timing.around, 0) < file_rank(Timing.after, 0)


def test_a_step_waits_for_the_one_it_comes_after_and_others_keep_their_keys() -> None:
    steps = [Step(10, after_uids=(30,)), Step(20), Step(30)]
    keys = [sort_key(timing=0, journey_position=0, file_rank=r) for r in (0, 1, 2)]
    assert in_order(steps, keys) == [1, 2, 0]


def test_a_predecessor_not_in_the_plan_is_ignored() -> None:
    steps = [Step(1, after_uids=(99,)), Step(2)]
    keys = [sort_key(timing=0, journey_position=0, file_rank=r) for r in (0, 1)]
    assert in_order(steps, keys) == [0, 1]
