"""The prepared catalogue each worker holds in memory, and importing journey files into it.

Plans never touch the database: they are computed from `CatalogueService.current`, which every
worker rebuilds (off the event loop) when the published generation in the database moves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from api import metrics
from api.catalogue import fingerprints, repository
from api.catalogue.content import content_hash, normalised
from api.catalogue.models import JourneyVersion
from api.db import transaction
from api.engine import model as m
from api.engine.catalogue import (
    DOMAINS_FILE,
    GLOSSARY_FILE,
    OPTIONAL_FILES,
    SHARED_FILES,
    Catalogue,
    parse_documents,
    read_directory,
)
from api.engine.check import check_catalogue, check_texts
from api.engine.planner import Planner
from api.engine.problems import Problem
from api.engine.search import SearchIndex, build_index
from api.engine.yamlfile import dump_yaml

log = logging.getLogger("polku.catalogue")


@dataclass(frozen=True)
class VersionInfo:
    id: int
    number: int
    content_hash: str
    published_at: dt.datetime


@dataclass(frozen=True)
class Published:
    """Everything published at one generation, prepared for planning."""

    generation: int
    catalogue: Catalogue
    planner: Planner
    versions: Mapping[str, VersionInfo]
    search: SearchIndex  # stemmed once here, not per request


class NotLoaded(RuntimeError):
    """No catalogue is loaded yet (the database is not migrated or has no journeys)."""


class CatalogueError(RuntimeError):
    """Stored content that the engine refuses (it was valid when published)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems[:5])))
        self.problems = problems


@dataclass
class CatalogueService:
    sessions: sessionmaker[Session]
    _current: Published | None = None
    _lock: Lock = field(default_factory=Lock)
    _old: OrderedDict[tuple[int, int], Planner] = field(default_factory=OrderedDict)

    @property
    def current(self) -> Published:
        if self._current is None:
            raise NotLoaded("no published catalogue is loaded")
        return self._current

    @property
    def loaded(self) -> bool:
        return self._current is not None

    def load(self) -> Published:
        """Read what is published and prepare it; the previous catalogue keeps serving until
        the new one is ready."""
        with self.sessions() as session:
            published = _read(session)
        with self._lock:
            replaced = self._current is not None
            self._current = published
            self._old.clear()
        # The prepared catalogue lives until the next publish: keep the cyclic garbage
        # collector from scanning it on every collection (see bench/README.md), after letting
        # it free what a replaced catalogue left behind.
        if replaced:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        metrics.catalogue_loaded(published.generation)
        log.info(
            "catalogue generation %s loaded: %d journeys",
            published.generation,
            len(published.versions),
        )
        return published

    def refresh(self) -> bool:
        """Reload when the published generation moved; True if it did."""
        with self.sessions() as session:
            generation = repository.generation(session)
        if self._current is not None and generation == self._current.generation:
            return False
        self.load()
        return True

    async def watch(self, interval: float, stop: asyncio.Event) -> None:
        """Keep this worker's catalogue current: a publish is served within `interval` (plus
        the time to prepare it). Returns once `stop` is set and no check is in flight, so the
        database can be closed safely."""
        while not await stopped(stop, interval):
            try:
                await asyncio.to_thread(self.refresh)
            except Exception as exc:  # the database may be briefly away; keep serving what we have
                if isinstance(exc, DBAPIError):
                    metrics.DATABASE_ERRORS.labels("catalogue").inc()
                # Its type only: four times a second, a traceback says nothing new (and the
                # repeats are left out, see api.logs).
                log.warning("could not check for newly published journeys: %s", type(exc).__name__)

    def planner_for(self, version_id: int) -> tuple[Planner, bool]:
        """A planner whose journey is the given version; False if that version could no longer
        be planned against today's shared definitions (then the published one is used)."""
        published = self.current
        info = next((v for v in published.versions.values() if v.id == version_id), None)
        if info is not None:
            return published.planner, True
        key = (published.generation, version_id)
        with self._lock:
            cached = self._old.get(key)
            if cached is not None:
                self._old.move_to_end(key)
                return cached, True
        with self.sessions() as session:
            version = repository.version_by_id(session, version_id)
            if version is None:
                return published.planner, False
            slug, content = version.slug, version.content
        # Parsed alone (the shared files are the published ones), then checked in their place.
        parsed, _ = parse_documents({f"{slug}.yaml": content})
        journey = parsed.journeys.get(slug)
        if journey is None:
            return published.planner, False
        catalogue = published.catalogue.with_journey(journey)
        result = check_catalogue(catalogue, [], scenarios_of=())  # only to plan with
        if result.planner is None or slug not in result.planner.slugs:
            return published.planner, False
        with self._lock:
            self._old[key] = result.planner
            while len(self._old) > 32:
                self._old.popitem(last=False)
        return result.planner, True


