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
from api.editor_pages.problem_text import N_
from api.engine.model import COMPARISONS, LANGS
from api.engine.yamlfile import YamlError, dump_yaml, load_yaml
from api.http.numbers import whole_number

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


def _links(form: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for index in range(row_count(form, "links")):
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
    return _with(item, optional)


def _with(item: dict[str, Any], optional: dict[str, Any]) -> dict[str, Any]:
    """`item` with each optional key set, or dropped where the form leaves it empty."""
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
    for index in range(row_count(form, "options")):
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
    return _with(item, optional)


def option_moved(form: dict[str, str], action: str) -> dict[str, str]:
    """The question form with option i moved one place ("up-i" or "down-i"): the two options'
    fields swap names, so what was typed moves with them."""
    direction, _, number = action.partition("-")
    index = whole_number(number, digits=3)
    if direction not in ("up", "down") or index is None:
        return form
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < row_count(form, "options") or index >= row_count(form, "options"):
        return form
    names = {f"option-{index}.": f"option-{other}.", f"option-{other}.": f"option-{index}."}
    out = {}
    for key, value in form.items():
        prefix = next((p for p in names if key.startswith(p)), None)
        out[names[prefix] + key[len(prefix) :] if prefix else key] = value
    return out


MAX_ROWS = 50


def row_count(form: Mapping[str, str], name: str) -> int:
    """How many rows (links, options) the form says it has: at most MAX_ROWS are read."""
    return min(whole_number(form.get(name)) or 0, MAX_ROWS)


def rows_shown(form: Mapping[str, str], name: str) -> int:
    """How many rows a form page shows: the rows the form has, and always one to fill in."""
    return max(1, row_count(form, name))


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
    return out | when_fields(item.get("asked_when"), structured=False)


def question_problem_field(pointer: str, index: int, form: Mapping[str, str]) -> str | None:
    """The question form's field a problem of question `index` is about."""
    parts = parse_pointer(pointer) if pointer.startswith("/") else []
    if parts[:2] != ["questions", str(index)]:
        return None
    tail = parts[2:] or ["label"]
    head = tail[0]
    if head in ("label", "hint"):
        return f"{head}.{tail[1] if len(tail) > 1 and tail[1] in LANGS else 'fi'}"
    if head == "options" and len(tail) >= 2 and whole_number(tail[1]) is not None:
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


# --- conditions as a structured form -----------------------------------------------------------
#
# A condition is a tree: a rule (question, comparison, value) or a group (all, any, not) of
# nodes. Each node's fields are named by its place: the root is `when`, a group's children
# `when.0`, `when.0.1`, ... A group has `<place>.group` and `<place>.count`; a rule
# `<place>.question`, `<place>.operator`, `<place>.value`. A `not` group of several nodes means
# none of them is true (`not: {any: [...]}`), of one node that it is not true.

GROUPS = ("all", "any", "not")
# How deep groups may nest in the form, and how many nodes a group holds: more is YAML only.
MAX_DEPTH = 4
MAX_CHILDREN = 20
CONDITION_ACTION = "condition:"
# Why a condition is shown as YAML only (the page says it in the editor's language).
YAML_ONLY_REASONS = ("shape", "value", "deep", "empty", "many")

Node = dict[str, Any]


def _empty_rule() -> Node:
    return {"question": "", "operator": "equals", "value": ""}


def _node(form: Mapping[str, str], place: str, depth: int = 0) -> Node:
    """The node at `place` as the form gives it (groups beyond the depth limit are not read)."""
    group = form.get(f"{place}.group", "")
    if group in GROUPS and depth < MAX_DEPTH:
        size = min(whole_number(form.get(f"{place}.count")) or 0, MAX_CHILDREN)
        children = [_node(form, f"{place}.{i}", depth + 1) for i in range(size)]
        return {"group": group, "children": children}
    return {
        "question": form.get(f"{place}.question", "").strip(),
        "operator": form.get(f"{place}.operator", "").strip(),
        "value": form.get(f"{place}.value", ""),
    }


def _condition_of(node: Node, place: str) -> dict[str, Any] | None:
    """A node's condition; None for a rule without a question or a group without any."""
    if "group" in node:
        parts = [
            part
            for index, child in enumerate(node["children"])
            if (part := _condition_of(child, f"{place}.{index}")) is not None
        ]
        if not parts:
            return None
        if node["group"] == "not":
            return {"not": parts[0] if len(parts) == 1 else {"any": parts}}
        return {node["group"]: parts}
    question, operator, value = node["question"], node["operator"], node["value"]
    if not question:
        return None
    if operator in NO_VALUE:
        return {"question": question, operator: True}
    if operator in LIST_VALUED:
        return {
            "question": question,
            operator: [part.strip() for part in value.split(",") if part.strip()],
        }
    if operator not in COMPARISONS:
        raise FormProblem(f"{place}.operator", N_("choose a comparison"))
    return {"question": question, operator: _scalar(value)}


def condition(form: Mapping[str, str]) -> dict[str, Any] | None:
    """The step's `when`: the YAML field when it has text (what the form cannot say), else the
    structured form's; None when neither says anything."""
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
                "when.yaml", N_("a condition is a mapping, e.g. {question: x, equals: y}")
            )
        return data
    return _condition_of(_node(form, "when"), "when")


