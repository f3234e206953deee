"""Migration 0002 (editor tokens, drafts, audit log) on both databases: it builds what the models
describe, and goes down to 0001 and up again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from api import migrations
from api.db import make_engine

EDITOR_TABLES = {"editor_tokens", "drafts", "audit_log"}


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_0002_round_trip(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert tables(empty_database_url) >= EDITOR_TABLES
    command.check(migrations.alembic_config(empty_database_url))
    migrations.downgrade(empty_database_url, "0001")
    remaining = tables(empty_database_url)
    assert not remaining & EDITOR_TABLES
    assert "journey_versions" in remaining
    migrations.upgrade(empty_database_url)
    assert tables(empty_database_url) >= EDITOR_TABLES
    command.check(migrations.alembic_config(empty_database_url))
