"""Compiled templates are shared through Jinja's bytecode cache (api/pages/render.py): one
compile serves every language's environment and every process, and a cache that cannot be
written or read only means compiling again."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from api.pages import render

TEMPLATE = "{% if name %}<p>{{ name }}</p>{% endif %}"


def _environment(cache: render._SharedBytecode) -> Environment:
    return Environment(
        loader=DictLoader({"page.html": TEMPLATE}), autoescape=True, bytecode_cache=cache
    )


def test_a_template_compiled_once_is_loaded_by_the_next_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = render._SharedBytecode(str(tmp_path))
    assert _environment(cache).get_template("page.html").render(name="<b>") == "<p>&lt;b&gt;</p>"
    assert len(list(tmp_path.iterdir())) == 1

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(Environment, "_compile", no_compiling)
    assert _environment(cache).get_template("page.html").render(name="x") == "<p>x</p>"


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    cache = render._SharedBytecode(str(tmp_path))
    _environment(cache).get_template("page.html")
    changed = Environment(loader=DictLoader({"page.html": "<i>{{ name }}</i>"}), autoescape=True)
    changed.bytecode_cache = cache
    assert changed.get_template("page.html").render(name="x") == "<i>x</i>"


def test_a_cache_that_cannot_be_written_or_read_still_renders(tmp_path: Path) -> None:
    gone = render._SharedBytecode(str(tmp_path / "missing"))
    assert _environment(gone).get_template("page.html").render(name="x") == "<p>x</p>"
    broken = render._SharedBytecode(str(tmp_path))
    _environment(broken).get_template("page.html")
    (entry,) = tmp_path.iterdir()
    entry.unlink()
    entry.symlink_to(entry.name)  # a link to itself: opening it fails (too many levels)
    with pytest.raises(OSError, match="Too many levels"):
        entry.open("rb")
    assert _environment(broken).get_template("page.html").render(name="y") == "<p>y</p>"


def test_every_language_shares_one_cache() -> None:
    caches = {id(render.environment(lang).bytecode_cache) for lang in ("fi", "sv", "en")}
    assert len(caches) == 1
    assert isinstance(render.environment("fi").bytecode_cache, render._SharedBytecode)
