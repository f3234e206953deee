"""The journey YAML reader: libyaml's fast parser and PyYAML's own read every file alike."""

from __future__ import annotations

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
