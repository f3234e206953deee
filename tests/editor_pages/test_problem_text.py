"""The checker's problems carry a stable code and their values (the engine's English message
unchanged), and the editor pages say each coded message in Finnish, Swedish and English: the
English template gives back exactly the engine's message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from api.editor.checks import places
from api.editor_pages import problem_text
from api.engine.catalogue import read_directory
from api.engine.check import check_texts
from api.engine.yamlfile import dump_yaml, load_yaml

ROOT = Path(__file__).resolve().parents[2]


def checked(broken: bool) -> list[dict[str, Any]]:
    """The moving journey's problems with a mistake of each kind an editor can make in the
    forms: in the format (`broken`: stops the rest of the check), or else in its meaning."""
    texts = dict(read_directory(ROOT / "journeys"))
    data, _ = load_yaml(texts["moving.yaml"])
    steps = data["steps"]
    if broken:
        steps[3]["deadline"] = {"after": {"days": "two"}, "source": "x"}
        steps.append(copy.deepcopy(steps[4]) | {"id": "Not An Id"})
    else:
        steps[0]["when"] = {
            "all": [
                {"question": "no_such_question", "equals": "x"},
                {"question": "moving_to", "equals": "nowhere"},
                {"question": "moving_to", "less_than": 3},
                {"question": "moving_to", "equals": "abroad"},
                {"question": "moving_to", "equals": "to_finland"},
            ]
        }
        steps[1]["after"] = ["no-such-step", steps[1]["id"]]
        steps[1]["organisation"] = "no_such_organisation"
        steps[1]["sources"] = ["no_such_source"]
        steps[2]["title"].pop("sv")
        steps.append(copy.deepcopy(steps[5]))
    texts["moving.yaml"] = dump_yaml(data)
    result = check_texts(texts)
    return places([p for p in result.problems if p.file == "moving.yaml"])


def test_problems_carry_a_code_and_each_language_says_them() -> None:
    problems = checked(broken=True) + checked(broken=False)
    codes = {p.get("code") for p in problems}
    assert {
        "unknown_question",
        "condition_not_an_option",
        "condition_compares_numbers_choice",
        "condition_never",
        "unknown_step",
        "after_itself",
        "unknown_organisation",
        "unknown_source",
        "text_missing",
        "step_id_twice",
        "format_pattern_slug",
        "format_missing_working_day_rule",
        "format_int_parsing",
    } <= codes, codes
    for problem in problems:
        if "code" not in problem:
            continue
        assert problem_text.message(problem, "en") == problem["message"], problem
        for lang in ("fi", "sv"):
            said = problem_text.message(problem, lang)
            assert said != problem["message"], (lang, problem)
            for value in problem["params"].values():
                if value not in problem_text.QUESTION_TYPES and value not in ("sv", "en"):
                    assert value in said, (lang, said)


def test_a_problem_without_a_code_or_with_strange_values_stays_english() -> None:
    plain = {"pointer": "/steps/0", "message": "something the engine said"}
    assert problem_text.message(plain, "fi") == "something the engine said"
    odd = {"message": "English", "code": "unknown_step", "params": {"other": "x"}}
    assert problem_text.message(odd, "sv") == "English"
    assert problem_text.message({"message": "m", "code": "nope", "params": {}}, "fi") == "m"


def _checked_with(change: Any) -> list[dict[str, Any]]:
    texts = dict(read_directory(ROOT / "journeys"))
    data, _ = load_yaml(texts["moving.yaml"])
    change(data)
    texts["moving.yaml"] = dump_yaml(data)
    return places([p for p in check_texts(texts).problems if p.file == "moving.yaml"])


def _options_twice(data: dict[str, Any]) -> None:
    data["questions"][0]["options"][1]["id"] = data["questions"][0]["options"][0]["id"]


def _options_too_few(data: dict[str, Any]) -> None:
    data["questions"][1]["options"] = data["questions"][1]["options"][:1]


def _meaning(data: dict[str, Any]) -> None:
    data["life_events"].append("KE99")
    data["questions"].append(copy.deepcopy(data["questions"][3]))
    today = copy.deepcopy(data["questions"][4]) | {"id": "today"}
    data["questions"].append(today)
    first = data["questions"][0]["id"]
    reason = {"fi": "Syy", "sv": "Orsak", "en": "Reason"}
    data["chains"] = [{"journey": "moving", "mode": "suggest", "reason": reason}]
    data["steps"][0]["deadline"] = {
        "after": {"days": 3},
        "source": data["sources"][0]["id"],
        "working_day_rule": False,
        "counted_from": {"question": first, "after": {"fi": "a", "sv": "b", "en": "c"}},
    }


def test_problems_editors_cause_in_options_questions_and_chains_are_said_in_each_language() -> None:
    problems = [
        *_checked_with(_options_twice),
        *_checked_with(_options_too_few),
        *_checked_with(_meaning),
    ]
    codes = {p.get("code") for p in problems}
    assert {
        "option_ids_twice",
        "options_two_needed",
        "unknown_life_event",
        "question_twice",
        "question_id_reserved",
        "chain_to_itself",
        "counted_from_not_date",
    } <= codes, sorted(str(c) for c in codes)
    for problem in problems:
        if problem.get("code") is None:
            continue
        assert problem_text.message(problem, "en") == problem["message"], problem
        for lang in ("fi", "sv"):
            assert problem_text.message(problem, lang) != problem["message"], (lang, problem)
