"""Work on unchanged parts of a catalogue done once: an editor's draft is checked against the
published catalogue with one journey replaced, so the other journeys' checks and preparation
can be reused (`ByIdentity`).

Everything a catalogue holds is frozen once parsed, so the same objects give the same result.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Generic, TypeVar

from api.engine.catalogue import Catalogue
from api.engine.model import Journey
from api.engine.problems import Problem, ProblemList

Result = TypeVar("Result")


class ByIdentity(Generic[Result]):
    """The last `size` results of a pure function of frozen objects, found by the objects'
    identities (never compared: comparing two journeys costs more than checking one). An entry
    keeps its objects alive, so their ids cannot be taken by new ones while it is kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, ...], tuple[tuple[object, ...], Result]] = OrderedDict()
        self._lock = Lock()

    def get(self, parts: tuple[object, ...], make: Callable[[], Result]) -> Result:
        key = tuple(map(id, parts))
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept[1]
        result = make()
        with self._lock:
            self._kept[key] = (parts, result)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


JourneyCheck = Callable[[Journey, ProblemList], tuple[Problem, ...]]


def each_journey(
    catalogue: Catalogue,
    kept: ByIdentity[tuple[Problem, ...]],
    depends_on: object,
    check: JourneyCheck,
) -> list[Problem]:
    """The problems `check` finds in each journey of the catalogue, in file order, found once
    per journey, file (name and line map) and what else the check `depends_on`."""
    problems: list[Problem] = []
    for slug, journey in sorted(catalogue.journeys.items()):
        file = catalogue.file_of(slug)
        lines = catalogue.lines.get(file)
        where = ProblemList(file, lines)
        problems += kept.get(
            (journey, file, lines, depends_on), functools.partial(check, journey, where)
        )
    return problems
