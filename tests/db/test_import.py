"""Importing journey files: new versions only where content changed, all or nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api import migrations
from api.catalogue import repository
from api.catalogue.models import JourneyVersion
from api.catalogue.service import ImportRefused, import_directory
from api.db import make_engine, make_sessions
from tests.conftest import BUNDLED, JOURNEYS


@pytest.fixture
def sessions(empty_database_url: str) -> Iterator[sessionmaker[Session]]:
    migrations.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    yield make_sessions(engine)
    engine.dispose()


def copy_journeys(tmp_path: Path) -> Path:
    target = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, target)
    return target


def versions(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(JourneyVersion)) or 0)


def test_importing_twice_publishes_once(sessions: sessionmaker[Session]) -> None:
    first = import_directory(sessions, JOURNEYS)
    assert sorted(slug for slug, _ in first.published) == list(BUNDLED)
    second = import_directory(sessions, JOURNEYS)
    assert second.published == []
    assert not second.changed
    assert versions(sessions) == len(BUNDLED)
    with sessions() as session:
        assert repository.generation(session) == 1


def test_only_changed_journeys_get_a_new_version(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    import_directory(sessions, JOURNEYS)
    changed = copy_journeys(tmp_path)
    path = changed / "moving.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("en: Moving home", "en: Moving house", 1),
        encoding="utf-8",
    )
    report = import_directory(sessions, changed)
    assert report.published == [("moving", 2)]
    assert report.unchanged == [slug for slug in BUNDLED if slug != "moving"]


def test_formatting_and_comments_do_not_make_a_new_version(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    import_directory(sessions, JOURNEYS)
    changed = copy_journeys(tmp_path)
    path = changed / "moving.yaml"
    path.write_text(
        "# a new comment\n" + path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8"
    )
    assert import_directory(sessions, changed).published == []


def test_one_invalid_file_changes_nothing(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    import_directory(sessions, JOURNEYS)
    changed = copy_journeys(tmp_path)
    good = changed / "moving.yaml"
    good.write_text(
        good.read_text(encoding="utf-8").replace("en: Moving home", "en: Moving house", 1),
        encoding="utf-8",
    )
    bad = changed / "death-of-a-loved-one.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace(
            "slug: death-of-a-loved-one", "slug: death-of-a-loved-one\ncolour: red"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        import_directory(sessions, changed)
    problems = [str(p) for p in refused.value.problems]
    assert any("unknown key 'colour'" in p for p in problems), problems
    assert versions(sessions) == len(BUNDLED)  # the valid change to moving was not published
