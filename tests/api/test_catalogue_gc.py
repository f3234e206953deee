"""The catalogue service freezes each loaded catalogue out of the cyclic garbage collector's
scans (bench/README.md, GC), and after a publish lets the collector free what the replaced one
left behind: frozen garbage would otherwise stay for the life of the worker."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.catalogue.service import CatalogueService
from api.db import make_engine, make_sessions
from tests.conftest import changed_journeys
from tests.server import publish


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen, whatever it froze."""
    gc.unfreeze()
    yield
    gc.unfreeze()


class Cycle:
    """Garbage only the cyclic collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_a_worker_freezes_its_catalogue_and_a_publish_frees_what_the_old_one_left(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    try:
        service = CatalogueService(make_sessions(engine))
        left_behind = Cycle()  # alive while the first catalogue is loaded, garbage after
        service.load()
        assert gc.get_freeze_count() > 0
        gone = weakref.ref(left_behind)
        del left_behind
        gc.collect()
        assert gone() is not None, "frozen garbage is out of the collector's reach"
        old = weakref.ref(service.current)

        publish(
            database_url,
            changed_journeys(tmp_path, "moving", "en: Moving home", "en: Moving house"),
        )
        assert service.refresh()

        assert gone() is None, "the publish's reload let the collector free it"
        assert old() is None
        assert service.current.versions["moving"].number == 2
        assert gc.get_freeze_count() > 0, "the new catalogue is frozen in its turn"
    finally:
        engine.dispose()
