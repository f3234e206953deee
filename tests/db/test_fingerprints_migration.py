"""Migration 0006 (translation fingerprints) on both databases: it builds what the model
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


def test_0006_round_trip(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert "translation_fingerprints" in tables(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
    migrations.downgrade(empty_database_url, "0005")
    assert "translation_fingerprints" not in tables(empty_database_url)
    assert "journey_versions" in tables(empty_database_url)
    migrations.upgrade(empty_database_url)
    assert "translation_fingerprints" in tables(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
