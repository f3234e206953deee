"""requirements.lock, which `make setup` and CI install from, matches pyproject.toml.

`make setup` runs `pip check`, but that sees only Polku's own dependencies, not the `test` extra;
this test sees both, so a dependency added to pyproject.toml without `make lock` fails here.
"""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)$")


def lock_lines() -> list[str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def pins() -> dict[str, str]:
    found = {}
    for line in lock_lines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def test_every_line_of_the_lock_is_a_pin_of_a_published_release() -> None:
    # No index or wheel folder of this machine, no file paths, no unpinned names.
    odd = [line for line in lock_lines() if not line.startswith("    #") and not PIN.match(line)]
    assert odd == []


def test_every_dependency_in_pyproject_is_locked_at_a_version_it_allows() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(text) for text in project["dependencies"]]
    wanted += [Requirement(text) for text in project["optional-dependencies"]["test"]]
    locked = pins()
    wrong = [
        f"{req} (locked: {locked.get(canonicalize_name(req.name))})"
        for req in wanted
        if canonicalize_name(req.name) not in locked
        or not req.specifier.contains(locked[canonicalize_name(req.name)], prereleases=True)
    ]
    assert wrong == [], "run `make lock`"
