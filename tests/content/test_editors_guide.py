"""The worked example in journeys/README.md passes the checker, so the guide never drifts from
the format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from api.engine.check import check_directory

JOURNEYS = Path(__file__).parents[2] / "journeys"

# The guide's example includes a journey `moving-abroad`; this small stand-in plays that part.
STAND_IN = """
slug: moving-abroad
kind: life
title: {fi: Ulkomaille, sv: Utomlands, en: Abroad}
summary: {fi: Ulkomaille, sv: Utomlands, en: Abroad}
owner: dvv
last_reviewed: 2026-11-28
sources:
  - {id: dvv, title: {fi: DVV, sv: MDB, en: DVV}, url: "https://dvv.fi/en/moving"}
event_date:
  label: {fi: Muuttopäivä, sv: Flyttdag, en: Moving day}
  after: {fi: muuttopäivän jälkeen, sv: efter flyttdagen, en: after the moving day}
  before: {fi: ennen muuttopäivää, sv: före flyttdagen, en: before the moving day}
questions:
  - shared: children
steps:
  - id: notify-move-abroad
    kind: task
    timing: around
    title: {fi: Ilmoita, sv: Anmäl, en: Notify}
    body: {fi: Ilmoita., sv: Anmäl., en: Notify.}
  - id: children-abroad
    kind: advice
    timing: around
    when: {question: children, equals: "yes"}
    title: {fi: Lapset, sv: Barn, en: Children}
    body: {fi: Lapset., sv: Barn., en: Children.}
scenarios:
  - name: A parent moving abroad
    answers: {children: "yes"}
    expect: {steps: [notify-move-abroad, children-abroad]}
"""


def test_the_worked_example_in_the_editors_guide_passes_the_check(tmp_path: Path) -> None:
    guide = (JOURNEYS / "README.md").read_text(encoding="utf-8")
    examples = [
        block
        for block in re.findall(r"```yaml\n(.*?)```", guide, re.S)
        if "slug: example-moving" in block
    ]
    assert len(examples) == 1
    shutil.copytree(JOURNEYS / "shared", tmp_path / "shared")
    # The common list names the bundled journeys, which this directory does not have.
    events = tmp_path / "shared" / "life-events.yaml"
    events.write_text(re.sub(r"\ncommon: .*\n", "\n", events.read_text("utf-8")), "utf-8")
    (tmp_path / "example-moving.yaml").write_text(examples[0], encoding="utf-8")
    (tmp_path / "moving-abroad.yaml").write_text(STAND_IN, encoding="utf-8")
    result = check_directory(tmp_path)
    assert [str(p) for p in result.problems] == []
    assert result.scenarios_run["example-moving"] >= 3
