"""`polku token create/revoke` and `polku journeys export`, against a real database of each kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.catalogue import repository as catalogue_repository
from api.catalogue.service import import_directory
from api.cli import main
from api.config import Settings, get_settings
from api.db import make_engine, make_sessions
from api.editor.models import EditorToken
from api.editor.tokens import hash_token
from api.main import create_app
from tests.conftest import JOURNEYS


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("POLKU_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_a_token_is_printed_once_and_only_its_hash_is_kept(
    cli: CliRunner, database_url: str
) -> None:
    made = cli.invoke(main, ["token", "create", "--name", "Liisa", "--role", "publisher"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()  # the token alone: its expiry goes to stderr
    assert token.startswith("polku_")
    assert len(token) >= 49
    engine = make_engine(database_url)
    with make_sessions(engine)() as session:
        row = session.scalar(select(EditorToken).where(EditorToken.name == "Liisa"))
        assert row is not None
        assert row.token_hash == hash_token(token)
        assert row.role == "publisher"
    engine.dispose()
    again = cli.invoke(main, ["token", "create", "--name", "Liisa", "--role", "editor"])
    assert again.exit_code == 1
    assert "exists already" in again.output

    with TestClient(create_app(Settings(database_url=database_url))) as client:
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/v1/editor/drafts", headers=headers).status_code == 200
        revoked = cli.invoke(main, ["token", "revoke", "Liisa"])
        assert revoked.exit_code == 0, revoked.output
        assert client.get("/v1/editor/drafts", headers=headers).status_code == 401
    assert cli.invoke(main, ["token", "revoke", "Liisa"]).exit_code == 1


def test_a_token_lives_the_configured_days_or_those_given_and_says_until_when(
    cli: CliRunner, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLKU_EDITOR_TOKEN_DAYS", "90")
    get_settings.cache_clear()
    default = cli.invoke(main, ["token", "create", "--name", "Liisa", "--role", "editor"])
    short = cli.invoke(
        main, ["token", "create", "--name", "Kai", "--role", "editor", "--days", "7"]
    )
    assert default.exit_code == short.exit_code == 0, default.output + short.output
    engine = make_engine(database_url)
    with make_sessions(engine)() as session:
        rows = {r.name: r for r in session.scalars(select(EditorToken))}
    engine.dispose()
    for name, result, days in [("Liisa", default, 90), ("Kai", short, 7)]:
        row = rows[name]
        assert row.expires_at - row.created_at == dt.timedelta(days=days)
        assert f"expires {row.expires_at:%Y-%m-%d %H:%M} UTC (in {days} days)" in result.stderr
    refused = cli.invoke(
        main, ["token", "create", "--name", "Z", "--role", "editor", "--days", "0"]
    )
    assert refused.exit_code == 2


def test_export_then_import_gives_the_same_content_hashes(
    cli: CliRunner, database_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "exported"
    result = cli.invoke(main, ["journeys", "export", str(target)])
    assert result.exit_code == 0, result.output
    bundled = sorted(p.name for p in JOURNEYS.glob("*.yaml"))
    assert sorted(p.name for p in target.glob("*.yaml")) == bundled
    check = cli.invoke(main, ["journeys", "check", str(target)])
    assert check.exit_code == 0, check.output

    engine = make_engine(database_url)
    sessions = make_sessions(engine)
    with sessions() as session:
        before = {v.slug: v.content_hash for v in catalogue_repository.published_versions(session)}
    report = import_directory(sessions, target)
    assert report.published == []
    assert report.shared_changed == []
    assert sorted(report.unchanged) == sorted(before)
    with sessions() as session:
        after = {v.slug: v.content_hash for v in catalogue_repository.published_versions(session)}
    engine.dispose()
    assert after == before
    assert len(before) == len(bundled)
