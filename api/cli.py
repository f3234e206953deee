"""The `polku` command line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click
import uvicorn
import yaml
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from api import logs, metrics, migrations
from api.catalogue.service import (
    CatalogueService,
    ImportRefused,
    NotLoaded,
    export_directory,
    import_directory,
    import_if_changed,
)
from api.checklists import service as checklists_service
from api.config import Settings, get_settings
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.editor.tokens import ROLES, Role
from api.editor.translations import service as translations_service
from api.engine.catalogue import SHARED_FILES, read_directory
from api.engine.check import check_directory
from api.engine.links import check_link_texts
from api.engine.schema import schema_texts
from api.engine.validate import translation_report
from api.main import create_app

DEFAULT_JOURNEYS = Path("journeys")


@click.group()
def main() -> None:
    """Polku: a life-event journey guide for Finland."""


@main.group()
def journeys() -> None:
    """Check, import and export journey files."""


@main.group()
def db() -> None:
    """The database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to the database at POLKU_DATABASE_URL."""
    settings = get_settings()
    migrations.upgrade(settings.database_url)
    click.echo(f"database at {_safe_url(settings.database_url)} is up to date")


@journeys.command("import")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=DEFAULT_JOURNEYS)
@click.option("--note", default="", help="The change note of the versions published")
def import_(path: Path, note: str) -> None:
    """Check every journey in PATH and publish a new version of each one whose content changed,
    all or nothing: any problem anywhere and nothing is published."""
    settings = get_settings()
    if not (path / "shared").is_dir():
        click.echo(f"{path}: not a journeys directory (it has no shared/ folder)", err=True)
        sys.exit(2)
    engine = make_engine(settings.database_url)
    try:
        report = import_directory(
            make_sessions(engine), path, author="polku journeys import", note=note
        )
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(f"{path / problem.file}: {problem.place}: {problem.message}", err=True)
        click.echo(f"nothing imported: {len(refused.problems)} problem(s)", err=True)
        sys.exit(1)
    except OperationalError as exc:
        click.echo(
            f"the database is not ready ({type(exc.orig).__name__}): run `polku db upgrade` first",
            err=True,
        )
        sys.exit(2)
    finally:
        engine.dispose()
    for slug, number in report.published:
        click.echo(f"published {slug} version {number}")
    for name in report.shared_changed:
        click.echo(f"updated {name}")
    for slug in report.not_in_files:
        click.echo(f"left as it is: {slug} (published, but not in {path})")
    click.echo(f"{len(report.published)} published, {len(report.unchanged)} unchanged")


@journeys.command("export")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=DEFAULT_JOURNEYS)
def export(path: Path) -> None:
    """Write the published journeys and shared files to PATH as journey files (YAML): importing
    them again publishes nothing new."""
    engine = make_engine(get_settings().database_url)
    try:
        written = export_directory(make_sessions(engine), path)
    except NotLoaded as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    for name in written:
        click.echo(f"wrote {path / name}")


@main.command()
@click.option("--host", default=None, help="Default: POLKU_HOST (127.0.0.1)")
@click.option("--port", default=None, type=int, help="Default: POLKU_PORT (8000)")
@click.option("--workers", default=None, type=int, help="Default: POLKU_WORKERS (1)")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve Polku. With the embedded SQLite database, the first start creates the database,
    applies the migrations and imports the bundled journeys; a later start imports them again
    when the journey files changed."""
    try:
        # --workers is checked as POLKU_WORKERS is: several workers need one shared secret key.
        settings = get_settings() if workers is None else Settings(workers=workers)
    except ValidationError as exc:
        for error in exc.errors():  # never the input: a refused value may be a secret
            name = f"POLKU_{str(error['loc'][0]).upper()}: " if error["loc"] else ""
            click.echo(f"polku serve: {name}{error['msg']}", err=True)
        sys.exit(2)
    logs.configure(settings)
    if settings.is_sqlite:
        migrations.upgrade(settings.database_url)
        engine = make_engine(settings.database_url)  # closed before the workers open their own
        try:
            _import_changed_journeys(make_sessions(engine), settings)
        finally:
            engine.dispose()
    # The app reads its settings again (in each worker): give it the address served, the
    # development default of the public address (POLKU_PUBLIC_URL) its links use.
    for name, value in (("POLKU_HOST", host), ("POLKU_PORT", port)):
        if value is not None:
            os.environ[name] = str(value)
    get_settings.cache_clear()
    # Several workers add up their metrics in a fresh directory, set before they start.
    with metrics.multiprocess_directory(settings.workers, os.environ):
        uvicorn.run(
            "api.main:app_factory",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=settings.workers,
            access_log=False,  # api.http.middleware.AccessLog logs routes, never query strings
            # The app alone decides whom to believe (POLKU_TRUSTED_PROXIES, api/limits.py).
            proxy_headers=False,
            server_header=False,
            # Applied by uvicorn here and in every worker it starts.
            log_config=logs.logging_config(settings.log_format, settings.log_level),
            log_level=settings.log_level,
        )


