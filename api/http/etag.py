"""ETags: one of a response's bytes, and whether an If-None-Match or If-Match header names it."""

from __future__ import annotations

import hashlib


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def etag_matches(header: str | None, etag: str, *, wildcard: bool = True) -> bool:
    """Whether the header's list names `etag`, weak (W/) or strong: ours are all strong, and a
    weak copy of a strong tag is the same bytes. `*` names any unless `wildcard` is False (a
    draft's writer must name the revision they read)."""
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or (wildcard and "*" in tags)
