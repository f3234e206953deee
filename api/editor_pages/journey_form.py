"""The journey's own settings as a web form and back: its sources, its search keywords per
language and its chains to other journeys. Pure functions of plain data, as `step_form`: a
value the form cannot read goes in as typed and the draft's check names its place."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from api.editor.content import parse_pointer
from api.editor_pages.step_form import FormProblem, condition
from api.editor_pages.step_form import _text as text_of
from api.editor_pages.step_form import row_count as count
from api.engine.model import LANGS
from api.engine.yamlfile import dump_yaml
from api.http.numbers import whole_number

PARTS = ("sources", "keywords", "chains")
MODES = ("include", "suggest")
CHAIN_TIMINGS = ("", "before", "around", "after")


def settings_of(content: Mapping[str, Any]) -> dict[str, Any]:
    """The part of the journey this form edits, as stored."""
    return {name: content[name] for name in PARTS if name in content}


def fields(content: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    sources = content.get("sources") or []
    for index, source in enumerate(sources):
        prefix = f"source-{index}"
        out[f"{prefix}.id"] = str(source.get("id", ""))
        out[f"{prefix}.url"] = str(source.get("url", ""))
        out[f"{prefix}.law"] = "yes" if source.get("law") else ""
        for lang in LANGS:
            out[f"{prefix}.title.{lang}"] = (source.get("title") or {}).get(lang, "")
    out["sources"] = str(len(sources) + 1)
    keywords = content.get("keywords") or {}
    for lang in LANGS:
        out[f"keywords.{lang}"] = "\n".join(keywords.get(lang) or [])
    chains = content.get("chains") or []
    for index, chain in enumerate(chains):
        prefix = f"chain-{index}"
        out[f"{prefix}.journey"] = str(chain.get("journey", ""))
        out[f"{prefix}.mode"] = str(chain.get("mode", ""))
        out[f"{prefix}.timing"] = str(chain.get("timing") or "")
        out[f"{prefix}.when"] = dump_yaml(chain["when"]).strip() if chain.get("when") else ""
        for lang in LANGS:
            out[f"{prefix}.reason.{lang}"] = (chain.get("reason") or {}).get(lang, "")
    out["chains"] = str(len(chains) + 1)
    return out


def settings(form: Mapping[str, str]) -> dict[str, Any]:
    """What the form describes; an empty row is no source or chain (the form always offers
    one more row)."""
    sources = []
    for index in range(count(form, "sources")):
        prefix = f"source-{index}"
        source: dict[str, Any] = {
            "id": form.get(f"{prefix}.id", "").strip(),
            "title": text_of(form, f"{prefix}.title"),
            "url": form.get(f"{prefix}.url", "").strip(),
        }
        if form.get(f"{prefix}.law") == "yes":
            source["law"] = True
        if source["id"] or source["title"] or source["url"]:
            sources.append(source)
    keywords = {}
    for lang in LANGS:
        words = re.split(r"[\n,]", form.get(f"keywords.{lang}", ""))
        keywords[lang] = [w.strip() for w in words if w.strip()]
    chains = []
    for index in range(count(form, "chains")):
        prefix = f"chain-{index}"
        journey = form.get(f"{prefix}.journey", "").strip()
        reason = text_of(form, f"{prefix}.reason")
        when = form.get(f"{prefix}.when", "").strip()
        if not journey and not reason and not when:
            continue
        chain: dict[str, Any] = {
            "journey": journey,
            "mode": form.get(f"{prefix}.mode", "").strip(),
            "reason": reason,
        }
        timing = form.get(f"{prefix}.timing", "")
        if timing:
            chain["timing"] = timing
        if when:
            chain["when"] = _condition(f"{prefix}.when", when)
        chains.append(chain)
    out: dict[str, Any] = {"sources": sources, "chains": chains}
    if any(keywords.values()):
        out["keywords"] = keywords
    return out


def _condition(field: str, written: str) -> Any:
    """A chain's condition in YAML, read as the step form reads its fallback field."""
    try:
        return condition({"when.yaml": written})
    except FormProblem as exc:
        raise FormProblem(field, exc.message) from None


def problem_field(pointer: str) -> str | None:
    """The form's field a problem is about, if it is about this form's part."""
    parts = parse_pointer(pointer) if pointer.startswith("/") else []
    if not parts or parts[0] not in PARTS:
        return None
    if parts[0] == "keywords":
        return f"keywords.{parts[1] if len(parts) > 1 and parts[1] in LANGS else 'fi'}"
    row = "source" if parts[0] == "sources" else "chain"
    if len(parts) < 2 or whole_number(parts[1]) is None:
        return f"{row}-0.id" if row == "source" else "chain-0.journey"
    prefix, rest = f"{row}-{parts[1]}", parts[2:]
    if rest and rest[0] in ("title", "reason"):
        return f"{prefix}.{rest[0]}.{rest[1] if len(rest) > 1 and rest[1] in LANGS else 'fi'}"
    if rest and rest[0] in ("id", "url", "journey", "mode", "timing", "when"):
        return f"{prefix}.{rest[0]}"
    return f"{prefix}.id" if row == "source" else f"{prefix}.journey"
