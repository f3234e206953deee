"""A step as a web form and back: plain form fields to the step's document (the format's JSON),
the document to the fields a form shows, a problem's JSON pointer to the field it is about, and
the three-way merge that lets an editor apply their change again on a draft someone else saved.

Pure functions of plain data: no request, no database. The rules of the format stay with the
format models: a value the form cannot read (a number that is not one) goes in as typed, and the
draft's check names the place, which is then shown at its field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from api.editor.content import parse_pointer
from api.engine.model import COMPARISONS, LANGS
from api.engine.yamlfile import YamlError, dump_yaml, load_yaml

TEXTS = ("title", "body")
UNITS = ("days", "weeks", "months", "years")
LINK_FIELDS = ("label", "url")
# Comparisons whose value is a list of options, and the one that takes no value.
LIST_VALUED = ("one_of",)
NO_VALUE = ("answered",)
MISSING: Any = object()


class FormProblem(Exception):
    """A field the form itself cannot read (the YAML of a condition): its field and message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def field_id(name: str) -> str:
    """The element id of a form field: `title.sv` -> `title-sv`."""
    return name.replace(".", "-")


def _text(form: Mapping[str, str], name: str) -> dict[str, str]:
    """A text's languages as typed; an empty language is left out (the check reports it)."""
    out = {}
    for lang in LANGS:
        value = form.get(f"{name}.{lang}", "").strip()
        if value:
            out[lang] = value
    return out


def _number(value: str) -> Any:
    """A whole number if it is one, else what was typed (the format refuses it at its place)."""
    value = value.strip()
    return int(value) if re.fullmatch(r"-?\d{1,9}", value) else value


def _scalar(value: str) -> Any:
    value = value.strip()
    if re.fullmatch(r"-?\d{1,9}", value):
        return int(value)
    if re.fullmatch(r"-?\d{1,9}\.\d{1,9}", value):
        return float(value)
    return value


def condition(form: Mapping[str, str]) -> dict[str, Any] | None:
    """The step's `when`: the YAML field when it has text (what the simple form cannot say:
    groups of all/any/not), else question, comparison and value; None when neither is given."""
    written = form.get("when.yaml", "").strip()
    if written:
        try:
            data, _ = load_yaml(written)
        except YamlError as exc:
            raise FormProblem("when.yaml", exc.message) from None
        except yaml.YAMLError as exc:  # the reader's refusal of a control character
            raise FormProblem("when.yaml", str(exc).splitlines()[0]) from None
        if not isinstance(data, dict):
            raise FormProblem(
                "when.yaml", "a condition is a mapping, e.g. {question: x, equals: y}"
            )
        return data
    question = form.get("when.question", "").strip()
    if not question:
        return None
    operator = form.get("when.operator", "").strip()
    value = form.get("when.value", "")
    if operator in NO_VALUE:
        return {"question": question, operator: True}
    if operator in LIST_VALUED:
        return {
            "question": question,
            operator: [part.strip() for part in value.split(",") if part.strip()],
        }
    if operator not in COMPARISONS:
        raise FormProblem("when.operator", "choose a comparison")
    return {"question": question, operator: _scalar(value)}


