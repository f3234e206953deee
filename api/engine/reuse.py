"""Work on unchanged parts of a catalogue done once: an editor's draft is checked against the
published catalogue with one journey replaced, so the other journeys' checks and preparation
can be reused (`ByIdentity`).

Everything a catalogue holds is frozen once parsed, so the same objects give the same result.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Generic, TypeVar

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