def _tree(when: Any, depth: int = 0) -> Node | str:
    """A stored condition as a form node, or why the form cannot show it (a YAML_ONLY_REASONS)."""
    if not isinstance(when, dict):
        return "shape"
    keys = set(when)
    if keys in ({"all"}, {"any"}, {"not"}):
        if depth >= MAX_DEPTH:
            return "deep"
        (group,) = keys
        inner = when[group]
        if group == "not":
            many = isinstance(inner, dict) and set(inner) == {"any"}
            parts = inner["any"] if many and isinstance(inner["any"], list) else [inner]
            if many and len(parts) < 2:
                parts = [inner]
        else:
            parts = inner
        if not isinstance(parts, list):
            return "shape"
        if not parts:
            return "empty"
        if len(parts) > MAX_CHILDREN:
            return "many"
        children = []
        for part in parts:
            child = _tree(part, depth + 1)
            if isinstance(child, str):
                return child
            children.append(child)
        return {"group": group, "children": children}
    if "question" not in keys or len(keys) != 2 or not isinstance(when["question"], str):
        return "shape"
    operator = next(key for key in when if key != "question")
    value = when[operator]
    if operator not in COMPARISONS:
        return "shape"
    if operator in NO_VALUE:
        if value is not True:
            return "value"
        value = ""
    elif operator in LIST_VALUED:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "value"
    elif isinstance(value, list | dict):
        return "value"
    return {"question": when["question"], "operator": operator, "value": _shown(value)}


def _flat(node: Node, place: str) -> dict[str, str]:
    """A node as the form's fields."""
    if "group" in node:
        out = {f"{place}.group": node["group"], f"{place}.count": str(len(node["children"]))}
        for index, child in enumerate(node["children"]):
            out |= _flat(child, f"{place}.{index}")
        return out
    return {f"{place}.{key}": str(node[key]) for key in ("question", "operator", "value")}


def when_fields(when: Any, structured: bool = True) -> dict[str, str]:
    """A condition as the form's fields, or as YAML in the fallback field (with why, under
    `when.reason`) when the form cannot show it. Not `structured`: only one rule is shown
    (the question form), anything else is YAML."""
    if when is None:
        return {}
    node = _tree(when)
    if isinstance(node, dict) and (structured or "group" not in node):
        return _flat(node, "when")
    return {"when.yaml": dump_yaml(when), "when.reason": node if isinstance(node, str) else ""}


def yaml_only_reason(form: Mapping[str, str]) -> str:
    """Why the YAML field is used instead of the form: a YAML_ONLY_REASONS, or "" when the
    field is empty or its condition could be shown in the form."""
    if "when.reason" in form:
        return form["when.reason"]
    written = form.get("when.yaml", "").strip()
    if not written:
        return ""
    try:
        data, _ = load_yaml(written)
    except (YamlError, yaml.YAMLError):
        return ""
    found = _tree(data)
    return found if isinstance(found, str) else ""


