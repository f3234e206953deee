"""Migrations 0002 (editor tokens, drafts, audit log) and 0003 (token expiry and last use) on
both databases: they build what the models describe, and go down and up again."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, select, text

from api import migrations
from api.db import make_engine, make_sessions, utcnow
from api.editor.models import EditorToken

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


def test_0003_gives_existing_tokens_a_years_life_from_the_upgrade(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url, "0002")
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO editor_tokens (name, role, token_hash) "
                "VALUES ('Old Hand', 'publisher', :hash)"
            ),
            {"hash": "0" * 64},
        )
    upgraded_at = utcnow()
    migrations.upgrade(empty_database_url)
    with make_sessions(engine)() as session:
        row = session.scalars(select(EditorToken)).one()
    engine.dispose()
    assert row.last_used_at is None
    expected = upgraded_at + dt.timedelta(days=365)
    assert abs(row.expires_at - expected) < dt.timedelta(minutes=1)
    migrations.downgrade(empty_database_url, "0002")
    migrations.upgrade(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))
