"""Migrations are reviewed code: they build the schema the models describe, on both databases."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select

from api import migrations
from api.catalogue.content import content_hash, normalised
from api.catalogue.models import JourneyRecord, JourneyVersion
from api.db import make_engine
from api.editor.models import Draft
from api.engine.catalogue import parse_texts, read_directory
from api.engine.model import Journey
from tests.conftest import JOURNEYS


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_on_an_empty_database_creates_every_table(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    assert tables(empty_database_url) >= {
        "journeys",
        "journey_versions",
        "shared_documents",
        "catalogue_state",
        "checklists",
        "alembic_version",
    }


def test_the_models_and_the_migrations_agree(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    # `alembic check` fails when autogenerate would produce a new migration.
    command.check(migrations.alembic_config(empty_database_url))


def test_downgrade_to_base_and_upgrade_again(empty_database_url: str) -> None:
    migrations.upgrade(empty_database_url)
    migrations.downgrade(empty_database_url, "base")
    assert tables(empty_database_url) <= {"alembic_version"}
    migrations.upgrade(empty_database_url)
    command.check(migrations.alembic_config(empty_database_url))


def _before_working_day_rule(url: str) -> str:
    """The revision just before the one that made every working-day rule explicit."""
    script = ScriptDirectory.from_config(migrations.alembic_config(url))
    down = script.get_revision("0005").down_revision
    assert isinstance(down, str)
    return down


def _as_stored_before(content: dict[str, Any]) -> dict[str, Any]:
    """A journey document as normalised while `working_day_rule` defaulted to true."""
    old = copy.deepcopy(content)
    for step in old["steps"]:
        if step.get("deadline", {}).get("working_day_rule") is True:
            del step["deadline"]["working_day_rule"]
    return old


def test_stored_deadlines_get_their_working_day_rule(empty_database_url: str) -> None:
    url = empty_database_url
    migrations.upgrade(url, _before_working_day_rule(url))
    catalogue, problems = parse_texts(read_directory(JOURNEYS))
    assert problems == []
    moving = normalised(catalogue.journeys["moving"])
    retirement = normalised(catalogue.journeys["retirement"])
    old_moving = _as_stored_before(moving)
    # The test starts from the old form: a deadline without the field, and one with `false`.
    rules = [
        step["deadline"].get("working_day_rule")
        for step in old_moving["steps"]
        if "deadline" in step
    ]
    assert None in rules
    assert False in rules
    # An `earliest` that said it had no effect: the field is no longer allowed there.
    old_moving["steps"][0]["earliest"] = {
        "after": {"days": 1},
        "source": "suomifi_move",
        "working_day_rule": False,
    }
    untouched_hash = content_hash(retirement)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(JourneyRecord), [{"slug": "moving"}, {"slug": "retirement"}])
            connection.execute(
                insert(JourneyVersion),
                [
                    {
                        "slug": "moving",
                        "number": 1,
                        "content": old_moving,
                        "content_hash": content_hash(old_moving),
                        "created_by": "test",
                    },
                    {
                        "slug": "retirement",
                        "number": 1,
                        "content": retirement,  # every rule false: kept, so nothing changes
                        "content_hash": untouched_hash,
                        "created_by": "test",
                    },
                ],
            )
            connection.execute(
                insert(Draft),
                [
                    {
                        "slug": "moving",
                        "key": "k",
                        "content": _as_stored_before(moving),
                        "problems": [],
                        "revision": 1,
                        "based_on_version": 1,
                        "updated_at": dt.datetime.now(dt.UTC),
                        "updated_by": "test",
                    }
                ],
            )
        migrations.upgrade(url)
        with engine.connect() as connection:
            stored = {
                row.slug: (row.content, row.content_hash)
                for row in connection.execute(
                    select(JourneyVersion.slug, JourneyVersion.content, JourneyVersion.content_hash)
                )
            }
            draft = connection.execute(select(Draft.content)).scalar_one()
    finally:
        engine.dispose()

    moving_content, moving_hash = stored["moving"]
    expected = copy.deepcopy(moving)
    expected["steps"][0]["earliest"] = {"after": {"days": 1}, "source": "suomifi_move"}
    assert moving_content == expected
    assert moving_hash == content_hash(expected)
    assert stored["retirement"] == (retirement, untouched_hash)
    # The draft is what the journey normalises to now, so it loads and re-normalises unchanged.
    assert draft == moving
    assert normalised(Journey.model_validate(draft)) == moving
