"""Writing a journey is easy: a copy of a bundled journey with a new slug is a valid journey, and a
question changed in the copy is reported in the copy, not in the untouched original."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from api.cli import main

JOURNEYS = Path(__file__).parents[2] / "journeys"


def copy_retirement(tmp_path: Path, slug: str) -> Path:
    """The bundled journeys in tmp_path and retirement.yaml copied to `slug`.yaml with its slug and
    Finnish title changed, written after the others (as an editor's new file is)."""
    for path in [*JOURNEYS.glob("*.yaml"), JOURNEYS / "shared"]:
        if path.is_dir():
            shutil.copytree(path, tmp_path / path.name)
        else:
            shutil.copy2(path, tmp_path / path.name)
    text = (JOURNEYS / "retirement.yaml").read_text("utf-8")
    text = text.replace("\nslug: retirement\n", f"\nslug: {slug}\n", 1)
    text = text.replace("  fi: Eläkkeelle jääminen\n", "  fi: Varhainen eläke\n", 1)
    copy = tmp_path / f"{slug}.yaml"
    copy.write_text(text, "utf-8")
    newest = max(p.stat().st_mtime_ns for p in tmp_path.glob("*.yaml")) + 1_000_000_000
    os.utime(copy, ns=(newest, newest))
    return copy


def check(directory: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["journeys", "check", str(directory)])
    problems = [line for line in result.output.splitlines() if line.startswith(str(directory))]
    return result.exit_code, problems


def test_a_copy_with_a_new_slug_passes_the_check(tmp_path: Path) -> None:
    copy_retirement(tmp_path, "early-retirement")
    assert check(tmp_path) == (0, [])


def test_a_question_changed_in_the_copy_is_reported_in_the_copy(tmp_path: Path) -> None:
    # "early-..." sorts before "retirement": the file's age, not its name, decides.
    copy = copy_retirement(tmp_path, "early-retirement")
    text = copy.read_text("utf-8")
    copy.write_text(
        text.replace("      fi: Minä vuonna olet syntynyt?\n", "      fi: Syntymävuotesi?\n", 1),
        "utf-8",
    )
    newest = copy.stat().st_mtime_ns + 1_000_000_000
    os.utime(copy, ns=(newest, newest))
    code, problems = check(tmp_path)
    assert code == 1
    assert len(problems) == 1
    [problem] = problems
    assert problem.startswith(f"{copy}: questions[0].id (line ")
    assert "the question id 'retirement_birth_year' is already defined differently in " in problem
    assert "retirement.yaml" in problem
