"""What an editor's write costs the engine: a draft checked against the published catalogue,
with the unchanged journeys' work reused (`api/engine/reuse.py`) and done from scratch, side by
side in one run.

Run with `.venv/bin/python bench/draft_check.py` (a few seconds). For a few bundled journeys it
checks a draft (a new copy of the journey, as each write parses its document anew) the way
`api/editor/checks.check` does, ROUNDS times each way, alternating, and prints the median CPU
milliseconds and their ratio. "From scratch" empties the kept work before each check: what
every check did before it was kept. See bench/README.md, "Test suite", sixth round.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from api.engine import glossary, links, prepare
from api.engine.catalogue import Catalogue, parse_texts, read_directory
from api.engine.check import affected_by, check_catalogue

JOURNEYS = Path(__file__).resolve().parents[1] / "journeys"
SLUGS = ("moving", "death-of-a-loved-one", "retirement", "starting-a-business")
ROUNDS = 9


def _forget() -> None:
    for kept in (prepare._prepared_journeys, links._journey_links, glossary._term_use):
        kept.clear()


def _check_draft(catalogue: Catalogue, slug: str, before: Callable[[], None]) -> float:
    journey = catalogue.journeys[slug]
    draft = catalogue.with_journey(journey.model_copy(update={"summary": journey.summary}))
    before()
    started = time.process_time()
    result = check_catalogue(draft, [], scenarios_of=affected_by(draft, slug))
    took = time.process_time() - started
    assert result.ok, result.problems
    return took * 1000


def main() -> None:
    catalogue, problems = parse_texts(read_directory(JOURNEYS))
    assert not problems, problems
    check_catalogue(catalogue, [])  # the published catalogue, prepared and checked once
    print(f"{'journey':<24} {'reused ms':>10} {'scratch ms':>11} {'ratio':>6}")
    for slug in SLUGS:
        reused, scratch = [], []
        for _ in range(ROUNDS):
            reused.append(_check_draft(catalogue, slug, lambda: None))
            scratch.append(_check_draft(catalogue, slug, _forget))
            check_catalogue(catalogue, [])  # the published catalogue's work kept again
        r, s = statistics.median(reused), statistics.median(scratch)
        print(f"{slug:<24} {r:>10.0f} {s:>11.0f} {r / s:>6.2f}")


if __name__ == "__main__":
    main()
