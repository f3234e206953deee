"""Broken journey files each get messages naming the file and the place, never a traceback.

Each file in fixtures/broken/ has one kind of mistake; it is checked beside the fixture
catalogue's shared files, through the real `polku journeys check` command.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from tests.engine.conftest import CATALOGUE, FIXTURES

EXPECTED = {
    "after-cycle.yaml": [
        "steps[0].after (line 17): steps cannot come after each other in a circle: after-cycle/a -> after-cycle/b -> after-cycle/a",
    ],
    "bad-condition.yaml": [
        "steps[0].when (line 26): a question condition needs exactly one comparison, one of: equals, one_of, includes, answered, less_than, at_most, more_than, at_least, before, on_or_before, after, on_or_after",
    ],
    "bad-deadline.yaml": [
        "steps[0].deadline.source (line 19): unknown source 'law': add it to this journey's sources",
        "steps[0].timing (line 16): a deadline before the event needs timing: before, or people see it too late",
    ],
    "bad-ids.yaml": [
        "questions[0].id (line 14): 'colour-name' is not a valid id: a lowercase letter, then lowercase letters, digits or _, e.g. moving_to",
        "steps[0].id (line 21): 'step_a' is not valid here: use lowercase letters and digits in words joined by single hyphens, e.g. moving-abroad or notify-dvv",
        "steps[0].when.question (line 26): 'colour-name' is not a valid id: a lowercase letter, then lowercase letters, digits or _, e.g. moving_to",
    ],
    "bad-links.yaml": [
        "sources[0].url (line 8): source 'rule': use an https:// address, not http://",
        "sources[1].url (line 9): source 'news': mirror.example is a press-release mirror: link the press release on the authority's own site instead",
        "sources[2].url (line 10): source 'old': www.old.example is a closed agency's site (now office.example): the old agency closed in 2019",
        "steps[0].body.fi (line 20): step 'a' body (Finnish), link to https://elsewhere.example/ohje: elsewhere.example is not on the domain list (shared/domains.yaml): link an official page, or list the domain with its owner (a non-official one as non_official with a reason)",
        "steps[0].links[0].url.fi (line 23): step 'a', link 1, Finnish address: https://office.example/en/page is a page in English: link the Finnish page",
        "steps[0].links[0].url.sv (line 23): step 'a', link 1, Swedish address: https://office.example/da/page is a page in a language other than Finnish, Swedish or English: link the Finnish, Swedish or English page",
    ],
    "bad-period.yaml": [
        "steps[1].earliest.after (line 26): a period is exactly one of: days, weeks, months, years",
    ],
    "checklist.yaml": [
        "slug (line 1): the slug 'checklist' is reserved (the pages keep saved checklists at /fi/checklist/... and the glossary at /fi/glossary): choose another slug and file name",
    ],
    "chain-to-itself.yaml": [
        "chains[0].journey (line 20): a journey cannot chain to itself",
    ],
    "deadline-in-text.yaml": [
        "steps[0].body.fi (line 19): step 'a' states a deadline ('2 kuukauden kuluessa', 'inom två månader', 'within 2 months') but has none: add a deadline counted from the event date, or, if the limit is counted from another day or is not the person's to keep, say why in deadline_in_text: <reason> (journeys/README.md, A deadline in the text)",
        "steps[1].deadline_in_text (line 28): step 'b' carries a deadline: remove deadline_in_text",
        "steps[2].deadline_in_text (line 34): nothing in step 'c' reads as a deadline any more: remove deadline_in_text",
    ],
    "deadline-without-reason.yaml": [
        "steps[0].deadline_in_text (line 19): deadline_in_text needs a reason in words: why this step's limit cannot be a deadline counted from the event date, e.g. 'counted from the inventory meeting, which the plan does not know'",
    ],
    "duplicate-key.yaml": [
        "(top) (line 16): not valid YAML: the key 'kind' appears twice",
    ],
    "failing-scenario.yaml": [
        "scenarios[0].expect.steps[0] (line 31): scenario 'Someone who said blue': expected the step 'a', but the plan does not have it",
        "scenarios[1].answers.size (line 33): scenario 'Someone who said red': there is no such question in this journey",
        "scenarios[2].expect.due.a (line 38): scenario 'Someone who said red on a Wednesday': expected 'a' due on 2027-03-06, but it is due on 2027-03-08",
    ],
    "impossible-date.yaml": [
        "(top) (line 6): not valid YAML: '2027-02-30' is not a real date",
    ],
    "malformed-yaml.yaml": [
        "(top) (line 15): not valid YAML: expected <block end>, but found '<block mapping start>'",
    ],
    "missing-translation.yaml": [
        "steps[0] (line 14): no scenario reaches the step 'a': add a scenario whose person gets it",
        "steps[0].body.sv (line 18): the Swedish text is missing",
        "steps[0].title.en (line 17): the English text is missing",
        "steps[0].title.sv (line 17): the Swedish text is missing",
    ],
    "never-applies.yaml": [
        "steps[0].when.all (line 26): this can never apply: it needs 'colour' to be two different answers at once",
    ],
    "no-working-day-rule.yaml": [
        "steps[0].deadline.working_day_rule (line 19): 'working_day_rule' is required here: true if a law sets the limit and it is observed at a court or an authority (Act 150/1930 moves a last day off a weekend or holiday), false if not or if unsure (journeys/README.md, Deadlines)",
        "steps[1].earliest.working_day_rule (line 25): 'working_day_rule' does not belong here: only a deadline's last day can move; an earliest day never does",
    ],
    "not-utf8.yaml": [
        "(top): the file is not UTF-8 text: save it as UTF-8",
    ],
    "unknown-key.yaml": [
        "steps[0].titel (line 17): unknown key 'titel'; did you mean 'title'?",
    ],
    "unknown-option.yaml": [
        "steps[0].when.one_of (line 26): 'purple' is not an option of 'colour'; the options are: red, blue",
    ],
    "unknown-question.yaml": [
        "steps[1].when.question (line 32): unknown question 'flavour': it is not asked in this journey; define it in questions or add '- shared: <id>' for a shared question",
    ],
    "unused-question.yaml": [
        "questions[0] (line 14): no step, chain or question depends on 'colour': asking it wastes the person's time; use it in a condition or remove it",
    ],
    "wrong-comparison.yaml": [
        "steps[0].when.at_least (line 26): 'colour' is a choice question: 'at_least' compares numbers; use equals or one_of",
    ],
    "wrong-file-name.yaml": [
        "slug (line 1): the slug 'another-name' must be the file name: rename the file to another-name.yaml or set slug: wrong-file-name",
    ],
    "wrong-type.yaml": [
        "last_reviewed (line 6): expected a date as YYYY-MM-DD, not 'someday'",
        "steps[0].kind (line 15): Input should be 'task', 'advice' or 'automatic'",
    ],
    "you-said.yaml": [
        "questions[0].you_said.en (line 17): write {answer} where the answer goes",
        "questions[1].you_said (line 21): put you_said on each option of a choice question",
        "scenarios[0].expect.due (line 35): unknown step 'other/a'",
        "scenarios[0].expect.due.other/a (line 35): steps of an included journey get no date in this journey's plan (their own event date differs); expect a date only for this journey's steps",
        "scenarios[0].expect.not_included (line 35): unknown journey 'nowhere'",
    ],
}


def test_every_broken_fixture_has_expectations() -> None:
    assert sorted(p.name for p in (FIXTURES / "broken").glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_file_is_explained(name: str, tmp_path: Path) -> None:
    shutil.copytree(CATALOGUE / "shared", tmp_path / "shared")
    shutil.copy(FIXTURES / "broken" / name, tmp_path / name)
    result = CliRunner().invoke(main, ["journeys", "check", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    reported = [
        line.removeprefix(f"{tmp_path}/{name}: ")
        for line in result.output.splitlines()
        if line.startswith(f"{tmp_path}/")
    ]
    assert reported == EXPECTED[name]
