"""Reading journey YAML: the YAML 1.2 idea of booleans, no duplicate keys, and a line per place.

Editors send YAML over the network, so a document is first read as libyaml's stream of events
(linear in its length, nothing built) and refused if it uses anchors and aliases (a few hundred
bytes of nested aliases expand to millions of items) or nests deeper than `MAX_DEPTH` (PyYAML
builds nodes recursively: a few thousand `[` end in RecursionError). Journey files need neither.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from api.engine.problems import Path


class YamlError(Exception):
    """A file that is not well-formed YAML, with the line where the parser stopped."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Refused(YamlError):
    """Well-formed but refused (aliases, depth): PyYAML's parser would say nothing clearer."""


# The journey format nests about ten deep; this leaves room and keeps recursion far away.
MAX_DEPTH = 64
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


class _Rules:
    """SafeLoader without YAML 1.1's surprises: `no`, `yes`, `on` and `off` stay strings (an option
    id `no` or a country code `NO` must not turn into false), and a repeated key is an error."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc,no-any-return]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # An impossible date such as 2027-02-30 is an editor's mistake, not a crash.
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date", node.start_mark
            ) from None


class _PythonLoader(_Rules, yaml.SafeLoader):
    """PyYAML's own parser: its error messages are the ones editors see."""


# libyaml's parser when PyYAML has it: about 10 times faster on a well-formed file.
_FastLoader: Any = (
    type("_FastLoader", (_Rules, yaml.CSafeLoader), {})
    if getattr(yaml, "__with_libyaml__", False)
    else _PythonLoader
)

_LOADERS: tuple[Any, ...] = (
    (_PythonLoader, _FastLoader) if _FastLoader is not _PythonLoader else (_PythonLoader,)
)
for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _Rules.construct_yaml_timestamp)
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )


def load_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse one YAML document; return the data and the 1-based line of every key and item."""
    try:
        return _load(text, _FastLoader)
    except YamlError as exc:
        if _FastLoader is _PythonLoader or isinstance(exc, _Refused):
            raise
    # A broken file: read it again with PyYAML's parser for its clearer message.
    return _load(text, _PythonLoader)


def _refuse_hostile(text: str, loader_class: type) -> None:
    """Refuse anchors, aliases and deep nesting before anything is constructed."""
    loader = None
    try:
        # Inside the try: PyYAML's reader refuses a control character as the loader is made.
        loader = loader_class(text)
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused(
                    "anchors and aliases (& and *) are not allowed: write each value out", line
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused(_TOO_DEEP, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        if loader is not None:
            loader.dispose()


def _load(text: str, loader_class: type) -> tuple[Any, dict[Path, int]]:
    loader = None
    try:
        # Inside the try: PyYAML's reader refuses a control character as the loader is made.
        loader = loader_class(text)
        _refuse_hostile(text, loader_class)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in problem:
            # libyaml's own limit (1,000 levels), met while it looks ahead for a key.
            raise _Refused(_TOO_DEEP, line) from None
        if "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
            problem += " (inside { } or [ ], put a text that contains : { } [ ] # or ? in quotes)"
        raise YamlError(problem, line) from None
    except yaml.reader.ReaderError as exc:
        # Not a marked error: it knows the character's position, from which the line follows.
        line = text.count("\n", 0, exc.position) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise YamlError(
            f"the character #x{code:04x} is not allowed in YAML: remove it "
            "(a control character, often pasted in with the text)",
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), None) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (key_node.value,)
            lines[path + key] = key_node.start_mark.line + 1
            _walk(value_node, path + key, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


_ISO_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


class _Dumper(yaml.SafeDumper):
    """Writes journey files: texts with line breaks as `|` blocks, lists indented under keys."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _ISO_DATE.fullmatch(value):
        # JSON holds dates as text; the journey files write them as plain YAML dates.
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    if "\n" in value and not value.endswith((" ", "\t")) and "\n " not in value.rstrip("\n"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """A document as a journey file: keys in the models' order, UTF-8 text. `load_yaml` reads it
    back to the same data (YAML 1.1 words like `no` are quoted, so they stay text)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
