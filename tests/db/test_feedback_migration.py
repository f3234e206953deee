"""Migration 0008 (feedback) on both databases: it builds what the models describe, and goes
down and up again."""

from __future__ import annotations

from alembic import command

from api import migrations
from tests.db.test_fingerprints_migration import tables

FEEDBACK = {"feedback_counts", "feedback_comments"}


def test_0008_round_trip(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert tables(empty_database_url) >= FEEDBACK
    command.check(migrations.alembic_config(empty_database_url))
    migrations.downgrade(empty_database_url, "0007")
    assert not FEEDBACK & tables(empty_database_url)
    assert "translation_fingerprints" in tables(empty_database_url)
    migrations.upgrade(empty_database_url)
    assert tables(empty_database_url) >= FEEDBACK
    command.check(migrations.alembic_config(empty_database_url))
