"""Edits on a draft's journey document (plain JSON data), JSON pointers, and diffs.

Edits work on the normalised document and return a new one; the service then validates it
with the format models, so an edit can never store what the journey format refuses.
"""

from __future__ import annotations

import copy
from typing import Any

from api.catalogue.content import is_text, question_key, texts_of
from api.engine.model import LANGS
from api.engine.problems import Path
from api.errors import ApiError, NotFound
from api.http.numbers import whole_number


class InvalidEdit(ApiError):
    status = 422
    type = "/problems/invalid-edit"
    title = "Invalid edit"


class QuestionInUse(ApiError):
    """A question deleted while steps, questions, chains or scenarios still use it: refused
    (the API and the pages ask this one rule), the uses listed as `uses`."""

    status = 409
    type = "/problems/question-in-use"
    title = "The question is still in use"


class UnknownItem(NotFound):
    type = "/problems/unknown-item"
    title = "No such step or question in the draft"


def pointer(path: Path) -> str:
    """`("steps", 2, "when")` as the JSON pointer `/steps/2/when` (RFC 6901)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def parse_pointer(text: str) -> list[str]:
    if text == "":
        return []
    if not text.startswith("/"):
        raise InvalidEdit(f"'{text[:80]}' is not a JSON pointer: it starts with /")
    return [part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/")]


# --- steps and questions --------------------------------------------------------------------


def _key(kind: str, item: Any) -> str | None:
    if kind == "questions":
        return question_key(item)
    return item.get("id") if isinstance(item, dict) else None


def _items(content: dict[str, Any], kind: str) -> list[Any]:
    items = content.setdefault(kind, [])
    if not isinstance(items, list):
        raise InvalidEdit(f"the draft's '{kind}' is not a list")
    return items


def _index(items: list[Any], kind: str, key: str) -> int:
    for index, item in enumerate(items):
        if _key(kind, item) == key:
            return index
    raise UnknownItem(f"the draft has no {kind[:-1]} '{key[:80]}'")


def add_item(
    content: dict[str, Any], kind: str, item: dict[str, Any], position: int | None
) -> dict[str, Any]:
    out = copy.deepcopy(content)
    items = _items(out, kind)
    key = _key(kind, item)
    if key is not None and any(_key(kind, other) == key for other in items):
        raise InvalidEdit(f"the draft already has a {kind[:-1]} '{key[:80]}': change that one")
    items.insert(len(items) if position is None else min(position, len(items)), item)
    return out


def change_item(
    content: dict[str, Any], kind: str, key: str, item: dict[str, Any]
) -> dict[str, Any]:
    out = copy.deepcopy(content)
    items = _items(out, kind)
    index = _index(items, kind, key)
    new_key = _key(kind, item)
    if new_key != key and any(_key(kind, other) == new_key for other in items):
        raise InvalidEdit(f"the draft already has a {kind[:-1]} '{str(new_key)[:80]}'")
    items[index] = item
    return out


def delete_item(content: dict[str, Any], kind: str, key: str) -> dict[str, Any]:
    out = copy.deepcopy(content)
    items = _items(out, kind)
    del items[_index(items, kind, key)]
    return out


def reorder(content: dict[str, Any], kind: str, order: list[str]) -> dict[str, Any]:
    out = copy.deepcopy(content)
    items = _items(out, kind)
    keys = [_key(kind, item) for item in items]
    if sorted(order) != sorted(k for k in keys if k is not None) or len(order) != len(items):
        raise InvalidEdit(
            f"name every {kind[:-1]} of the draft exactly once; it has: "
            + ", ".join(str(k) for k in keys)
        )
    by_key = dict(zip(keys, items, strict=True))
    out[kind] = [by_key[k] for k in order]
    return out


def _reads(node: Any, key: str) -> bool:
    """Whether a condition (or any group in it) reads the question `key`."""
    if isinstance(node, dict):
        return node.get("question") == key or any(_reads(v, key) for v in node.values())
    if isinstance(node, list):
        return any(_reads(v, key) for v in node)
    return False


def question_uses(content: dict[str, Any], key: str) -> list[tuple[str, str]]:
    """What in the draft still uses the question `key`, as (kind, name): the steps, questions
    and chains whose condition reads it and the scenarios that answer or expect it."""
    uses = [
        ("step", str(s.get("id"))) for s in _dicts(content, "steps") if _reads(s.get("when"), key)
    ]
    uses += [
        ("question", str(question_key(q)))
        for q in _dicts(content, "questions")
        if question_key(q) != key and _reads(q.get("asked_when"), key)
    ]
    uses += [
        ("chain", str(c.get("journey")))
        for c in _dicts(content, "chains")
        if _reads(c.get("when"), key)
    ]
    for scenario in _dicts(content, "scenarios"):
        expected = (scenario.get("expect") or {}).get("questions") or []
        if key in (scenario.get("answers") or {}) or key in expected:
            uses.append(("scenario", str(scenario.get("name"))))
    return uses


def _dicts(content: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [item for item in content.get(kind) or [] if isinstance(item, dict)]


def delete_question(content: dict[str, Any], key: str) -> dict[str, Any]:
    """The draft without the question `key`, refused while anything still uses it (an unknown
    question is UnknownItem first, even when a condition names it)."""
    out = delete_item(content, "questions", key)
    uses = question_uses(content, key)
    if uses:
        raise QuestionInUse(
            f"'{key[:80]}' is still used by "
            + ", ".join(f"{kind} '{name}'" for kind, name in uses)
            + ": change those first",
            uses=[{"kind": kind, "name": name} for kind, name in uses],
        )
    return out


# --- texts ------------------------------------------------------------------------------------


def set_texts(content: dict[str, Any], lang: str, texts: dict[str, str | None]) -> dict[str, Any]:
    """Set one language of the texts at the given pointers (null removes a Swedish or English
    text). Each pointer names a text: a mapping with a Finnish `fi`."""
    out = copy.deepcopy(content)
    for where, value in texts.items():
        node: Any = out
        for part in parse_pointer(where):
            index = whole_number(part)
            if isinstance(node, list) and index is not None and index < len(node):
                node = node[index]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise InvalidEdit(f"'{where[:120]}': there is no such place in the draft")
        if not is_text(node):
            raise InvalidEdit(f"'{where[:120]}' is not a text (a mapping with fi, sv and en)")
        if value is None:
            if lang == "fi":
                raise InvalidEdit(f"'{where[:120]}': the Finnish text cannot be removed")
            node.pop(lang, None)
        else:
            node[lang] = value
    return out


# --- diffs ------------------------------------------------------------------------------------


def diff(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """What changed from `old` to `new`: steps and questions added, removed or changed (by id),
    other top-level fields changed, and per language the texts added, removed or changed."""
    old, new = old or {}, new or {}
    out: dict[str, Any] = {}
    for kind in ("steps", "questions"):
        before = {_key(kind, item): item for item in old.get(kind, []) or []}
        after = {_key(kind, item): item for item in new.get(kind, []) or []}
        out[kind] = {
            "added": [str(k) for k in after if k not in before],
            "removed": [str(k) for k in before if k not in after],
            "changed": [str(k) for k in after if k in before and after[k] != before[k]],
            "reordered": [k for k in before if k in after] != [k for k in after if k in before],
        }
    out["fields"] = sorted(
        key
        for key in set(old) | set(new)
        if key not in ("steps", "questions") and old.get(key) != new.get(key)
    )
    before_texts = dict(texts_of(old))
    after_texts = dict(texts_of(new))
    texts: dict[str, dict[str, list[str]]] = {}
    for lang in LANGS:
        was = {place: t[lang] for place, t in before_texts.items() if lang in t}
        now = {place: t[lang] for place, t in after_texts.items() if lang in t}
        texts[lang] = {
            "added": sorted(p for p in now if p not in was),
            "removed": sorted(p for p in was if p not in now),
            "changed": sorted(p for p in now if p in was and now[p] != was[p]),
        }
    out["texts"] = texts
    return out
