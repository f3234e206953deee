"""The engine stays pure: it imports nothing from the web, database or template layers."""

from __future__ import annotations

import ast
from pathlib import Path

import api.engine

FORBIDDEN = {"fastapi", "starlette", "sqlalchemy", "jinja2", "alembic", "uvicorn", "httpx"}


def test_the_engine_imports_no_web_database_or_template_library() -> None:
    root = Path(api.engine.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
    assert len(list(root.rglob("*.py"))) > 5  # the walk really saw the engine
