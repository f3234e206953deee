"""Importing journey files: new versions only where content changed, all or nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api import cli, migrations
from api.catalogue import repository
from api.catalogue.models import JourneyVersion
from api.catalogue.service import (
    ImportRefused,
    directory_digest,
    import_directory,
    import_if_changed,
)
from api.config import Settings
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


def test_the_development_server_imports_on_start_only_when_the_files_changed(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    root = copy_journeys(tmp_path)
    stamp = tmp_path / "polku.sqlite3.journeys-sha256"
    first = import_if_changed(sessions, root, stamp)
    assert first is not None
    assert len(first.published) == len(BUNDLED)
    assert stamp.read_text().strip() == directory_digest(root)
    assert import_if_changed(sessions, root, stamp) is None  # unchanged: not even parsed

    # A new journey, copied from another with only its slug changed, reaches the site.
    text = (root / "retirement.yaml").read_text("utf-8")
    (root / "early-retirement.yaml").write_text(
        text.replace("\nslug: retirement\n", "\nslug: early-retirement\n", 1), "utf-8"
    )
    report = import_if_changed(sessions, root, stamp)
    assert report is not None
    assert report.published == [("early-retirement", 1)]
    assert import_if_changed(sessions, root, stamp) is None


def test_files_with_problems_keep_what_was_imported_and_say_why(
    sessions: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_journeys(tmp_path)
    database = tmp_path / "polku.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", journeys_dir=root)
    cli._import_changed_journeys(sessions, settings)
    assert f"journeys in {root} changed: {len(BUNDLED)} published" in capsys.readouterr().out
    stamp = tmp_path / "polku.sqlite3.journeys-sha256"
    digest = stamp.read_text()

    path = root / "moving.yaml"
    path.write_text(path.read_text("utf-8").replace("kind: life", "kind: lif", 1), "utf-8")
    cli._import_changed_journeys(sessions, settings)
    err = capsys.readouterr().err
    assert f"{root / 'moving.yaml'}: kind (line " in err
    assert "serving what was published before" in err
    assert stamp.read_text() == digest  # tried again on the next start
    assert versions(sessions) == len(BUNDLED)
