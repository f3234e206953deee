"""Migration 0007 (a checklist's calendar feed hash) on both databases: it builds what the model
describes, and goes down and up again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from api import migrations
from api.db import make_engine


def columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {column["name"] for column in inspect(engine).get_columns("checklists")}
    finally:
        engine.dispose()


def test_0007_round_trip(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert "calendar_hash" in columns(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
    migrations.downgrade(empty_database_url, "0006")
    assert "calendar_hash" not in columns(empty_database_url)
    migrations.upgrade(empty_database_url)
    assert "calendar_hash" in columns(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
