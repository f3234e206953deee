"""What each test costs: a pytest plugin, and a report of what it recorded.

    SUITE_COST_DIR=/tmp/cost PYTHONPATH=bench .venv/bin/pytest -p suite_cost -n 3 ...
    .venv/bin/python bench/suite_cost.py /tmp/cost [--top 15]

The plugin writes one JSON line per test (in every xdist worker) with its wall time, the CPU
(user + system) of the test process and of the processes it started and waited for (servers,
CLI runs), and how often the expensive things happened during it: migrations, journey imports,
catalogue checks, the journeys whose scenarios ran, catalogue loads, apps created, app
lifespans started, servers started and PostgreSQL databases made. A session fixture's cost
lands on the first test that used it. PostgreSQL's own CPU is not in it (another process).
The report adds them up per test directory and lists the slowest tests.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

COUNTED: dict[str, tuple[str, str]] = {
    # name: (module, attribute); "Class.method" patches the class
    "migrations": ("api.migrations", "upgrade"),
    "imports": ("api.catalogue.service", "import_directory"),
    "checks": ("api.engine.check", "check_catalogue"),
    "scenario_journeys": ("api.engine.check", "_run_scenarios"),
    "catalogue_loads": ("api.catalogue.service", "CatalogueService.load"),
    "apps": ("api.main", "create_app"),
    "lifespans": ("starlette.testclient", "TestClient.__enter__"),
    "servers": ("tests.server", "running_server"),
    "pg_databases": ("tests.conftest", "PostgresDatabases.new"),
}
_counts: Counter[str] = Counter()
_originals: dict[int, Callable[..., Any]] = {}  # id(original) -> wrapper


def _counting(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _counts[name] += 1
        return original(*args, **kwargs)

    wrapper.__wrapped_original__ = original  # type: ignore[attr-defined]
    return wrapper


def _install() -> None:
    import importlib

    for name, (module_name, attribute) in COUNTED.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        owner: Any = module
        *path, last = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, last)
        if hasattr(original, "__wrapped_original__"):
            continue
        wrapper = _counting(name, original)
        setattr(owner, last, wrapper)
        if not path:  # a module-level function: also where other modules imported it by name
            _originals[id(original)] = wrapper


def _rebind() -> None:
    """Point names bound by `from x import f` (in api and tests modules) at the wrappers."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith(("api", "tests")):
            continue
        for key, value in list(vars(module).items()):
            wrapper = _originals.get(id(value))
            if wrapper is not None and callable(value):
                setattr(module, key, wrapper)


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


_out: Any = None


def pytest_configure(config: pytest.Config) -> None:
    global _out
    directory = os.environ.get("SUITE_COST_DIR")
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _out = open(Path(directory) / f"{worker}-{os.getpid()}.jsonl", "a", encoding="utf-8")  # noqa: SIM115
    _install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _out is not None:
        _out.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    if _out is None:
        yield
        return
    _install()
    _rebind()
    _counts.clear()
    own, children = _cpu()
    start = time.perf_counter()
    yield
    wall = time.perf_counter() - start
    own_after, children_after = _cpu()
    record = {
        "test": item.nodeid,
        "wall": round(wall, 4),
        "cpu": round(own_after - own, 4),
        "cpu_children": round(children_after - children, 4),
        **dict(_counts),
    }
    _out.write(json.dumps(record) + "\n")
    _out.flush()


def _directory(nodeid: str) -> str:
    parts = nodeid.split("::")[0].split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def report(directory: Path, top: int) -> None:
    records = [
        json.loads(line)
        for path in sorted(directory.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        group = sums[_directory(record["test"])]
        group["tests"] += 1
        for key, value in record.items():
            if key != "test":
                group[key] += value
    keys = ["tests", "wall", "cpu", "cpu_children", *COUNTED]
    print("| directory | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    total: Counter[str] = Counter()
    for name in sorted(sums):
        total.update(sums[name])
        print(f"| {name} | " + " | ".join(_fmt(sums[name][k]) for k in keys) + " |")
    print("| all | " + " | ".join(_fmt(total[k]) for k in keys) + " |")
    print()
    print(f"Slowest {top} tests (wall s, CPU s of the test process + its children):")
    for record in sorted(records, key=lambda r: -r["wall"])[:top]:
        cpu = record["cpu"] + record["cpu_children"]
        print(f"  {record['wall']:7.2f} {cpu:7.2f}  {record['test']}")


def _fmt(value: float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    top = 15
    if "--top" in arguments:
        index = arguments.index("--top")
        top = int(arguments[index + 1])
        del arguments[index : index + 2]
    report(Path(arguments[0]), top)