def _import_changed_journeys(sessions: sessionmaker[Session], settings: Settings) -> None:
    """With the development database, a journey file added or edited since the last start is
    published on this one (the files' digest is kept beside the database)."""
    root = settings.journeys_dir
    stamp = Path(settings.database_url.removeprefix("sqlite:///") + ".journeys-sha256")
    try:
        report = import_if_changed(sessions, root, stamp)
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(f"{root / problem.file}: {problem.place}: {problem.message}", err=True)
        click.echo(
            f"the journeys in {root} were not imported: {len(refused.problems)} problem(s); "
            "serving what was published before",
            err=True,
        )
        return
    if report is not None:
        click.echo(
            f"journeys in {root} changed: {len(report.published)} published, "
            f"{len(report.unchanged)} unchanged"
        )


@main.command("openapi")
@click.argument(
    "path", required=False, type=click.Path(path_type=Path), default=Path("openapi.yaml")
)
def write_openapi(path: Path) -> None:
    """Write the API contract (openapi.yaml) from the app."""
    path.write_text(openapi_yaml(), encoding="utf-8")
    click.echo(f"wrote {path}")


@main.group()
def token() -> None:
    """Editor tokens for /v1/editor/ (only their hashes are stored)."""


@token.command("create")
@click.option("--name", required=True, help="Who holds it; the audit log records this name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="editor or publisher")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Days until it stops working [default: POLKU_EDITOR_TOKEN_DAYS, 365]",
)
def token_create(name: str, role: Role, days: int | None) -> None:
    """Make a token and print it, this once: store it safely, it cannot be shown again. Its
    expiry goes to stderr, so stdout is the token alone."""
    if not 1 <= len(name) <= 80:
        click.echo("the name is 1 to 80 characters", err=True)
        sys.exit(2)
    settings = get_settings()
    days = days or settings.editor_token_days
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_sessions(engine)) as session:
            secret = tokens.create(session, name=name, role=role, days=days)
            expires = tokens.expiry(session, name)
    except tokens.NameTaken as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    click.echo(secret)
    if expires is not None:
        click.echo(f"expires {expires:%Y-%m-%d %H:%M} UTC (in {days} days)", err=True)


@token.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """Revoke the token named NAME: it is refused from now on."""
    engine = make_engine(get_settings().database_url)
    try:
        with transaction(make_sessions(engine)) as session:
            revoked = tokens.revoke(session, name)
    finally:
        engine.dispose()
    if not revoked:
        click.echo(f"no live token is named '{name}'", err=True)
        sys.exit(1)
    click.echo(f"revoked {name}")


@main.group()
def checklists() -> None:
    """Saved checklists."""


@checklists.command("purge")
def checklists_purge() -> None:
    """Delete every checklist unused for longer than POLKU_CHECKLIST_TTL_DAYS."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_sessions(engine)) as session:
            removed = checklists_service.purge(
                session=session, ttl=dt.timedelta(days=settings.checklist_ttl_days)
            )
    finally:
        engine.dispose()
    click.echo(f"deleted {removed} unused checklists")


def openapi_yaml() -> str:
    """The app's OpenAPI document as YAML, exactly as committed in openapi.yaml."""
    schema = create_app(get_settings()).openapi()
    return yaml.safe_dump(schema, sort_keys=False, allow_unicode=True, width=100)


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return scheme + sep + rest


