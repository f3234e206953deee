"""Journey and shared documents as stored: normalised by the format models, hashed canonically.

The same content always gives the same hash, whether it came from YAML or from the API, so an
import publishes only what really changed, and export then import gives the same hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel


def normalised(model: BaseModel) -> dict[str, Any]:
    """A validated document as plain JSON data, leaving out what equals its default."""
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return data


def content_hash(content: Any) -> str:
    """SHA-256 of the canonical JSON form (sorted keys, no spaces)."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