def condition_tree(form: Mapping[str, str]) -> Node:
    """The form's condition as nodes to show, each with its `place`, `depth` and `number`."""

    def placed(node: Node, place: str, depth: int, number: str) -> Node:
        out = dict(node, place=place, depth=depth, number=number)
        if "group" in node:
            out["children"] = [
                placed(child, f"{place}.{i}", depth + 1, f"{number}.{i + 1}".lstrip("."))
                for i, child in enumerate(node["children"])
            ]
        return out

    return placed(_node(form, "when"), "when", 0, "")


def change_condition(form: Mapping[str, str], action: str) -> tuple[dict[str, str], str]:
    """The form's fields after a condition button (`condition:add-rule:<place>`,
    `condition:add-group:<place>`, `condition:remove:<place>`), and the place of the node to
    bring into view. A button for a place the form does not have changes nothing."""
    _, verb, place = ([*action.split(":", 2), "", ""])[:3]
    unchanged = dict(form), ""
    root = _node(form, "when")
    steps = place.split(".")
    if steps[0] != "when" or any(whole_number(step) is None for step in steps[1:]):
        return unchanged
    target, parent, index = root, None, -1
    for step in steps[1:]:
        if "group" not in target or int(step) >= len(target["children"]):
            return unchanged
        parent, index = target, int(step)
        target = target["children"][index]
    depth = len(steps) - 1
    if verb in ("add-rule", "add-group"):
        new = _empty_rule() if verb == "add-rule" else {"group": "all", "children": [_empty_rule()]}
        if "group" not in target:
            # A rule becomes a group ("all") of itself and the new node.
            target = {"group": "all", "children": [target]}
        if (
            depth >= MAX_DEPTH
            or len(target["children"]) >= MAX_CHILDREN
            or (verb == "add-group" and depth + 1 >= MAX_DEPTH)
        ):
            return unchanged
        target = dict(target, children=[*target["children"], new])
        focus = f"{place}.{len(target['children']) - 1}"
        if parent is None:
            root = target
        else:
            parent["children"][index] = target
    elif verb == "remove" and parent is not None:
        del parent["children"][index]
        focus = place.rsplit(".", 1)[0]
    elif verb == "remove":
        root, focus = _empty_rule(), "when"
    else:
        return unchanged
    kept = {
        key: value
        for key, value in form.items()
        if not key.startswith("when.") or key in ("when.yaml",)
    }
    return kept | _flat(root, "when"), focus


def condition_field(tail: list[str], form: Mapping[str, str], root: str = "when") -> str:
    """The field of the condition form a problem at `tail` (inside the condition) is about."""
    if form.get(f"{root}.yaml", "").strip():
        return f"{root}.yaml"
    place, rest = root, list(tail)
    while rest:
        group = form.get(f"{place}.group")
        if (
            group in ("all", "any")
            and rest[0] == group
            and len(rest) > 1
            and whole_number(rest[1]) is not None
        ):
            place, rest = f"{place}.{rest[1]}", rest[2:]
        elif group == "not" and rest[0] == "not":
            rest = rest[1:]
            several = form.get(f"{place}.count", "") not in ("", "0", "1")
            if (
                several
                and rest[:1] == ["any"]
                and len(rest) > 1
                and whole_number(rest[1]) is not None
            ):
                place, rest = f"{place}.{rest[1]}", rest[2:]
            else:
                place = f"{place}.0"
        else:
            break
    if form.get(f"{place}.group") in GROUPS:
        return f"{place}.group"
    if rest and rest[0] in COMPARISONS:
        return f"{place}.value"
    return f"{place}.question"


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
        return condition_field(tail[1:], form)
    if head == "links" and len(tail) >= 2 and whole_number(tail[1]) is not None:
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