@journeys.command("translations")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=DEFAULT_JOURNEYS)
@click.option(
    "--stale",
    is_flag=True,
    help="Instead: the translations in the database (drafts, else published) whose Finnish "
    "changed after they were written",
)
def translations(path: Path, stale: bool) -> None:
    """The translation report: for each journey (and the shared files), how many texts it has
    and which are missing in Swedish or English. Exits 1 if any is missing (with --stale: if
    any translation is stale)."""
    if stale:
        _stale_translations()
        return
    if not (path / "shared").is_dir():
        click.echo(f"{path}: not a journeys directory (it has no shared/ folder)", err=True)
        sys.exit(2)
    result = check_directory(path)
    missing = 0
    for row in translation_report(result.catalogue, result.problems):
        click.echo(
            f"{row.name}: {row.texts} texts; missing in Swedish: {len(row.missing_in('sv'))}, "
            f"in English: {len(row.missing_in('en'))}"
        )
        for problem in row.missing:
            click.echo(f"  {path / problem.file}: {problem.place}: {problem.message}")
        missing += len(row.missing)
    if missing:
        click.echo(f"{missing} text(s) missing")
        sys.exit(1)
    click.echo("every text is in Finnish, Swedish and English")


def _stale_translations() -> None:
    engine = make_engine(get_settings().database_url)
    try:
        sessions = make_sessions(engine)
        published = CatalogueService(sessions).load()
        with sessions() as session:
            worklist = translations_service.worklist(
                session=session,
                published=published,
                only=translations_service.Filter(state="stale"),
            )
    finally:
        engine.dispose()
    for journey in worklist.journeys:
        where = "draft" if journey.in_draft else "published"
        for item in journey.items:
            click.echo(f"{journey.journey} ({where}): {item.place}: {item.lang}: {item.field}")
    if worklist.stale:
        click.echo(f"{worklist.stale} translation(s) whose Finnish changed since translated")
        sys.exit(1)
    click.echo("no translation is older than its Finnish text")


@journeys.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=DEFAULT_JOURNEYS)
def check(path: Path) -> None:
    """Validate every journey in PATH (a journeys directory or one journey file) and run every
    scenario. Prints each problem as `file: place: message`; exits 1 if there is any."""
    root, only = (path.parent, path.name) if path.is_file() else (path, None)
    if not (root / "shared").is_dir():
        click.echo(f"{path}: not a journeys directory (it has no shared/ folder)", err=True)
        sys.exit(2)
    result = check_directory(root)
    problems = [p for p in result.problems if only is None or p.file in (only, *SHARED_FILES)]
    for problem in problems:
        click.echo(f"{root / problem.file}: {problem.place}: {problem.message}")
    catalogue = result.catalogue
    slugs = [
        s
        for s in sorted([*catalogue.journeys, *catalogue.broken])
        if only is None or catalogue.file_of(s) == only
    ]
    for slug in slugs:
        coverage = result.coverage.get(slug)
        if slug in catalogue.broken:
            click.echo(f"{slug}: not loaded: fix the problems above first")
        elif coverage is None:
            click.echo(f"{slug}: scenarios not run: fix the problems above first")
        else:
            click.echo(
                f"{slug}: {result.scenarios_run[slug]} scenarios, "
                f"{result.scenarios_failed[slug]} failed; reached {coverage.summary()}"
            )
    run = sum(result.scenarios_run.get(s, 0) for s in slugs)
    failed = sum(result.scenarios_failed.get(s, 0) for s in slugs)
    verdict = "ok" if not problems else f"{len(problems)} problem(s)"
    click.echo(f"{len(slugs)} journeys, {run} scenarios ({failed} failed): {verdict}")
    sys.exit(1 if problems else 0)


@journeys.command("links")
@click.argument("path", required=False, type=click.Path(path_type=Path), default=DEFAULT_JOURNEYS)
def links(path: Path) -> None:
    """Check every link and source address in PATH (a journeys directory) against
    shared/domains.yaml: https, a listed domain, not a refused one, and the language it is given
    for. Offline: no address is fetched. Prints each problem as `file: place: message`; exits 1
    if there is any."""
    if not (path / "shared").is_dir():
        click.echo(f"{path}: not a journeys directory (it has no shared/ folder)", err=True)
        sys.exit(2)
    report = check_link_texts(read_directory(path))
    for problem in report.problems:
        click.echo(f"{path / problem.file}: {problem.place}: {problem.message}")
    verdict = "ok" if not report.problems else f"{len(report.problems)} problem(s)"
    click.echo(f"{report.checked} addresses checked: {verdict}")
    sys.exit(1 if report.problems else 0)


@journeys.command("schema")
@click.argument(
    "directory",
    required=False,
    type=click.Path(path_type=Path),
    default=DEFAULT_JOURNEYS / "schema",
)
def schema(directory: Path) -> None:
    """Write the JSON Schemas of the journey format to DIRECTORY (journeys/schema)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (directory / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {directory / name}")


if __name__ == "__main__":
    main()
