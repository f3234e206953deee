"""Problems found in journey files or answers, each naming its file and place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]
Params = tuple[tuple[str, str], ...]


class Coded(str):
    """A message that is still its English text everywhere, with a stable code and the values
    in it, so that an interface can say it in its own language (the editor pages do)."""

    code: str
    params: Params

    def __new__(cls, text: str, code: str, **params: object) -> Coded:
        out = super().__new__(cls, text)
        out.code = code
        out.params = tuple((key, str(value)) for key, value in params.items())
        return out


def format_path(path: Path) -> str:
    """`("steps", 2, "when")` as `steps[2].when`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(top)"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at one place, said so that an editor can fix it."""

    file: str
    path: Path
    message: str
    line: int | None = field(default=None, compare=False)
    # "translation" for a missing Swedish or English text: the journey can still be planned and
    # its scenarios run, but it is not ready to publish.
    kind: str = field(default="error", compare=False)
    # A stable name of the message and the values in it (see Coded); "" for a message without.
    code: str = field(default="", compare=False)
    params: Params = field(default=(), compare=False)

    @property
    def place(self) -> str:
        where = format_path(self.path)
        return f"{where} (line {self.line})" if self.line is not None else where

    def __str__(self) -> str:
        return f"{self.file}: {self.place}: {self.message}"


class ProblemList:
    """Collects problems for one file, attaching YAML line numbers when they are known."""

    def __init__(self, file: str, lines: dict[Path, int] | None = None) -> None:
        self.file = file
        self.lines = lines or {}
        self.items: list[Problem] = []

    def add(self, path: Sequence[str | int], message: str, kind: str = "error") -> None:
        key = tuple(path)
        code, params = (message.code, message.params) if isinstance(message, Coded) else ("", ())
        self.items.append(
            Problem(self.file, key, str(message), self.line_of(key), kind, code, params)
        )

    def line_of(self, path: Path) -> int | None:
        # The nearest enclosing node that has a line: a missing key is reported at its parent.
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None
