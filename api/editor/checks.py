"""A journey document checked the way an import is, shared by drafts, preview and publishing.

The published catalogue with the document in place of its journey goes through the engine's
parse, validate and scenario run (`check_catalogue`). A document that does not parse as a
journey is refused (`InvalidDraft`); every other problem is kept on the draft, and publishing
needs none at all, as importing does.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

from api.catalogue.content import content_hash, normalised
from api.catalogue.service import Published
from api.editor.content import pointer
from api.editor.schemas import ScenarioResult, ScenariosRead
from api.engine import model as m
from api.engine.answers import AnswersRefused
from api.engine.catalogue import Catalogue, parse_documents
from api.engine.check import CheckResult, affected_by, check_catalogue, compare
from api.engine.problems import Path, Problem
from api.engine.yamlfile import YamlError, load_yaml
from api.errors import ApiError


class InvalidDraft(ApiError):
    """Content that does not parse as a journey: refused, each place named."""

    status = 422
    type = "/problems/invalid-draft"
    title = "The draft is not a valid journey"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"{len(problems)} problem(s); nothing was changed: fix each place and send it again",
            problems=places(problems),
        )


def places(problems: list[Problem]) -> list[dict[str, Any]]:
    """Each problem as the file and JSON pointer an editor fixes, the way the API shows it."""
    return [
        {"file": p.file, "pointer": pointer(p.path), "message": p.message, "kind": p.kind}
        | ({"code": p.code, "params": dict(p.params)} if p.code else {})
        for p in problems
    ]


def from_yaml(*, text: bytes, slug: str) -> tuple[Any, dict[Path, int]]:
    """A YAML body in the journey file format; a broken one is refused with its line."""
    try:
        return load_yaml(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidDraft([Problem(f"{slug}.yaml", (), "the text is not UTF-8")]) from None
    except YamlError as exc:
        line = f" (line {exc.line})" if exc.line else ""
        problem = Problem(f"{slug}.yaml", (), f"not valid YAML{line}: {exc.message}", exc.line)
        raise InvalidDraft([problem]) from None


def parse(*, slug: str, data: Any, lines: dict[Path, int] | None = None) -> m.Journey:
    """The document as a journey, or InvalidDraft naming every place to fix (the same
    messages `polku journeys check` gives for a file). Its slug must be the draft's."""
    name = f"{slug}.yaml"
    catalogue, problems = parse_documents({name: data}, {name: lines or {}})
    mine = [p for p in problems if p.file == name]
    journey = catalogue.journeys.get(slug)
    if mine or journey is None:
        raise InvalidDraft(mine or [Problem(name, ("slug",), f"the slug must be '{slug}'")])
    return journey


def check(published: Published, journey: m.Journey) -> CheckResult:
    """The published catalogue with this journey in place of its published version, checked
    end to end: references, translations, and the scenarios and coverage of every journey the
    draft can change (the others passed theirs when they were published, and still do).
    The same content against the same published catalogue is checked once: a draft is
    written, read, previewed and published with one result (results are never changed). The
    catalogue object is the key: a reload of the same content gives the same one (see
    api/catalogue/service.py), and the check depends on nothing else of `published`."""
    published_catalogue = published.catalogue
    key = (id(published_catalogue), content_hash(normalised(journey)))
    with _lock:
        kept = _checked.get(key)
        if kept is not None and kept[0] is published_catalogue:
            _checked.move_to_end(key)
            return kept[1]
    catalogue = published_catalogue.with_journey(journey)
    result = check_catalogue(catalogue, [], scenarios_of=affected_by(catalogue, journey.slug))
    with _lock:
        _checked[key] = (published_catalogue, result)  # holding it keeps its id unique
        while len(_checked) > _CHECKED_SIZE:
            _checked.popitem(last=False)
    return result


# The last few checks by (published catalogue, content hash); each holds a planner.
_checked: OrderedDict[tuple[int, str], tuple[Catalogue, CheckResult]] = OrderedDict()
_CHECKED_SIZE = 4
_lock = Lock()


def scenarios(result: CheckResult, journey: m.Journey) -> ScenariosRead:
    """The journey's scenarios run against the checked catalogue, each with how it differs."""
    planner = result.planner
    if planner is None or journey.slug not in planner.slugs:
        return ScenariosRead(run=False, scenarios=[])
    out = []
    for scenario in journey.scenarios:
        try:
            plan = planner.plan(
                journey.slug,
                scenario.answers,
                event_date=scenario.event_date,
                today=scenario.today,
                lang="en",
            )
        except AnswersRefused as exc:
            differences = [f"the answer to '{p.question}': {p.message}" for p in exc.problems]
        else:
            differences = [message for _, message in compare(journey, scenario, plan)]
        out.append(
            ScenarioResult(name=scenario.name, passed=not differences, differences=differences)
        )
    return ScenariosRead(run=True, scenarios=out)