async def stopped(stop: asyncio.Event, seconds: float) -> bool:
    """Wait up to `seconds`; True as soon as `stop` is set."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


def published_documents(session: Session) -> tuple[dict[str, Any], list[JourneyVersion]]:
    """What is published, as the documents of journey files (`<slug>.yaml`, `shared/*.yaml`),
    and the journeys' published versions."""
    documents: dict[str, Any] = {
        doc.name: doc.content for doc in repository.shared_documents(session)
    }
    versions = repository.published_versions(session)
    for version in versions:
        documents[f"{version.slug}.yaml"] = version.content
    return documents, versions


@dataclass(frozen=True)
class _Prepared:
    catalogue: Catalogue
    planner: Planner
    search: SearchIndex


# The last few catalogues this process prepared, by their content: each published journey's and
# shared document's content hash (SHA-256 of exactly what is parsed). Preparing one costs
# 0.2-0.5 s of CPU, and a process that starts many apps on copies of one database (the test
# suite starts hundreds), reloads what it had, or sees a rollback or a publish of content it
# prepared before needs it once. The generation and the versions' ids, numbers and times are
# not part of it: they change nothing that is prepared. Prepared catalogues are never changed.
_PREPARED: OrderedDict[tuple[Any, ...], _Prepared] = OrderedDict()
_PREPARED_SIZE = 8
_prepared_lock = Lock()


def _read(session: Session) -> Published:
    # The contents are read (and their JSON parsed) only for a catalogue not prepared yet.
    generation = repository.generation(session)
    versions, shared = repository.published_fingerprints(session)
    if not versions:
        raise NotLoaded("no journeys are published: run `polku journeys import`")
    key = _prepared_key(versions, shared)
    with _prepared_lock:
        prepared = _PREPARED.get(key)
        if prepared is not None:
            _PREPARED.move_to_end(key)
    if prepared is None:
        documents, published = published_documents(session)
        # What was read with the contents (a publish may have come in between).
        versions = [(v.slug, v.id, v.number, v.content_hash, v.created_at) for v in published]
        shared = [(d.name, d.content_hash) for d in repository.shared_documents(session)]
        key = _prepared_key(versions, shared)
        prepared = _prepare(documents)
        with _prepared_lock:
            _PREPARED[key] = prepared
            while len(_PREPARED) > _PREPARED_SIZE:
                _PREPARED.popitem(last=False)
    infos = {
        slug: VersionInfo(id_, number, content_hash, created_at)
        for slug, id_, number, content_hash, created_at in versions
    }
    return Published(generation, prepared.catalogue, prepared.planner, infos, prepared.search)


def _prepared_key(versions: Sequence[Any], shared: Sequence[Any]) -> tuple[Any, ...]:
    return (
        tuple(sorted((slug, content_hash) for slug, _, _, content_hash, _ in versions)),
        tuple((name, content_hash) for name, content_hash in shared),
    )


def _prepare(documents: dict[str, Any]) -> _Prepared:
    catalogue, problems = parse_documents(documents)
    # Every version passed its scenarios when it was published (and shared files only change
    # through an import, which runs them all): loading does not run them again.
    result = check_catalogue(catalogue, problems, scenarios_of=())
    blocking = [p for p in result.problems if p.kind == "error"]
    if blocking or result.planner is None:
        raise CatalogueError(blocking or result.problems)
    return _Prepared(catalogue, result.planner, build_index(catalogue))


