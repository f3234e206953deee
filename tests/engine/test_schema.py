"""The published JSON Schemas are generated from the models and kept current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from api.engine.schema import schema_texts
from api.engine.yamlfile import load_yaml

SCHEMA_DIR = Path(__file__).parents[2] / "journeys" / "schema"


@pytest.mark.parametrize(("name", "text"), sorted(schema_texts().items()))
def test_the_committed_schema_is_current(name: str, text: str) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == text, f"{name} is out of date: run `make schema` and commit the result"


def test_the_schema_knows_the_condition_vocabulary() -> None:
    schema = json.loads(schema_texts()["journey.schema.json"])
    condition = schema["$defs"]["Condition"]
    assert condition["additionalProperties"] is False
    assert {
        "all",
        "any",
        "not",
        "question",
        "equals",
        "one_of",
        "includes",
        "answered",
        "at_least",
        "before",
    } <= set(condition["properties"])


def test_a_fixture_journey_validates_against_the_schema() -> None:
    schema = json.loads(schema_texts()["journey.schema.json"])
    fixture = Path(__file__).parent / "fixtures" / "catalogue" / "trip.yaml"
    data, _ = load_yaml(fixture.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
