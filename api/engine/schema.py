"""JSON Schemas of the journey file format, generated from the models, so that editors' YAML tools
can validate and autocomplete journey files. `polku journeys schema` writes them to
`journeys/schema/`; a test keeps the committed files current."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from api.engine.model import (
    DomainsFile,
    GlossaryFile,
    Journey,
    LifeEventsFile,
    OrganisationsFile,
    QuestionsFile,
)

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "journey.schema.json": (Journey, "A Polku journey file (journeys/<slug>.yaml)"),
    "questions.schema.json": (QuestionsFile, "Polku shared questions (shared/questions.yaml)"),
    "organisations.schema.json": (
        OrganisationsFile,
        "Polku organisations (shared/organisations.yaml)",
    ),
    "life-events.schema.json": (LifeEventsFile, "Suomi.fi life events (shared/life-events.yaml)"),
    "domains.schema.json": (DomainsFile, "Polku link domains (shared/domains.yaml)"),
    "glossary.schema.json": (GlossaryFile, "Polku glossary (shared/glossary.yaml)"),
}


def schema_texts() -> dict[str, str]:
    """Each schema file's name and exact text."""
    out: dict[str, str] = {}
    for name, (model, title) in SCHEMAS.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://polku.example/schema/{name}",
            **model.model_json_schema(by_alias=True),
        }
        schema["title"] = title
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out
