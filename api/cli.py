"""The `polku` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api.engine.catalogue import SHARED_FILES
from api.engine.check import check_directory
from api.engine.schema import schema_texts

DEFAULT_JOURNEYS = Path("journeys")


@click.group()
def main() -> None:
    """Polku: a life-event journey guide for Finland."""


@main.group()
def journeys() -> None:
    """Check, import and export journey files."""


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
