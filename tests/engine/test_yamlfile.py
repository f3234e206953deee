"""The journey YAML reader: libyaml's fast parser and PyYAML's own read every file alike."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from api.engine import yamlfile

JOURNEYS = Path(__file__).parents[2] / "journeys"
FILES = sorted(JOURNEYS.rglob("*.yaml")) + sorted(
    (Path(__file__).parent / "fixtures" / "catalogue").rglob("*.yaml")
)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_both_parsers_give_the_same_data_and_lines(path: Path) -> None:
    text = path.read_text()
    assert yamlfile._load(text, yamlfile._FastLoader) == yamlfile._load(
        text, yamlfile._PythonLoader
    )


def test_yaml_1_2_booleans_and_duplicate_keys_on_the_fast_path() -> None:
    data, lines = yamlfile.load_yaml("a: no\nb: yes\nc: true\nd: NO\n")
    assert data == {"a": "no", "b": "yes", "c": True, "d": "NO"}
    assert lines[("c",)] == 3
    with pytest.raises(yamlfile.YamlError, match="the key 'a' appears twice"):
        yamlfile.load_yaml("a: 1\na: 2\n")
    with pytest.raises(yamlfile.YamlError, match="'2027-02-30' is not a real date"):
        yamlfile.load_yaml("d: 2027-02-30\n")


def alias_bomb(levels: int = 6) -> str:
    """Each level lists the one before ten times: a few hundred bytes that expand tenfold per
    level when aliases are followed."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def within(seconds: float, text: str) -> yamlfile.YamlError:
    started = time.perf_counter()
    with pytest.raises(yamlfile.YamlError) as refused:
        yamlfile.load_yaml(text)
    assert time.perf_counter() - started < seconds
    return refused.value


def test_an_alias_bomb_is_refused_at_its_first_anchor_without_expanding_it() -> None:
    refused = within(0.1, alias_bomb())
    assert "anchors and aliases" in refused.message
    assert refused.line == 1


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\n", "a: 1\nb: *x\n", "a: &x [1]\nb: *x\n", "base: &b {k: 1}\nc:\n  <<: *b\n"],
    ids=["anchor", "alias-without-anchor", "anchor-and-alias", "merge-key"],
)
def test_anchors_aliases_and_merge_keys_are_refused_with_their_line(text: str) -> None:
    refused = within(0.1, text)
    assert "anchors and aliases" in refused.message
    assert refused.line == text.count("\n", 0, text.index("&" if "&" in text else "*")) + 1


@pytest.mark.parametrize(
    "text",
    [
        "[" * 3000 + "]" * 3000,
        "steps: " + "[" * 50_000,
        "steps: " + "{a: " * 3000 + "}" * 3000,
        "- " * 3000 + "x",
        "".join("  " * i + f"k{i}:\n" for i in range(200)),
    ],
    ids=["flow-lists", "unclosed-flow-lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_nesting_deeper_than_the_limit_is_refused_quickly_naming_the_line(text: str) -> None:
    refused = within(0.1, text)
    assert refused.message == f"nested more than {yamlfile.MAX_DEPTH} levels deep"
    assert refused.line is not None


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = yamlfile.MAX_DEPTH
    data, _ = yamlfile.load_yaml("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        data = data[0]
    assert data == []


def test_no_journey_file_needs_anchors_or_deep_nesting() -> None:
    # The limits refuse nothing Polku ships: every file above reads (see the first test); this
    # says why, in numbers.
    deepest = 0
    for path in FILES:
        try:
            events = list(yaml.parse(path.read_text(), Loader=yaml.CSafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the deliberately broken fixtures
        assert not any(isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) for e in events)
        depth = 0
        for event in events:
            depth += isinstance(event, yaml.CollectionStartEvent)
            depth -= isinstance(event, yaml.CollectionEndEvent)
            deepest = max(deepest, depth)
    assert deepest <= yamlfile.MAX_DEPTH // 4


@pytest.mark.parametrize("loader", yamlfile._LOADERS, ids=lambda loader: loader.__name__)
def test_a_control_character_is_a_yaml_error_naming_its_line(loader: type) -> None:
    text = "slug: moving\nkind: life\ntitle: a\x01b\n"
    with pytest.raises(yamlfile.YamlError) as refused:
        yamlfile._load(text, loader)
    assert refused.value.line == 3
    assert "#x0001 is not allowed" in refused.value.message
    with pytest.raises(yamlfile.YamlError, match="#x0001"):
        yamlfile.load_yaml(text)
