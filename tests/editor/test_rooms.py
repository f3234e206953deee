"""The editor's rooms (drafts, preview, publishing, history, translations) keep their services
free of the web: keyword arguments only and no FastAPI or Starlette, so the editors' pages
call the same functions as the JSON routes."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from types import ModuleType

import pytest

import api.editor

ROOMS = ["drafts", "preview", "publishing", "history", "translations"]
EDITOR = Path(api.editor.__file__).parent
SERVICES = [f"api.editor.{room}.service" for room in ROOMS] + ["api.editor.checks"]


def public_functions(module: ModuleType) -> list[tuple[str, inspect.Signature]]:
    return [
        (name, inspect.signature(value))
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    ]


@pytest.mark.parametrize("room", ROOMS)
def test_every_room_has_a_service_and_routes(room: str) -> None:
    assert (EDITOR / room / "service.py").is_file()
    assert (EDITOR / room / "routes.py").is_file()
    assert importlib.import_module(f"api.editor.{room}.routes").router.routes


@pytest.mark.parametrize("name", [f"api.editor.{room}.service" for room in ROOMS])
def test_a_service_function_that_takes_the_database_takes_everything_by_keyword(
    name: str,
) -> None:
    positional = [
        function
        for function, signature in public_functions(importlib.import_module(name))
        if {"session", "sessions"} & set(signature.parameters)
        and any(p.kind != p.KEYWORD_ONLY for p in signature.parameters.values())
    ]
    assert positional == [], f"{name}: make these keyword-only (`*,`): {positional}"


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_imports_nothing_of_the_web_framework(name: str) -> None:
    module = importlib.import_module(name)
    tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    web = [m for m in imported if m.split(".")[0] in {"fastapi", "starlette"}]
    assert web == [], f"{name} imports {web}: services take plain values"
