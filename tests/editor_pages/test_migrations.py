"""Migration 0004 (the editors' page sessions) on both databases: it builds what the model
describes, and goes down and up again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from api import migrations
from api.db import make_engine


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_0004_round_trip(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert "editor_sessions" in tables(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
    migrations.downgrade(empty_database_url, "0003")
    assert "editor_sessions" not in tables(empty_database_url)
    assert "editor_tokens" in tables(empty_database_url)
    migrations.upgrade(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
