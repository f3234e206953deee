"""The search index is built with the published catalogue, once per generation, and the pages
and the API search through that one index."""

from __future__ import annotations

import pytest

from api.catalogue import service
from api.engine.catalogue import Catalogue
from api.engine.search import SearchIndex
from tests.pages.conftest import app_client


def test_the_index_is_built_once_not_per_search(
    shared_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[SearchIndex] = []
    real = service.build_index

    def counting(catalogue: Catalogue) -> SearchIndex:
        built.append(real(catalogue))
        return built[-1]

    monkeypatch.setattr(service, "build_index", counting)
    # Not one this process prepared before on a copy of the same database.
    monkeypatch.setattr(service, "_PREPARED", type(service._PREPARED)())
    with app_client(shared_database_url) as client:
        for query in ("työtön", "died", "flyttning"):
            assert client.get("/en/", params={"q": query}).status_code == 200
            assert client.get("/v1/journeys", params={"q": query}).json()["journeys"]
        published = client.app.state.catalogue.current  # type: ignore[attr-defined]
        assert published.search is built[0]
    assert len(built) == 1
