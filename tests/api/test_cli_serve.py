"""`polku serve` refuses settings the workers could not run with, before it touches the database
or starts a server (uvicorn.run is replaced: no server starts here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api import cli
from api.config import get_settings

SECRET = "a-secret-key-that-is-long-enough-0123456789"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[dict[str, Any]]]:
    """The keyword arguments of every uvicorn.run call, against a database never opened."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("POLKU_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    for name in ("POLKU_SECRET_KEY", "POLKU_WORKERS", "POLKU_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_serving_several_workers_without_a_secret_key_is_refused(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each worker would make its own key and refuse the forms the others rendered."""
    database = tmp_path / "polku.sqlite3"
    monkeypatch.setenv("POLKU_DATABASE_URL", f"sqlite:///{database}")
    result = CliRunner().invoke(cli.main, ["serve", "--workers", "3"])
    assert result.exit_code == 2, result.output
    assert "set POLKU_SECRET_KEY" in result.stderr
    assert started == []
    assert not database.exists()  # refused before the first start's migrations


def test_a_refused_secret_key_is_never_echoed(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLKU_SECRET_KEY", "too-short-but-secret")
    result = CliRunner().invoke(cli.main, ["serve", "--workers", "3"])
    assert result.exit_code == 2
    assert "32 characters" in result.stderr
    assert "too-short-but-secret" not in result.output
    assert started == []


def test_serving_several_workers_with_a_secret_key_starts_them_all(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLKU_SECRET_KEY", SECRET)
    result = CliRunner().invoke(cli.main, ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert [call["workers"] for call in started] == [3]
    assert SECRET not in result.output


def test_one_worker_needs_no_secret_key_in_development(started: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli.main, ["serve"])
    assert result.exit_code == 0, result.output
    assert [call["workers"] for call in started] == [1]