def catalogue_documents(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue back as documents, as an import stores its shared files."""
    documents: dict[str, Any] = {
        f"{slug}.yaml": normalised(journey) for slug, journey in catalogue.journeys.items()
    }
    documents["shared/questions.yaml"] = normalised(
        m.QuestionsFile(questions=list(catalogue.questions.values()))
    )
    documents["shared/organisations.yaml"] = normalised(
        m.OrganisationsFile(organisations=list(catalogue.organisations.values()))
    )
    documents["shared/life-events.yaml"] = normalised(
        m.LifeEventsFile(
            life_events=list(catalogue.life_events.values()), common=list(catalogue.common)
        )
    )
    if catalogue.domains is not None:
        documents[DOMAINS_FILE] = normalised(catalogue.domains)
    if catalogue.glossary:
        documents[GLOSSARY_FILE] = normalised(m.GlossaryFile(terms=list(catalogue.glossary)))
    return documents


# --- publishing ------------------------------------------------------------------------------


def publish_journey(
    session: Session, journey: m.Journey, *, author: str, note: str
) -> JourneyVersion | None:
    """Publish a checked journey as its next version, in the caller's transaction (which also
    bumps the generation once it is done); None when it is exactly what is published already.
    Every publish goes through here: import, the editors' publish and rollback. Each records
    the fingerprints of translations it has none of yet (an unchanged import too)."""
    content = normalised(journey)
    current = repository.published_version(session, journey.slug)
    fingerprints.record(
        session,
        slug=journey.slug,
        before=current.content if current is not None else None,
        after=content,
        by=author,
    )
    return repository.publish(
        session,
        slug=journey.slug,
        content=content,
        digest=content_hash(content),
        author=author,
        note=note,
    )


# --- importing journey files -----------------------------------------------------------------


@dataclass
class ImportReport:
    published: list[tuple[str, int]] = field(default_factory=list)  # (slug, new version number)
    unchanged: list[str] = field(default_factory=list)
    shared_changed: list[str] = field(default_factory=list)
    not_in_files: list[str] = field(default_factory=list)  # published journeys left as they are

    @property
    def changed(self) -> bool:
        return bool(self.published or self.shared_changed)


class ImportRefused(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def import_directory(
    sessions: sessionmaker[Session], root: Path, *, author: str = "import", note: str = ""
) -> ImportReport:
    """Check every journey file and publish, in one transaction, a new version of each journey
    whose content changed. Any problem anywhere and nothing changes."""
    catalogue = _verified(read_directory(root))
    shared = catalogue_documents(catalogue)
    report = ImportReport()
    with transaction(sessions) as session:
        for name in (*SHARED_FILES, *OPTIONAL_FILES):
            if name not in shared:
                continue
            content = shared[name]
            if repository.put_shared(
                session, name=name, content=content, digest=content_hash(content)
            ):
                report.shared_changed.append(name)
        for slug in sorted(catalogue.journeys):
            version = publish_journey(
                session,
                catalogue.journeys[slug],
                author=author,
                note=note or f"imported from {root}",
            )
            if version is None:
                report.unchanged.append(slug)
            else:
                report.published.append((slug, version.number))
        report.not_in_files = sorted(
            v.slug
            for v in repository.published_versions(session)
            if v.slug not in catalogue.journeys
        )
        if report.changed:
            repository.bump_generation(session)
    metrics.PUBLISHES.labels("import").inc(len(report.published))
    return report


def texts_digest(texts: Mapping[str, str | bytes]) -> str:
    """A SHA-256 of a set of journey files, names and bytes: it changes when a file is added,
    removed or edited."""
    digest = hashlib.sha256()
    for name, text in sorted(texts.items()):
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def directory_digest(root: Path) -> str:
    """A SHA-256 of every journey and shared file in a journeys directory, names and bytes: it
    changes when a file is added, removed or edited."""
    return texts_digest(read_directory(root))


def import_if_changed(
    sessions: sessionmaker[Session], root: Path, stamp: Path
) -> ImportReport | None:
    """The development server's start: import the journeys directory when its files changed since
    the last import recorded in `stamp` (a file holding their digest), or when nothing is
    published yet; None when they did not. Unchanged files are never imported again, so what
    editors published in the site stays until someone edits the files. Raises ImportRefused
    (and keeps the old stamp) when the files have problems."""
    digest = directory_digest(root)
    with sessions() as session:
        empty = not repository.published_versions(session)
    if not empty and stamp.is_file() and stamp.read_text().strip() == digest:
        return None
    report = import_directory(sessions, root, author="polku serve", note=f"imported from {root}")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")
    return report


# The last few sets of journey files this process checked and found sound, by a hash of their
# texts: checking runs every scenario (about 0.5 s of CPU), and the same files imported again
# (into another database, or a second time) pass again.
_VERIFIED: OrderedDict[str, Catalogue] = OrderedDict()
_VERIFIED_SIZE = 4


def _verified(texts: Mapping[str, str | bytes]) -> Catalogue:
    """The catalogue of these journey files; ImportRefused with every problem if any."""
    key = texts_digest(texts)
    with _prepared_lock:
        catalogue = _VERIFIED.get(key)
        if catalogue is not None:
            _VERIFIED.move_to_end(key)
            return catalogue
    result = check_texts(texts)
    if result.problems:
        raise ImportRefused(result.problems)
    with _prepared_lock:
        _VERIFIED[key] = result.catalogue
        while len(_VERIFIED) > _VERIFIED_SIZE:
            _VERIFIED.popitem(last=False)
    return result.catalogue


def export_directory(sessions: sessionmaker[Session], root: Path) -> list[str]:
    """Write what is published as journey files (`<slug>.yaml` and `shared/*.yaml`) under
    `root`, in the format `import_directory` reads back to the same content hashes. Returns the
    files written."""
    with sessions() as session:
        documents, _ = published_documents(session)
    if not documents:
        raise NotLoaded("nothing is published: run `polku journeys import` first")
    (root / "shared").mkdir(parents=True, exist_ok=True)
    for name, content in sorted(documents.items()):
        (root / name).write_text(dump_yaml(content), encoding="utf-8")
    return sorted(documents)
