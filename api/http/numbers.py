"""Whole numbers written by a client: in an address, a form field, a header, a JSON pointer."""

from __future__ import annotations


def whole_number(text: str | bytes | None, *, digits: int = 9) -> int | None:
    """`text` as a whole number when it is 1 to `digits` ASCII digits; None for anything else.

    `str.isdigit()` alone is not enough before `int()`: it also accepts digits that `int()`
    refuses (superscripts such as "¹"), other scripts' digits that `int()` reads ("٣"), and
    strings too long for `int()` to convert (over 4,300 digits)."""
    if not text or len(text) > digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)
