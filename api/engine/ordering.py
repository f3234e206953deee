"""The order of a plan's steps: timing first, then "comes after", then file order.

Each step gets one sortable number, its `SortKey`, packed from (timing relative to the plan's
event, its journey's place in the plan, its own timing, its position in its file): one int
compares faster than a tuple in the heap, and a plan orders hundreds of steps.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import NewType, Protocol

from api.engine.model import TIMING_ORDER, Timing

SortKey = NewType("SortKey", int)

# Bits of each part of a sort key: a file holds fewer than 2**24 steps, a plan fewer than 2**16
# journeys, and TIMING_ORDER has three values (2 bits).
_FILE_BITS = 24
_RANK_BITS = _FILE_BITS + 2
_JOURNEY_BITS = 16


def file_rank(timing: Timing, index: int) -> int:
    """A step's own timing, then its position in its file, as one sortable number."""
    return TIMING_ORDER[timing] << _FILE_BITS | index


def sort_key(*, timing: int, journey_position: int, file_rank: int) -> SortKey:
    """Where a step stands before "comes after" is applied: by its timing relative to the plan's
    event (an included journey's steps all at the timing of its own event), then by its
    journey's place in the plan, then by `file_rank`."""
    return SortKey((timing << _JOURNEY_BITS | journey_position) << _RANK_BITS | file_rank)


class Ordered(Protocol):
    """A step as ordering sees it: its number in the catalogue, and those it comes after."""

    @property
    def uid(self) -> int: ...

    @property
    def after_uids(self) -> tuple[int, ...]: ...


def in_order(steps: Sequence[Ordered], keys: Sequence[SortKey]) -> list[int]:
    """The positions in `steps` in plan order: Kahn's algorithm that always takes the step with
    the lowest sort key whose predecessors are placed. Predecessors not in the plan are
    ignored."""
    index = {step.uid: i for i, step in enumerate(steps)}
    waiting = [0] * len(steps)
    followers: list[list[int]] = [[] for _ in steps]
    for i, step in enumerate(steps):
        for uid in step.after_uids:
            j = index.get(uid)
            if j is not None:
                waiting[i] += 1
                followers[j].append(i)
    ready = [(keys[i], i) for i in range(len(steps)) if not waiting[i]]
    heapq.heapify(ready)
    out: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        out.append(i)
        for j in followers[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (keys[j], j))
    return out  # complete: validation rejects cycles in "comes after"
