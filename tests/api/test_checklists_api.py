"""Saved checklists: made from a plan, found only through the private id, expiring."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, insert, select, update

from api.catalogue.models import JourneyVersion
from api.catalogue.service import import_directory
from api.checklists import repository, service
from api.checklists.models import Checklist
from api.config import Settings
from api.db import make_engine, make_sessions
from api.main import create_app
from tests.api.test_cache import cache_of
from tests.conftest import JOURNEYS, PUBLIC_URL, problem

WITHIN = {"moving_to": "other_municipality", "children": "no", "moving_housing_allowance": "no"}


def create(client: TestClient, **extra: object) -> dict:
    response = client.post(
        "/v1/checklists",
        json={"journey": "moving", "answers": WITHIN, "event_date": "2027-06-18", **extra},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_checklist_is_made_from_a_plan_and_read_back_by_its_private_id(
    client: TestClient, database_url: str
) -> None:
    made = create(client, lang="en")
    assert len(made["id"]) >= 43  # 256 random bits, base64url
    assert made["version"] == 1
    assert made["done"] == []
    assert made["plan"]["complete"]
    assert made["newer_version"] is None
    read = client.get(f"/v1/checklists/{made['id']}?lang=en")
    assert read.status_code == 200
    assert read.headers["cache-control"] == "no-store"
    assert read.json()["plan"]["steps"] == made["plan"]["steps"]
    # Only a hash of the id is stored.
    engine = make_engine(database_url)
    with make_sessions(engine)() as session:
        stored = list(session.scalars(select(Checklist.id_hash)))
    engine.dispose()
    assert hashlib.sha256(made["id"].encode()).hexdigest() in stored
    assert made["id"] not in stored


def test_ticking_a_step_is_kept_and_can_be_undone(client: TestClient) -> None:
    made = create(client)
    url = f"/v1/checklists/{made['id']}/steps/moving/notify-dvv"
    assert client.put(url, json={"done": True}).json()["done"] == ["moving/notify-dvv"]
    assert client.get(f"/v1/checklists/{made['id']}").json()["done"] == ["moving/notify-dvv"]
    assert client.put(url, json={"done": False}).json()["done"] == []


def test_a_step_that_is_not_in_the_checklist_cannot_be_ticked(client: TestClient) -> None:
    made = create(client)
    response = client.put(
        f"/v1/checklists/{made['id']}/steps/moving/notify-kela-abroad", json={"done": True}
    )
    assert response.status_code == 404
    assert response.json()["type"] == problem("unknown-step")


def test_changing_answers_replans_and_drops_ticks_of_steps_that_went_away(
    client: TestClient,
) -> None:
    made = create(client)
    client.put(f"/v1/checklists/{made['id']}/steps/moving/voting-after-move", json={"done": True})
    client.put(f"/v1/checklists/{made['id']}/steps/moving/notify-dvv", json={"done": True})
    changed = client.patch(
        f"/v1/checklists/{made['id']}",
        json={
            "answers": {
                **WITHIN,
                "moving_to": "abroad",
                "moving_destination": "nordic",
                "moving_abroad_length": "up_to_6_months",
                "moving_finnish_citizen": "yes",
            }
        },
    )
    assert changed.status_code == 200
    assert changed.json()["done"] == ["moving/notify-dvv"]
    invalid = client.patch(f"/v1/checklists/{made['id']}", json={"answers": {"moving_to": "x"}})
    assert invalid.status_code == 422
    # A refused change changes nothing.
    assert client.get(f"/v1/checklists/{made['id']}").json()["answers"]["moving_to"] == "abroad"


def test_a_deleted_checklist_is_gone(client: TestClient) -> None:
    made = create(client)
    assert client.delete(f"/v1/checklists/{made['id']}").status_code == 204
    assert client.get(f"/v1/checklists/{made['id']}").status_code == 404
    assert client.delete(f"/v1/checklists/{made['id']}").status_code == 404


def test_a_guessed_id_finds_nothing(client: TestClient) -> None:
    response = client.get("/v1/checklists/" + "A" * 43)
    assert response.status_code == 404
    assert response.json()["type"] == problem("unknown-checklist")


def test_an_unused_checklist_expires_and_is_purged(client: TestClient, database_url: str) -> None:
    made = create(client)
    kept = create(client)
    engine = make_engine(database_url)
    sessions = make_sessions(engine)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=181)
    with sessions() as session, session.begin():
        session.execute(
            update(Checklist)
            .where(Checklist.id_hash == hashlib.sha256(made["id"].encode()).hexdigest())
            .values(last_used_at=long_ago)
        )
    assert client.get(f"/v1/checklists/{made['id']}").status_code == 404
    with sessions() as session, session.begin():
        assert service.purge(session=session, ttl=dt.timedelta(days=180)) == 1
    engine.dispose()
    assert client.get(f"/v1/checklists/{kept['id']}").status_code == 200


EXPIRED = 100_000


def _stock_variable_limit(connection: sqlite3.Connection, _: object) -> None:
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)


def test_a_hundred_thousand_expired_checklists_are_all_purged_and_a_fresh_one_stays(
    database_url: str,
) -> None:
    """The purge is one set-based DELETE. It used to load every expired id and bind one
    parameter each, which PostgreSQL refuses above 65,535 and SQLite above its variable limit:
    from then on nothing expired was ever deleted."""
    engine = make_engine(database_url)
    if engine.dialect.name == "sqlite":
        # This machine's SQLite (Debian's) allows 250,000 bound variables; a stock build 32,766.
        event.listen(engine, "connect", _stock_variable_limit)
    sessions = make_sessions(engine)
    now = dt.datetime.now(dt.UTC)
    long_ago = now - dt.timedelta(days=181)
    with sessions() as session, session.begin():
        version_id = session.scalars(select(JourneyVersion.id)).first()
        row = {"journey_version_id": version_id, "answers": {}, "done": [], "revision": 1}
        session.execute(  # one executemany, without the ORM's per-row work
            insert(Checklist.__table__),
            [
                {**row, "id_hash": f"{n:064x}", "created_at": long_ago, "last_used_at": long_ago}
                for n in range(EXPIRED)
            ],
        )
        fresh = "f" * 64
        session.execute(
            insert(Checklist.__table__),
            [{**row, "id_hash": fresh, "created_at": now, "last_used_at": now}],
        )
    with sessions() as session, session.begin():
        assert service.purge(session=session, ttl=dt.timedelta(days=180)) == EXPIRED
    with sessions() as session:
        assert list(session.scalars(select(Checklist.id_hash))) == [fresh]
    engine.dispose()


def test_a_write_from_a_stale_read_is_refused_and_changes_nothing(
    client: TestClient, database_url: str
) -> None:
    """The compare-and-set every checklist write goes through: a row read before someone else
    wrote it cannot be written back over their change."""
    made = create(client)
    engine = make_engine(database_url)
    sessions = make_sessions(engine)
    id_hash = hashlib.sha256(made["id"].encode()).hexdigest()
    with sessions() as session:
        stale = session.get_one(Checklist, id_hash)
    client.put(f"/v1/checklists/{made['id']}/steps/moving/notify-dvv", json={"done": True})
    with sessions() as session, session.begin():
        assert not repository.write_if_unchanged(session, stale, done=["moving/update-contracts"])
        fresh = repository.get(session, id_hash)
        assert fresh is not None
        assert fresh.done == ["moving/notify-dvv"]
        assert repository.write_if_unchanged(session, fresh, done=[])
        assert fresh.done == []  # the session's object shows what was stored
        assert fresh.revision == stale.revision + 2
    engine.dispose()


def test_a_checklist_keeps_its_version_and_says_what_a_newer_one_changes(
    settings: Settings, database_url: str, tmp_path: Path
) -> None:
    with TestClient(create_app(settings)) as client:
        made = create(client)
        # Publish a new version of moving without the step about checking the address.
        changed = tmp_path / "journeys"
        shutil.copytree(JOURNEYS, changed)
        text = (changed / "moving.yaml").read_text(encoding="utf-8")
        start = text.index("  - id: check-address-registered")
        end = text.index("\n  - id: ", start + 10)
        trimmed = text[:start] + text[end + 1 :]
        trimmed = trimmed.replace("check-address-registered", "notify-dvv")  # fix references
        (changed / "moving.yaml").write_text(trimmed, encoding="utf-8")
        engine = make_engine(database_url)
        try:
            report = import_directory(make_sessions(engine), changed, author="tests")
        finally:
            engine.dispose()
        assert report.published == [("moving", 2)]
        client.app.state.catalogue.refresh()  # type: ignore[attr-defined]
        read = client.get(f"/v1/checklists/{made['id']}").json()
        assert read["version"] == 1
        assert "moving/check-address-registered" in {s["key"] for s in read["plan"]["steps"]}
        assert read["newer_version"] == {
            "version": 2,
            "added": [],
            "removed": ["moving/check-address-registered"],
        }
        upgraded = client.patch(f"/v1/checklists/{made['id']}", json={"upgrade": True}).json()
        assert upgraded["version"] == 2
        assert upgraded["newer_version"] is None


@pytest.mark.parametrize("bad", [{"journey": "nope"}, {"journey": "moving", "answers": {"x": 1}}])
def test_a_checklist_is_only_made_from_a_valid_plan(client: TestClient, bad: dict) -> None:
    response = client.post("/v1/checklists", json=bad)
    assert response.status_code in (404, 422)
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_checklist_gives_its_private_calendar_feeds_address(
    client: TestClient, database_url: str, lang: str
) -> None:
    made = create(client, lang=lang)
    address = made["calendar_feed_url"]
    # Absolute at the public address, in the checklist's language, and not the private id.
    assert re.fullmatch(
        rf"{re.escape(PUBLIC_URL)}/{lang}/checklist/calendar/[A-Za-z0-9_-]{{43}}\.ics", address
    )
    assert made["id"] not in address
    url = f"/v1/checklists/{made['id']}"
    assert client.get(url, params={"lang": lang}).json()["calendar_feed_url"] == address
    ticked = client.put(
        f"{url}/steps/moving/notify-dvv", params={"lang": lang}, json={"done": True}
    ).json()
    assert ticked["calendar_feed_url"].endswith(address.rsplit("/", 1)[1])

    cache = cache_of(client)
    before = len(cache)
    feeds = [client.get(address.removeprefix(PUBLIC_URL)) for _ in range(2)]
    for feed in feeds:
        assert feed.status_code == 200
        assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
        directives = {d.strip() for d in feed.headers["cache-control"].split(",")}
        assert directives & {"private", "no-store"}
        assert "public" not in directives
    assert len(cache) == before  # the shared response cache kept no copy
    calendar = icalendar.Calendar.from_ical(feeds[1].content)
    (step,) = [s for s in ticked["plan"]["steps"] if s["id"] == "notify-dvv"]
    # The feed is this checklist's, with the tick made through the API: marked done, no alarm.
    (done,) = [e for e in calendar.walk("VEVENT") if str(e.get("transp")) == "TRANSPARENT"]
    assert step["title"] in str(done["summary"])
    assert not done.walk("VALARM")
    # Deleted, the feed is gone too.
    assert client.delete(url).status_code == 204
    assert client.get(address.removeprefix(PUBLIC_URL)).status_code == 404


def test_a_checklist_saved_before_feeds_gets_one_when_read(
    client: TestClient, database_url: str
) -> None:
    made = create(client)
    engine = make_engine(database_url)
    try:
        with make_sessions(engine).begin() as session:
            session.execute(update(Checklist).values(calendar_hash=None))
    finally:
        engine.dispose()
    address = client.get(f"/v1/checklists/{made['id']}").json()["calendar_feed_url"]
    assert client.get(address.removeprefix(PUBLIC_URL)).status_code == 200