def _links(form: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for index in range(_count(form, "links")):
        prefix = f"link-{index}"
        label, url = _text(form, f"{prefix}.label"), _text(form, f"{prefix}.url")
        if not label and not url:
            continue  # an empty row: no link (the form always offers one more)
        link: dict[str, Any] = {"label": label, "url": url}
        if form.get(f"{prefix}.e_service") == "yes":
            link["e_service"] = True
        out.append(link)
    return out


def _deadline(form: Mapping[str, str], name: str = "deadline") -> dict[str, Any] | None:
    """The deadline (or, named `earliest`, the first day: a counted day without the
    working-day rule) the form's fields under `name` describe; None for none."""
    direction = form.get(f"{name}.direction", "")
    if direction not in ("after", "before"):
        return None
    unit = form.get(f"{name}.unit", "")
    deadline: dict[str, Any] = {
        direction: {unit if unit in UNITS else "days": _number(form.get(f"{name}.amount", ""))},
        "source": form.get(f"{name}.source", "").strip(),
    }
    rule = form.get(f"{name}.working_day_rule", "")
    if name == "deadline" and rule in ("yes", "no"):
        deadline["working_day_rule"] = rule == "yes"
    return deadline


def _kept_order(chosen: list[str], before: Any) -> list[str]:
    """The ticked sources, those the step had in its own order first (the boxes list the
    journey's order: saving is no reason to reorder them), then the new ones."""
    had = [s for s in before if s in chosen] if isinstance(before, list) else []
    return had + [s for s in chosen if s not in had]


def step(form: Mapping[str, str], sources: list[str], original: dict[str, Any]) -> dict[str, Any]:
    """The step the form describes: the fields it shows replace the original's, and what it
    does not show (`ptv_service`) stays as it was."""
    item = dict(original)
    for key in ("id", "kind", "timing"):
        value = form.get(key, "").strip()
        if value or key not in item:
            item[key] = value
    for name in TEXTS:
        item[name] = _text(form, name)
    organisation = form.get("organisation", "").strip()
    optional: dict[str, Any] = {
        "organisation": organisation or None,
        "links": _links(form) or None,
        "sources": _kept_order(sources, item.get("sources")) or None,
        "after": [ref for ref in re.split(r"[\s,]+", form.get("after", "")) if ref] or None,
        "deadline": _deadline(form),
        "earliest": _deadline(form, "earliest"),
        "when": condition(form),
    }
    for key, value in optional.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return item


# --- the document as form fields ---------------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def fields(item: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields for a step (as stored in the draft)."""
    out: dict[str, str] = {
        "id": str(item.get("id", "")),
        "kind": str(item.get("kind", "")),
        "timing": str(item.get("timing", "")),
        "organisation": str(item.get("organisation") or ""),
        "after": " ".join(item.get("after") or []),
    }
    for name in TEXTS:
        for lang in LANGS:
            out[f"{name}.{lang}"] = (item.get(name) or {}).get(lang, "")
    links = item.get("links") or []
    for index, link in enumerate(links):
        for part in LINK_FIELDS:
            for lang in LANGS:
                out[f"link-{index}.{part}.{lang}"] = (link.get(part) or {}).get(lang, "")
        out[f"link-{index}.e_service"] = "yes" if link.get("e_service") else ""
    out["links"] = str(len(links) + 1)
    for name in ("deadline", "earliest"):
        out |= _counted_day_fields(item.get(name), name)
    out |= when_fields(item.get("when"))
    return out


def _counted_day_fields(day: Any, name: str) -> dict[str, str]:
    if not isinstance(day, dict):
        return {f"{name}.direction": "none"}
    direction = "after" if "after" in day else "before"
    period = day.get(direction) or {}
    unit = next(iter(period), "days")
    out = {
        f"{name}.direction": direction,
        f"{name}.amount": _shown(period.get(unit)),
        f"{name}.unit": unit,
        f"{name}.source": str(day.get("source", "")),
    }
    if name == "deadline":
        out["deadline.working_day_rule"] = _shown(day.get("working_day_rule"))
    return out


def when_fields(when: Any) -> dict[str, str]:
    """A condition in the simple form when it is one question and one comparison, else as
    YAML in the fallback field."""
    if when is None:
        return {}
    if isinstance(when, dict) and "question" in when and len(when) == 2:
        operator = next(key for key in when if key != "question")
        value = when[operator]
        if operator in COMPARISONS and (operator in LIST_VALUED or not isinstance(value, list)):
            return {
                "when.question": str(when["question"]),
                "when.operator": operator,
                "when.value": "" if operator in NO_VALUE else _shown(value),
            }
    return {"when.yaml": dump_yaml(when)}


# --- a question of the journey's own ----------------------------------------------------------

OPTION_TEXTS = ("label", "you_said")


def question(form: Mapping[str, str], original: dict[str, Any]) -> dict[str, Any]:
    """The question the form describes (its id and anything the form does not show kept)."""
    item = dict(original)
    for key in ("id", "type"):
        value = form.get(key, "").strip()
        if value or key not in item:
            item[key] = value
    options = []
    for index in range(_count(form, "options")):
        prefix = f"option-{index}"
        option: dict[str, Any] = {"id": form.get(f"{prefix}.id", "").strip()}
        for name in OPTION_TEXTS:
            text = _text(form, f"{prefix}.{name}")
            if text:
                option[name] = text
        if option["id"] or len(option) > 1:
            options.append(option)
    optional: dict[str, Any] = {
        "label": _text(form, "label"),
        "hint": _text(form, "hint") or None,
        "options": options or None,
        "not_sure": True if form.get("not_sure") == "yes" else None,
        "asked_when": condition(form),
    }
    for key, value in optional.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return item


def option_moved(form: dict[str, str], action: str) -> dict[str, str]:
    """The question form with option i moved one place ("up-i" or "down-i"): the two options'
    fields swap names, so what was typed moves with them."""
    direction, _, number = action.partition("-")
    if direction not in ("up", "down") or not number.isdigit() or len(number) > 3:
        return form
    index = int(number)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < _count(form, "options") or index >= _count(form, "options"):
        return form
    names = {f"option-{index}.": f"option-{other}.", f"option-{other}.": f"option-{index}."}
    out = {}
    for key, value in form.items():
        prefix = next((p for p in names if key.startswith(p)), None)
        out[names[prefix] + key[len(prefix) :] if prefix else key] = value
    return out


def _count(form: Mapping[str, str], name: str) -> int:
    given = form.get(name, "")
    return min(int(given), 50) if given.isdigit() else 0


def question_fields(item: Mapping[str, Any]) -> dict[str, str]:
    out = {"id": str(item.get("id", "")), "type": str(item.get("type", ""))}
    for name in ("label", "hint"):
        for lang in LANGS:
            out[f"{name}.{lang}"] = (item.get(name) or {}).get(lang, "")
    options = item.get("options") or []
    for index, option in enumerate(options):
        out[f"option-{index}.id"] = str(option.get("id", ""))
        for name in OPTION_TEXTS:
            for lang in LANGS:
                out[f"option-{index}.{name}.{lang}"] = (option.get(name) or {}).get(lang, "")
    out["options"] = str(len(options) + 1)
    out["not_sure"] = "yes" if item.get("not_sure") else ""
    return out | when_fields(item.get("asked_when"))


def question_problem_field(pointer: str, index: int, form: Mapping[str, str]) -> str | None:
    """The question form's field a problem of question `index` is about."""
    parts = parse_pointer(pointer) if pointer.startswith("/") else []
    if parts[:2] != ["questions", str(index)]:
        return None
    tail = parts[2:] or ["label"]
    head = tail[0]
    if head in ("label", "hint"):
        return f"{head}.{tail[1] if len(tail) > 1 and tail[1] in LANGS else 'fi'}"
    if head == "options" and len(tail) >= 2 and tail[1].isdigit():
        rest = tail[2:]
        if len(rest) >= 1 and rest[0] in OPTION_TEXTS:
            lang = rest[1] if len(rest) > 1 and rest[1] in LANGS else "fi"
            return f"option-{tail[1]}.{rest[0]}.{lang}"
        return f"option-{tail[1]}.id"
    if head == "asked_when":
        return "when.yaml" if form.get("when.yaml", "").strip() else "when.question"
    if head in ("id", "not_sure"):
        return head
    return "type"


# --- the journey's own texts ------------------------------------------------------------------

JOURNEY_TEXTS = ("title", "summary", "you_will_need")


def journey_texts(form: Mapping[str, str]) -> dict[str, Any]:
    """The journey's title, summary and what to have at hand (left out when empty)."""
    texts = {name: _text(form, name) for name in JOURNEY_TEXTS}
    return {name: text for name, text in texts.items() if text or name != "you_will_need"}


def journey_text_fields(content: Mapping[str, Any]) -> dict[str, str]:
    return {
        f"{name}.{lang}": (content.get(name) or {}).get(lang, "")
        for name in JOURNEY_TEXTS
        for lang in LANGS
    }


def journey_text_field(pointer: str) -> str | None:
    """The texts form's field a problem is about, if it is about one of those texts."""
    parts = parse_pointer(pointer) if pointer.startswith("/") else []
    if not parts or parts[0] not in JOURNEY_TEXTS:
        return None
    return f"{parts[0]}.{parts[1] if len(parts) > 1 and parts[1] in LANGS else 'fi'}"


# --- where a problem is ------------------------------------------------------------------------


def problem_field(pointer: str, index: int, form: Mapping[str, str]) -> str | None:
    """The form field of step `index` that a problem's JSON pointer is about; None when the
    problem is elsewhere in the journey."""
    parts = parse_pointer(pointer) if pointer.startswith("/") else []
    if parts[:2] != ["steps", str(index)]:
        return None
    tail = parts[2:]
    head = tail[0] if tail else "title"
    if head in TEXTS:
        return f"{head}.{tail[1] if len(tail) > 1 and tail[1] in LANGS else 'fi'}"
    if head in ("deadline", "earliest"):
        if "working_day_rule" in tail or "source" in tail:
            return f"{head}.{tail[-1]}"
        return f"{head}.amount" if len(tail) >= 3 else f"{head}.direction"
    if head == "when":
        return "when.yaml" if form.get("when.yaml", "").strip() else "when.question"
    if head == "links" and len(tail) >= 2 and tail[1].isdigit():
        rest = [p for p in tail[2:] if p in (*LINK_FIELDS, *LANGS)]
        if len(rest) == 2:
            return f"link-{tail[1]}.{rest[0]}.{rest[1]}"
        return f"link-{tail[1]}.label.fi"
    if head in ("id", "kind", "timing", "organisation", "after", "sources"):
        return head
    return "kind"


# --- merging -----------------------------------------------------------------------------------


def same(before: Any, after: Any) -> bool:
    """Equal, counting texts that differ only in the whitespace around them as equal: a form
    gives a text back without the last line end a file's text has, and that is no change."""
    if isinstance(before, str) and isinstance(after, str):
        return before.strip() == after.strip()
    return bool(before == after)


def merge(base: Any, mine: Any, current: Any) -> Any:
    """`mine` applied again on `current`: what I changed from `base` (the version I edited)
    replaces `current`'s, and what I left alone keeps whatever someone else saved meanwhile.
    Mappings merge key by key (a text language by language); other values whole."""
    if not (isinstance(base, dict) and isinstance(mine, dict) and isinstance(current, dict)):
        return current if same(mine, base) else mine
    out = {}
    for key in dict.fromkeys([*current, *mine]):
        b, m, c = base.get(key, MISSING), mine.get(key, MISSING), current.get(key, MISSING)
        value = c if same(m, b) else (merge(b, m, c) if MISSING not in (b, c) else m)
        if value is not MISSING:
            out[key] = value
    return out


def changes(base: Any, new: Any, prefix: str = "") -> dict[str, tuple[Any, Any]]:
    """Each place where `new` differs from `base`, as `title.sv` -> (before, after)."""
    if isinstance(base, dict) and isinstance(new, dict):
        out: dict[str, tuple[Any, Any]] = {}
        for key in dict.fromkeys([*base, *new]):
            name = f"{prefix}.{key}" if prefix else str(key)
            out |= changes(base.get(key, MISSING), new.get(key, MISSING), name)
        return out
    if same(base, new):
        return {}
    return {prefix: (None if base is MISSING else base, None if new is MISSING else new)}


def shown(value: Any) -> str:
    """A value on the conflict page: a text as it is, anything else as short YAML."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return dump_yaml(value).strip()


def encode(item: Mapping[str, Any]) -> str:
    """The step as read, carried by the form so a later save can merge onto a newer draft."""
    return json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)


def decode(text: str) -> dict[str, Any]:
    """The carried step; anything unreadable counts as nothing read (a new step)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}
