"""Loading a catalogue of journeys: the journey files plus the shared questions, organisations and
life-event codes they refer to. Loading never raises on bad content: it returns problems."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path as FsPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from api.engine import model as m
from api.engine.problems import Coded, Path, Problem, ProblemList
from api.engine.yamlfile import YamlError, load_yaml

# Stands for a file that could not be parsed, already reported as a problem.
_UNREADABLE = object()

QUESTIONS_FILE = "shared/questions.yaml"
ORGANISATIONS_FILE = "shared/organisations.yaml"
LIFE_EVENTS_FILE = "shared/life-events.yaml"
SHARED_FILES = (QUESTIONS_FILE, ORGANISATIONS_FILE, LIFE_EVENTS_FILE)
# The domains links may point to. Optional, so that a catalogue without it (a test's) loads; when
# it is there every link is checked against it (see api.engine.links).
DOMAINS_FILE = "shared/domains.yaml"
# The terms the steps use, explained (the glossary pages and /v1/glossary). Optional likewise.
GLOSSARY_FILE = "shared/glossary.yaml"
OPTIONAL_FILES = (DOMAINS_FILE, GLOSSARY_FILE)


# Slugs the pages' addresses already use for something else.
RESERVED_SLUGS = frozenset({"checklist", "glossary"})


@dataclass(frozen=True)
class Catalogue:
    """Every journey that parsed, with the shared definitions, and where each came from."""

    journeys: Mapping[str, m.Journey]
    questions: Mapping[str, m.Question]
    organisations: Mapping[str, m.Organisation]
    life_events: Mapping[str, m.LifeEvent]
    # Journeys offered as common life events when a search finds nothing (life-events.yaml).
    common: tuple[str, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)  # journey slug -> file name
    # Journeys whose files exist but could not be read: references to them are not "unknown".
    broken: frozenset[str] = frozenset()
    lines: Mapping[str, dict[Path, int]] = field(default_factory=dict)  # file name -> line map
    domains: m.DomainsFile | None = None
    glossary: tuple[m.Term, ...] = ()
    # Journey slugs from the least to the most recently changed file, where known: a clash between
    # two journeys is reported in the newer one, the file that introduced it.
    newest_last: tuple[str, ...] = ()

    def age_order(self) -> list[str]:
        """Every journey's slug, oldest first: those `newest_last` names in its order, after the
        rest in file order."""
        known = [slug for slug in self.newest_last if slug in self.journeys]
        return [slug for slug in self.journeys if slug not in known] + known

    def file_of(self, slug: str) -> str:
        return self.files.get(slug, f"{slug}.yaml")

    def problems_for(self, file: str) -> ProblemList:
        return ProblemList(file, self.lines.get(file))

    def with_journey(self, journey: m.Journey) -> Catalogue:
        """This catalogue with `journey` in place of its namesake, or added: a draft to check, an
        older version to plan with."""
        return replace(
            self,
            journeys={**self.journeys, journey.slug: journey},
            files={**self.files, journey.slug: f"{journey.slug}.yaml"},
            lines={},
            # The draft is the newest: a clash it brings is reported in it.
            newest_last=(*(s for s in self.newest_last if s != journey.slug), journey.slug),
        )


def read_directory(root: FsPath) -> dict[str, str | bytes]:
    """The texts of a journeys directory, keyed by path relative to it (`moving.yaml`,
    `shared/questions.yaml`); a file that is not UTF-8 is kept as bytes for `parse_texts` to
    report."""
    texts: dict[str, str | bytes] = {}
    paths = [p for pattern in ("*.y*ml", "shared/*.y*ml") for p in sorted(root.glob(pattern))]
    # Least recently changed first: `parse_texts` keeps this order as the catalogue's
    # `newest_last`, so a clash is reported in the file just copied or edited.
    paths.sort(key=lambda p: (p.parent != root, p.stat().st_mtime_ns))
    for path in paths:
        data = path.read_bytes()
        try:
            texts[path.relative_to(root).as_posix()] = data.decode("utf-8")
        except UnicodeDecodeError:
            texts[path.relative_to(root).as_posix()] = data
    return texts


def parse_texts(texts: Mapping[str, str | bytes]) -> tuple[Catalogue, list[Problem]]:
    """Parse YAML texts (as from `read_directory`) into a catalogue, collecting every problem."""
    documents: dict[str, Any] = {}
    lines: dict[str, dict[Path, int]] = {}
    problems: list[Problem] = []
    for name, text in texts.items():
        if isinstance(text, bytes):
            problems.append(Problem(name, (), "the file is not UTF-8 text: save it as UTF-8"))
            documents[name] = _UNREADABLE
            continue
        try:
            documents[name], lines[name] = load_yaml(text)
        except YamlError as exc:
            problems.append(Problem(name, (), f"not valid YAML: {exc.message}", exc.line))
            documents[name] = _UNREADABLE
    catalogue, more = parse_documents(documents, lines)
    return catalogue, problems + more


def parse_documents(
    documents: Mapping[str, Any], lines: Mapping[str, dict[Path, int]] | None = None
) -> tuple[Catalogue, list[Problem]]:
    """Validate already-parsed documents (YAML or JSON) against the format models."""
    lines = lines or {}
    problems: list[Problem] = []

    def shared(name: str, model: type[_M]) -> _M | None:
        if name not in documents:
            problems.append(Problem(name, (), "the file is missing"))
            return None
        if documents[name] is _UNREADABLE:
            return None
        return _validate(model, documents[name], ProblemList(name, lines.get(name)), problems)

    questions_file = shared(QUESTIONS_FILE, m.QuestionsFile)
    organisations_file = shared(ORGANISATIONS_FILE, m.OrganisationsFile)
    life_events_file = shared(LIFE_EVENTS_FILE, m.LifeEventsFile)
    domains_file = shared(DOMAINS_FILE, m.DomainsFile) if DOMAINS_FILE in documents else None
    glossary_file = shared(GLOSSARY_FILE, m.GlossaryFile) if GLOSSARY_FILE in documents else None

    journeys: dict[str, m.Journey] = {}
    files: dict[str, str] = {}
    broken: set[str] = set()
    for name in sorted(documents):
        if name in (*SHARED_FILES, *OPTIONAL_FILES):
            continue
        if not name.endswith(".yaml"):
            problems.append(Problem(name, (), "journey files end in .yaml: rename the file"))
            continue
        if name.startswith("shared/"):
            problems.append(
                Problem(
                    name,
                    (),
                    "unknown shared file; the shared files are "
                    + ", ".join((*SHARED_FILES, *OPTIONAL_FILES)),
                )
            )
            continue
        if documents[name] is _UNREADABLE:
            broken.add(name.removesuffix(".yaml"))
            continue
        journey = _validate(
            m.Journey, documents[name], ProblemList(name, lines.get(name)), problems
        )
        if journey is None:
            broken.add(name.removesuffix(".yaml"))
            continue
        stem = name.rsplit("/", 1)[-1].removesuffix(".yaml")
        if journey.slug != stem:
            problems.append(
                Problem(
                    name,
                    ("slug",),
                    f"the slug '{journey.slug}' must be the file name: rename the file to "
                    f"{journey.slug}.yaml or set slug: {stem}",
                    lines.get(name, {}).get(("slug",)),
                )
            )
            continue
        if journey.slug in RESERVED_SLUGS:
            problems.append(
                Problem(
                    name,
                    ("slug",),
                    f"the slug '{journey.slug}' is reserved (the pages keep saved checklists at "
                    "/fi/checklist/... and the glossary at /fi/glossary): choose another slug "
                    "and file name",
                    lines.get(name, {}).get(("slug",)),
                )
            )
            continue
        journeys[journey.slug] = journey
        files[journey.slug] = name
    order = {name: index for index, name in enumerate(documents)}
    newest_last = tuple(sorted(journeys, key=lambda slug: order[files[slug]]))

    catalogue = Catalogue(
        journeys=journeys,
        questions=_by_id(
            questions_file.questions if questions_file else [],
            QUESTIONS_FILE,
            "questions",
            lines,
            problems,
        ),
        organisations=_by_id(
            organisations_file.organisations if organisations_file else [],
            ORGANISATIONS_FILE,
            "organisations",
            lines,
            problems,
        ),
        life_events={
            event.code: event
            for event in (life_events_file.life_events if life_events_file else [])
        },
        common=tuple(life_events_file.common) if life_events_file else (),
        files=files,
        broken=frozenset(broken),
        lines=dict(lines),
        domains=domains_file,
        newest_last=newest_last,
        glossary=tuple(
            _by_id(
                glossary_file.terms if glossary_file else [],
                GLOSSARY_FILE,
                "terms",
                lines,
                problems,
            ).values()
        ),
    )
    return catalogue, problems


_M = TypeVar("_M", bound=BaseModel)
_I = TypeVar("_I", m.Question, m.Organisation, m.Term)


def _by_id(
    items: Iterable[_I],
    file: str,
    key: str,
    lines: Mapping[str, dict[Path, int]],
    problems: list[Problem],
) -> dict[str, _I]:
    out: dict[str, _I] = {}
    for index, item in enumerate(items):
        if item.id in out:
            problems.append(
                Problem(
                    file,
                    (key, index, "id"),
                    f"the id '{item.id}' is used twice",
                    lines.get(file, {}).get((key, index, "id")),
                )
            )
        out[item.id] = item
    return out


def _validate(model: type[_M], data: Any, where: ProblemList, problems: list[Problem]) -> _M | None:
    if not isinstance(data, dict):
        where.add((), "the file must be a mapping of keys to values")
        problems.extend(where.items)
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        seen: set[tuple[Path, str]] = set()
        for error in exc.errors():
            path, message = _explain(error)
            if (path, message) not in seen:
                seen.add((path, message))
                where.add(path, message)
        problems.extend(where.items)
        return None


# Names pydantic puts in an error's location for union members; they are not places in the file.
_UNION_TAGS = {"bool", "int", "float", "date", "str", "Question", "SharedQuestion", "list[str]"}


def _explain(error: Any) -> tuple[Path, str]:
    """A pydantic error as (place in the file, a message an editor can act on)."""
    path: Path = tuple(
        part
        for part in error["loc"]
        if not (
            isinstance(part, str)
            and (part in _UNION_TAGS or part.startswith(("function-", "constrained-")))
        )
    )
    kind, message = error["type"], error["msg"]
    if kind.startswith("polku_"):  # the format's own refusals (api.engine.model._coded)
        values = {str(k): str(v) for k, v in (error.get("ctx") or {}).items()}
        return path, Coded(message, kind.removeprefix("polku_"), **values)
    if kind == "extra_forbidden":
        key = str(path[-1])
        if key in _MISPLACED_HELP:
            return path, f"'{key}' does not belong here: {_MISPLACED_HELP[key]}"
        hint = difflib.get_close_matches(key, _known_keys(), n=1)
        if hint:
            text = f"unknown key '{key}'; did you mean '{hint[0]}'?"
            return path, Coded(text, "format_unknown_key_hint", key=key, hint=hint[0])
        return path, Coded(f"unknown key '{key}'", "format_unknown_key", key=key)
    if kind == "missing":
        key = str(path[-1]) if path else ""
        text = f"'{key}' is required here{_MISSING_HELP.get(key, '')}"
        return path, Coded(
            text, f"format_missing{'_' + key if key in _MISSING_HELP else ''}", key=key
        )
    if kind == "value_error":
        return path, message.removeprefix("Value error, ")
    if kind.startswith(("date_", "datetime_")):
        shown = str(error["input"])[:40]
        text = f"expected a date as YYYY-MM-DD, not '{shown}'"
        return path, Coded(text, "format_date", value=shown)
    if kind == "string_pattern_mismatch":
        shown = str(error["input"])[:60]
        pattern = error["ctx"]["pattern"]
        text = f"'{shown}' is not {_PATTERN_HELP.get(pattern, 'allowed here')}"
        return path, Coded(
            text, f"format_pattern_{_PATTERN_NAMES.get(pattern, 'other')}", value=shown
        )
    context = error.get("ctx", {})
    plain = {
        "literal_error": f"must be {context.get('expected', '').replace(chr(39), '')}",
        "model_type": "expected keys and values (a mapping) here",
        "dict_type": "expected keys and values (a mapping) here",
        "model_attributes_type": "expected keys and values (a mapping) here",
        "list_type": "expected a list here",
        "string_type": "expected text here",
        "string_too_short": "must not be empty",
        "too_short": f"needs at least {context.get('min_length')} item(s)",
        "int_type": "expected a whole number",
        "int_parsing": "expected a whole number",
        "int_from_float": "expected a whole number",
        "greater_than_equal": f"must be at least {context.get('ge')}",
        "less_than_equal": f"must be at most {context.get('le')}",
        "string_too_long": f"is too long (at most {context.get('max_length')} characters)",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
    }
    if kind not in plain:
        return path, message
    params = {k: str(context[k]).replace(chr(39), "") for k in _CONTEXT_KEYS if k in context}
    return path, Coded(plain[kind], f"format_{kind}", **params)


_CONTEXT_KEYS = ("expected", "min_length", "ge", "le", "max_length")


_MISSING_HELP = {
    "working_day_rule": ": true if a law sets the limit and it is observed at a court or an "
    "authority (Act 150/1930 moves a last day off a weekend or holiday), false if not or if "
    "unsure (journeys/README.md, Deadlines)",
}

_MISPLACED_HELP = {
    "working_day_rule": "only a deadline's last day can move; an earliest day never does",
}

_PATTERN_HELP = {
    # Slugs and step ids share one pattern.
    m.SLUG_PATTERN: "valid here: use lowercase letters and digits in words joined by single "
    "hyphens, e.g. moving-abroad or notify-dvv",
    m.ID_PATTERN: "a valid id: a lowercase letter, then lowercase letters, digits or _, "
    "e.g. moving_to",
    m.STEP_REF_PATTERN: "a valid step reference: a step id such as notify-dvv, or "
    "journey/step-id such as moving/notify-dvv",
    m.URL_PATTERN: "a web address starting with https:// (or http://)",
    m.LIFE_EVENT_PATTERN: "a Suomi.fi life-event code such as KE4 or KE4.2",
}


_PATTERN_NAMES = {
    m.SLUG_PATTERN: "slug",
    m.ID_PATTERN: "id",
    m.STEP_REF_PATTERN: "step_ref",
    m.URL_PATTERN: "url",
    m.LIFE_EVENT_PATTERN: "life_event",
}


def _known_keys() -> list[str]:
    keys: set[str] = set()
    for model in (
        m.Journey,
        m.Question,
        m.Option,
        m.Step,
        m.Condition,
        m.Chain,
        m.Scenario,
        m.Expectations,
        m.Deadline,
        m.CountedDay,
        m.CountedFrom,
        m.Period,
        m.Link,
        m.Source,
        m.EventDate,
        m.Organisation,
        m.LifeEvent,
        m.Text,
        m.Term,
        m.TermSource,
    ):
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
    return sorted(keys)
