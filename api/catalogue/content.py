"""Journey and shared documents as stored: normalised by the format models, hashed canonically.

The same content always gives the same hash, whether it came from YAML or from the API, so an
import publishes only what really changed, and export then import gives the same hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from api.engine.model import LANGS


def normalised(model: BaseModel) -> dict[str, Any]:
    """A validated document as plain JSON data, leaving out what equals its default."""
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return data


def content_hash(content: Any) -> str:
    """SHA-256 of the canonical JSON form (sorted keys, no spaces)."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def question_key(entry: Any) -> str | None:
    """A journey's question entry is its own question (by id) or a shared one (by name)."""
    if not isinstance(entry, dict):
        return None
    key = entry.get("shared", entry.get("id"))
    return key if isinstance(key, str) else None


def texts_of(content: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, dict[str, str]]]:
    """Every text in a document, by a stable place: list items by their id where they have one
    (`steps/notify-dvv/title`), so a reordered list does not show as changed texts."""
    if is_text(content) and path and path[-1] != "url":
        yield "/".join(path), content
        return
    if isinstance(content, dict):
        for key, value in content.items():
            yield from texts_of(value, (*path, str(key)))
    elif isinstance(content, list):
        for index, item in enumerate(content):
            name = None
            if isinstance(item, dict):
                name = question_key(item) or item.get("journey") or item.get("name")
            yield from texts_of(item, (*path, str(name if isinstance(name, str) else index)))


def is_text(node: Any) -> bool:
    """A text of a document: a mapping with a Finnish `fi` and maybe `sv` and `en`."""
    return (
        isinstance(node, dict)
        and "fi" in node
        and set(node) <= set(LANGS)
        and all(isinstance(v, str) for v in node.values())
    )
