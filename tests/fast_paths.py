"""What the plan's and the plan page's fast paths are tested against: the same app without the
fast path's middleware, answering the same request with the same status, headers and bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from tests.conftest import GENEROUS_LIMITS, PublishedTemplates

# Headers that differ between any two answers.
VARYING = {"date", "x-request-id"}
Clients = tuple[TestClient, TestClient]


@contextmanager
def with_and_without(
    middleware: type, tmp_path: Path, templates: PublishedTemplates
) -> Iterator[Clients]:
    """Two apps on one copy of the published database: with every middleware, and without
    `middleware` (the fast path)."""
    settings = Settings(
        database_url=templates.sqlite_copy(tmp_path / "polku.sqlite3"), **GENEROUS_LIMITS
    )
    with_fast, without = create_app(settings), create_app(settings)
    without.user_middleware = [m for m in without.user_middleware if m.cls is not middleware]
    assert len(without.user_middleware) == len(with_fast.user_middleware) - 1
    with TestClient(with_fast) as a, TestClient(without) as b:
        yield a, b


def same_answer(
    clients: Clients,
    method: str,
    path: str,
    headers: Sequence[tuple[str, str]] = (),
    body: Callable[[bytes], bytes] = lambda content: content,
    **options: Any,
) -> int:
    """Asks both apps; their status, headers (`VARYING` aside) and `body(content)` must be the
    same. Returns the status."""
    a, b = (client.request(method, path, headers=list(headers), **options) for client in clients)
    assert a.status_code == b.status_code, path
    assert body(a.content) == body(b.content), path
    assert [(k, v) for k, v in a.headers.multi_items() if k not in VARYING] == [
        (k, v) for k, v in b.headers.multi_items() if k not in VARYING
    ], path
    return a.status_code
