"""Plan assembly benchmark: how long `Planner.plan` takes for one person, and how that grows.

Run with `make bench` (or `.venv/bin/python bench/plan_bench.py`). It measures:

1. the largest real journey in `journeys/` that passes `check_directory` (if there is one yet),
   planned with the answers of its scenario that yields the most steps;
2. synthetic journeys of 100, 1,000 and 10,000 steps, generated in memory, validated once and
   planned many times with a full set of answers.

For each case it prints the one-off preparation cost (parse, validate, build the `Planner`) and the
median and p90 time of one plan, and the growth ratios between the synthetic sizes. It exits 1 if
the 1,000-step plan's median is over the target (5 ms). See bench/README.md for results.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import dataclasses
import datetime as dt
import gc
import itertools
import math
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from api.engine.answers import AnswersRefused
from api.engine.catalogue import (
    LIFE_EVENTS_FILE,
    ORGANISATIONS_FILE,
    QUESTIONS_FILE,
    SHARED_FILES,
    parse_documents,
    parse_texts,
    read_directory,
)
from api.engine.check import check_directory
from api.engine.plan import Plan
from api.engine.planner import Planner
from api.engine.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SIZES = (100, 1_000, 10_000)
TARGET_SIZE = 1_000
TARGET_MS = 5.0
LANG = "fi"

# Dates for planning: a Tuesday event, "today" a few days later so some "before" limits are
# overdue and every "after" limit gets a real calendar date.
EVENT_DATE = dt.date(2027, 6, 15)
TODAY = dt.date(2027, 6, 20)

NS_PER_MS = 1_000_000
T = TypeVar("T")


# --- measuring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    runs: int
    min_ns: float
    median_ns: float
    p90_ns: float

    @property
    def min_ms(self) -> float:
        return self.min_ns / NS_PER_MS

    @property
    def median_ms(self) -> float:
        return self.median_ns / NS_PER_MS

    @property
    def p90_ms(self) -> float:
        return self.p90_ns / NS_PER_MS


def measure(cases: list[Case], *, budget_s: float = 3.0, rounds: int = 30) -> list[Timing]:
    """Time one plan of each case with `time.perf_counter_ns`, after a warm-up.

    Each case gets about `budget_s` seconds of runs, within the bounds of `runs_for`. The runs are
    interleaved in `rounds` rounds (a slice of every case per round), so that the slow spells of
    a shared machine fall on every size alike rather than on whichever case ran at the time."""
    runs: list[int] = []
    for case in cases:
        case.plan()  # the first plan loads the holiday calendar of the year
        start = time.perf_counter_ns()
        case.plan()
        estimate = max(time.perf_counter_ns() - start, 1)
        least, most = runs_for(case.journey_steps)
        runs.append(max(least, min(most, int(budget_s * 1e9 / estimate))))
        for _ in range(max(3, runs[-1] // 10)):  # warm-up
            case.plan()
    per_round = [math.ceil(n / rounds) for n in runs]
    samples: list[list[int]] = [[] for _ in cases]
    gc.collect()
    for _ in range(rounds):
        for case, count, out in zip(cases, per_round, samples, strict=True):
            plan = case.plan
            for _ in range(count):
                start = time.perf_counter_ns()
                plan()
                out.append(time.perf_counter_ns() - start)
    return [
        Timing(
            runs=len(out),
            min_ns=min(out),
            median_ns=statistics.median(out),
            p90_ns=statistics.quantiles(out, n=10, method="inclusive")[-1],
        )
        for out in samples
    ]


def runs_for(steps: int) -> tuple[int, int]:
    """(min_runs, max_runs) for a journey of this many steps."""
    if steps <= 1_000:
        return 200, 5_000
    return 30, 200


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    """The result of `run` and how long it took, in milliseconds."""
    start = time.perf_counter_ns()
    result = run()
    return result, (time.perf_counter_ns() - start) / NS_PER_MS


# --- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A catalogue prepared for planning, with what each stage cost."""

    planner: Planner
    parse_ms: float
    validate_ms: float
    build_ms: float

    @property
    def total_ms(self) -> float:
        return self.parse_ms + self.validate_ms + self.build_ms


@dataclass(frozen=True)
class Case:
    name: str
    slug: str
    size: int | None  # the synthetic size, None for the real journey
    prepared: Prepared
    answers: Mapping[str, Any]
    event_date: dt.date | None
    today: dt.date | None
    note: str = ""

    @property
    def journey_steps(self) -> int:
        return len(self.prepared.planner.journey(self.slug).steps)

    def plan(self) -> Plan:
        return self.prepared.planner.plan(
            self.slug, self.answers, event_date=self.event_date, today=self.today, lang=LANG
        )


@dataclass(frozen=True)
class Result:
    case: Case
    plan_steps: int
    timing: Timing

    @property
    def us_per_step(self) -> float:
        return self.timing.median_ns / 1_000 / self.case.journey_steps

    @property
    def us_per_plan_step(self) -> float:
        return self.timing.median_ns / 1_000 / max(self.plan_steps, 1)


# --- the real journey ----------------------------------------------------------------------------


def real_case(root: Path) -> tuple[Case | None, str]:
    """The journey with most steps among those with no problem at all in `check_directory`, with
    the answers of its scenario whose plan has most steps; or None and why there is none."""
    if not (root / "shared").is_dir():
        return None, f"{root} is not a journeys directory (no shared/ folder)"
    result = check_directory(root)
    catalogue = result.catalogue
    if not catalogue.journeys:
        return None, f"no journeys in {root} yet (only shared files)"
    failing = {p.file for p in result.problems}
    if failing & set(SHARED_FILES):
        return None, f"the shared files in {root} have problems; run `make check-journeys`"
    plannable = set(result.planner.slugs) if result.planner else set()
    passing = [s for s in sorted(plannable) if catalogue.file_of(s) not in failing]
    if not passing:
        return None, (
            f"none of the {len(catalogue.journeys)} journeys in {root} passes the check yet; "
            "run `make check-journeys`"
        )
    slug = max(passing, key=lambda s: len(catalogue.journeys[s].steps))
    prepared = prepare_directory(root, plannable)
    planner = prepared.planner

    best: tuple[tuple[int, bool], str, Mapping[str, Any], dt.date, dt.date] | None = None
    for scenario in planner.journey(slug).scenarios:
        event_date = scenario.event_date or EVENT_DATE
        today = scenario.today or event_date + (TODAY - EVENT_DATE)
        try:
            plan = planner.plan(
                slug, scenario.answers, event_date=event_date, today=today, lang=LANG
            )
        except AnswersRefused:  # cannot happen in a journey that passes the check
            continue
        rank = (len(plan.all_steps()), plan.complete)
        if best is None or rank > best[0]:
            best = (rank, scenario.name, scenario.answers, event_date, today)
    if best is None:
        note = "no scenario: planned with no answers"
        answers: Mapping[str, Any] = {}
        event_date, today = EVENT_DATE, TODAY
    else:
        (_, complete), name, answers, event_date, today = best
        shown = name if len(name) <= 60 else name[:59] + "…"
        note = f"answers of the scenario '{shown}'" + ("" if complete else ", not complete")
    note += f"; event {event_date}, today {today}"
    skipped = len(catalogue.journeys) - len(passing)
    if skipped:
        note += f"; {skipped} other journey(s) skipped: they do not pass the check"
    return Case(f"real: {slug}", slug, None, prepared, answers, event_date, today, note), ""


def prepare_directory(root: Path, plannable: set[str]) -> Prepared:
    """Read, parse, validate and prepare a journeys directory, timing each stage. The planner
    serves the journeys `check_directory` found plannable, as the checker's own planner does."""
    (catalogue, _), parse_ms = timed(lambda: parse_texts(read_directory(root)))
    _, validate_ms = timed(lambda: validate(catalogue))
    journeys = {s: j for s, j in catalogue.journeys.items() if s in plannable}
    restricted = dataclasses.replace(catalogue, journeys=journeys)
    planner, build_ms = timed(lambda: Planner(restricted))
    return Prepared(planner, parse_ms, validate_ms, build_ms)


# --- synthetic journeys --------------------------------------------------------------------------


def text(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def option(oid: str, fi: str, sv: str, en: str) -> dict[str, Any]:
    return {"id": oid, "label": text(fi, sv, en)}


SHARED_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "household",
        "type": "choice",
        "not_sure": True,
        "label": text("Kuka muuttaa kanssasi?", "Vem flyttar med dig?", "Who moves with you?"),
        "options": [
            option("alone", "Muutan yksin", "Jag flyttar ensam", "I move alone"),
            option("couple", "Puoliso", "Make eller sambo", "My partner"),
            option("family", "Perhe", "Familjen", "My family"),
        ],
    },
    {
        "id": "children",
        "type": "yes_no",
        "label": text("Onko sinulla lapsia?", "Har du barn?", "Do you have children?"),
        "options": [
            {
                "id": "yes",
                "you_said": text("sinulla on lapsia", "du har barn", "you have children"),
            },
            {"id": "no", "you_said": text("sinulla ei ole lapsia", "du inte har barn", "no kids")},
        ],
    },
    {
        "id": "income",
        "type": "multiple",
        "label": text("Mistä tulosi ovat?", "Varifrån kommer din inkomst?", "Your income?"),
        "options": [
            option("salary", "Palkka", "Lön", "Salary"),
            option("pension", "Eläke", "Pension", "Pension"),
            option("benefits", "Etuudet", "Förmåner", "Benefits"),
            option("business", "Yritys", "Företag", "Business"),
        ],
    },
]

LOCAL_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "moving_to",
        "type": "choice",
        "not_sure": True,
        "label": text("Minne muutat?", "Vart flyttar du?", "Where are you moving?"),
        "options": [
            option("same_town", "Samaan kuntaan", "Inom kommunen", "Within the town"),
            option("other_town", "Toiseen kuntaan", "Till en annan kommun", "To another town"),
            option("abroad", "Ulkomaille", "Utomlands", "Abroad"),
        ],
    },
    {
        "id": "home_type",
        "type": "choice",
        "label": text("Millainen uusi koti on?", "Vilket slags hem?", "What kind of home?"),
        "options": [
            option("rental", "Vuokra-asunto", "Hyresbostad", "Rented"),
            option("owned", "Omistusasunto", "Ägarbostad", "Owned"),
            option("student", "Opiskelija-asunto", "Studentbostad", "Student housing"),
        ],
    },
    {
        "id": "lease_end",
        "type": "date",
        "asked_when": {"question": "home_type", "equals": "rental"},
        "label": text("Milloin vanha vuokrasopimus päättyy?", "När slutar avtalet?", "Lease end?"),
        "minimum": dt.date(2000, 1, 1),
    },
    {
        "id": "adults",
        "type": "number",
        "minimum": 1,
        "maximum": 20,
        "label": text("Montako aikuista?", "Hur många vuxna?", "How many adults?"),
        "you_said": text("aikuisia on {answer}", "ni är {answer} vuxna", "{answer} adults move"),
    },
    {
        "id": "child_count",
        "type": "number",
        "minimum": 1,
        "maximum": 15,
        "asked_when": {"question": "children", "equals": "yes"},
        "label": text("Montako lasta?", "Hur många barn?", "How many children?"),
    },
    {
        "id": "birth_date",
        "type": "date",
        "minimum": dt.date(1900, 1, 1),
        "label": text("Syntymäaikasi?", "Ditt födelsedatum?", "Your date of birth?"),
    },
    {
        "id": "car",
        "type": "yes_no",
        "label": text("Onko sinulla auto?", "Har du bil?", "Do you own a car?"),
    },
]

# A full set of answers: every question that applies to this person is answered.
ANSWERS: dict[str, Any] = {
    "household": "family",
    "children": "yes",
    "income": ["salary", "benefits"],
    "moving_to": "other_town",
    "home_type": "rental",
    "lease_end": "2027-07-31",
    "adults": 2,
    "child_count": 2,
    "birth_date": "1985-03-10",
    "car": "yes",
}


def q(question: str, comparison: str, value: Any) -> dict[str, Any]:
    return {"question": question, comparison: value}


# Step conditions, with whether each holds for ANSWERS (15 of 22 do, so about two thirds of the
# steps apply). Between them they use every question and every kind of comparison.
CONDITIONS: list[tuple[dict[str, Any], bool]] = [
    (q("moving_to", "equals", "other_town"), True),
    (q("moving_to", "one_of", ["other_town", "abroad"]), True),
    (q("moving_to", "equals", "abroad"), False),
    (q("household", "one_of", ["couple", "family"]), True),
    (q("children", "equals", "yes"), True),
    (q("income", "includes", "pension"), False),
    (q("income", "one_of", ["salary", "business"]), True),
    (q("adults", "at_least", 2), True),
    (q("child_count", "more_than", 3), False),
    (q("birth_date", "before", dt.date(1960, 1, 1)), False),
    (q("birth_date", "on_or_after", dt.date(1980, 1, 1)), True),
    (q("lease_end", "on_or_before", dt.date(2027, 8, 31)), True),
    ({"all": [q("home_type", "equals", "rental"), q("car", "equals", "yes")]}, True),
    ({"any": [q("home_type", "equals", "owned"), q("adults", "more_than", 4)]}, False),
    ({"not": q("moving_to", "equals", "abroad")}, True),
    (
        {
            "all": [
                q("children", "equals", "yes"),
                {"any": [q("child_count", "at_most", 2), q("income", "includes", "benefits")]},
            ]
        },
        True,
    ),
    ({"not": {"any": [q("home_type", "equals", "student"), q("car", "equals", "no")]}}, True),
    (q("car", "equals", "no"), False),
    (
        {
            "all": [
                q("moving_to", "one_of", ["same_town", "other_town"]),
                {"not": q("household", "equals", "alone")},
            ]
        },
        True,
    ),
    (q("lease_end", "answered", True), True),
    (q("adults", "less_than", 2), False),
    ({"any": [q("household", "equals", "alone"), q("income", "includes", "salary")]}, True),
]

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "id": org,
        "name": text(fi, sv, en),
        "url": {lang: f"https://{org}.example/{lang}" for lang in ("fi", "sv", "en")},
    }
    for org, fi, sv, en in (
        ("dvv", "Digi- ja väestötietovirasto", "Myndigheten för digitalisering", "DVV"),
        ("kela", "Kansaneläkelaitos", "Folkpensionsanstalten", "Kela"),
        ("vero", "Verohallinto", "Skatteförvaltningen", "Finnish Tax Administration"),
    )
]
SOURCES: list[dict[str, Any]] = [
    {"id": "population_act", "title": text("Väestötietolaki", "Befolkningsdatalag", "Act"),
     "url": "https://www.finlex.fi/fi/laki/ajantasa/2009/20090661", "law": True},
    {"id": "kela_guide", "title": text("Kelan ohje", "FPA:s anvisning", "Kela guide"),
     "url": "https://www.kela.fi/muutto"},
    {"id": "vero_guide", "title": text("Veron ohje", "Skattens anvisning", "Tax guide"),
     "url": "https://www.vero.fi/muutto"},
]  # fmt: skip
EVENT: dict[str, Any] = {
    "label": text("Muuttopäivä", "Flyttdag", "Moving day"),
    "after": text("muuttopäivän jälkeen", "efter flyttdagen", "after the moving day"),
    "before": text("ennen muuttopäivää", "före flyttdagen", "before the moving day"),
}
VERBS = [
    ("Ilmoita", "Anmäl", "Report"),
    ("Hae", "Ansök om", "Apply for"),
    ("Tarkista", "Kontrollera", "Check"),
    ("Päivitä", "Uppdatera", "Update"),
    ("Varaa", "Boka", "Book"),
]
NOUNS = [
    ("muutto", "flytten", "the move"),
    ("asumistuki", "bostadsbidrag", "housing allowance"),
    ("verokortti", "skattekort", "tax card"),
    ("päivähoitopaikka", "dagvårdsplats", "a day-care place"),
    ("pysäköintilupa", "parkeringstillstånd", "a parking permit"),
    ("kotivakuutus", "hemförsäkring", "home insurance"),
]
BODY = (
    "{fi} ajoissa. Tarvitset henkilötunnuksesi ja uuden osoitteesi. "
    "Voit tehdä tämän verkossa tai käydä palvelupisteessä. [Lue lisää](https://example.fi/{n}).",
    "{sv} i tid. Du behöver din personbeteckning och din nya adress. "
    "Du kan göra det på nätet eller besöka ett servicekontor. [Läs mer](https://example.fi/{n}).",
    "{en} in good time. You need your personal identity code and your new address. "
    "You can do this online or visit a service point. [Read more](https://example.fi/{n}).",
)
TIMINGS = ("before", "around", "after")

# The mix of steps, as decks of cards dealt without replacement and reshuffled when used up, so
# every size has the same mix (a random draw per step would skew the 100-step journey).
# Shapes: (kind, deadline direction or None); 10 of 30 have a deadline, 3 of those before.
SHAPE_COUNTS: dict[tuple[str, str | None], int] = {
    ("automatic", None): 3,
    ("advice", None): 4,
    ("task", "before"): 3,
    ("task", "after"): 7,
    ("task", None): 13,
}
SHAPES = [shape for shape, count in SHAPE_COUNTS.items() for _ in range(count)]
UNITS = [("days", 14), ("weeks", 4), ("months", 3)]
RANKS = [0, 1, 1, 2, 2]  # timing before, around, after
AFTER = [2, 1, 1, 0, 0, 0, 0, 0, 0, 0]  # how many earlier steps a step comes after


class Deck(Generic[T]):
    """Cards dealt in a random order; every card once before any card twice."""

    def __init__(self, cards: list[T], rng: random.Random) -> None:
        self.cards = cards
        self.rng = rng
        self.hand: list[T] = []

    def deal(self) -> T:
        if not self.hand:
            self.hand = self.rng.sample(self.cards, len(self.cards))
        return self.hand.pop()


class StepMaker:
    """Makes the steps of one synthetic journey, in order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.conditions = Deck(CONDITIONS, rng)
        self.shapes = Deck(SHAPES, rng)
        self.units = Deck(UNITS, rng)
        self.ranks = Deck(RANKS, rng)
        self.after = Deck(AFTER, rng)
        self.timings: list[int] = []  # the timing rank of every step made so far
        self.applying = 0  # how many of the steps apply to ANSWERS

    def step(self, index: int) -> dict[str, Any]:
        rng = self.rng
        verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
        fi, sv, en = (f"{verb[i]} {noun[i]}" for i in range(3))
        kind, direction = self.shapes.deal()
        rank = self.ranks.deal()
        condition, holds = self.conditions.deal()
        self.applying += holds
        step: dict[str, Any] = {
            "id": f"step-{index:05d}",
            "kind": kind,
            "title": text(fi, sv, en),
            "body": text(*(template.format(fi=fi, sv=sv, en=en, n=index) for template in BODY)),
            "when": condition,
            "sources": [rng.choice(SOURCES)["id"]],
        }
        if direction is not None:
            if direction == "before":
                rank = 0  # a deadline before the event must be timed before it
            unit, most = self.units.deal()
            step["deadline"] = {
                direction: {unit: rng.randint(1, most)},
                "source": rng.choice(SOURCES)["id"],
                # Drawn as before the rule became required, so the catalogue stays the same.
                "working_day_rule": rng.random() >= 0.1,
            }
            if direction == "after" and rng.random() < 0.15:
                step["earliest"] = {"before": {"weeks": 2}, "source": step["deadline"]["source"]}
        step["timing"] = TIMINGS[rank]
        if rng.random() < 0.7:
            step["organisation"] = rng.choice(ORGANISATIONS)["id"]
        if kind == "task" and rng.random() < 0.6:
            urls = {lang: f"https://e.example/{lang}/{index}" for lang in ("fi", "sv", "en")}
            label = text("Asioi verkossa", "Uträtta ärenden på nätet", "Do it online")
            step["links"] = [{"label": label, "url": urls, "e_service": True}]
            step["ptv_service"] = f"ptv-{index:08x}"
        # "Comes after" recent earlier steps that are not timed later than this one.
        window = range(max(0, index - 20), index)
        earlier = [j for j in window if self.timings[j] <= rank]
        count = min(self.after.deal(), len(earlier))
        if count:
            step["after"] = [f"step-{j:05d}" for j in sorted(rng.sample(earlier, count))]
        self.timings.append(rank)
        return step


def synthetic_documents(size: int, seed: int = 2027) -> tuple[dict[str, Any], int]:
    """A catalogue as parsed documents (the shared files, a journey of `size` steps and a small
    follow-on journey it suggests), and how many of the steps apply to ANSWERS."""
    rng = random.Random(seed + size)
    slug = f"synthetic-{size}"
    maker = StepMaker(rng)
    steps = [maker.step(index) for index in range(size)]
    common = {
        "kind": "life",
        "life_events": ["KE4"],
        "owner": "dvv",
        "last_reviewed": dt.date(2027, 1, 1),
        "sources": SOURCES,
        "event_date": EVENT,
    }
    journey = {
        "slug": slug,
        **common,
        "title": text(f"Muutto ({size})", f"Flytt ({size})", f"Moving ({size})"),
        "summary": text("Muuton vaiheet.", "Flyttens steg.", "The steps of a move."),
        "questions": [
            {"shared": "household"},
            {"shared": "children"},
            {"shared": "income"},
            *LOCAL_QUESTIONS,
        ],
        "steps": steps,
        "chains": [
            {
                "journey": "settling-in",
                "mode": "suggest",
                "when": q("moving_to", "one_of", ["other_town", "abroad"]),
                "reason": text("muutat uuteen kuntaan", "du flyttar", "you move to a new town"),
            }
        ],
    }
    follow_on = {
        "slug": "settling-in",
        **common,
        "title": text("Kotiutuminen", "Att komma till rätta", "Settling in"),
        "summary": text("Uusi kunta.", "Ny kommun.", "A new town."),
        "questions": [{"shared": "children"}],
        "steps": [
            {
                "id": "find-school",
                "kind": "task",
                "timing": "after",
                "when": q("children", "equals", "yes"),
                "title": text("Etsi koulu", "Hitta en skola", "Find a school"),
                "body": text("Ota yhteys kuntaan.", "Kontakta kommunen.", "Contact the town."),
            }
        ],
    }
    documents = {
        QUESTIONS_FILE: {"questions": SHARED_QUESTIONS},
        ORGANISATIONS_FILE: {"organisations": ORGANISATIONS},
        LIFE_EVENTS_FILE: {
            "life_events": [
                {
                    "code": "KE4",
                    "label": text("Muuttaminen", "Flyttning", "Moving"),
                    "uri": "http://uri.suomi.fi/codelist/ptv/ptvelti/code/KE4",
                }
            ]
        },
        f"{slug}.yaml": journey,
        "settling-in.yaml": follow_on,
    }
    return documents, maker.applying


def synthetic_case(size: int) -> Case:
    """Generate, parse, validate and prepare a synthetic catalogue; raises if it is not valid."""
    documents, expected = synthetic_documents(size)
    (catalogue, problems), parse_ms = timed(lambda: parse_documents(documents))
    found, validate_ms = timed(lambda: validate(catalogue))
    problems += found
    if problems:
        shown = "\n  ".join(str(p) for p in problems[:10])
        raise SystemExit(f"the synthetic {size}-step catalogue is not valid:\n  {shown}")
    planner, build_ms = timed(lambda: Planner(catalogue))
    slug = f"synthetic-{size}"
    steps = catalogue.journeys[slug].steps
    kinds = collections.Counter(step.kind.value for step in steps)
    note = (
        f"{sum(s.deadline is not None for s in steps):,} deadlines, "
        f"{sum(len(s.after) for s in steps):,} 'after' references, "
        f"{kinds['advice']:,} advice and {kinds['automatic']:,} automatic steps"
    )
    case = Case(
        f"synthetic {size:,}",
        slug,
        size,
        Prepared(planner, parse_ms, validate_ms, build_ms),
        ANSWERS,
        EVENT_DATE,
        TODAY,
        note,
    )
    plan = case.plan()
    if not plan.complete:
        raise SystemExit(f"the synthetic answers leave questions: {[x.id for x in plan.questions]}")
    if len(plan.all_steps()) != expected:
        raise SystemExit(f"the {size}-step plan has {len(plan.all_steps())} steps, not {expected}")
    return case


# --- reporting -----------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def environment() -> str:
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        model = names[0].split(":", 1)[1].strip() if names else model
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.system()}, "
        f"{model}, {usable} usable CPU(s) of {cpus}; plans in '{LANG}'"
    )


def profile(case: Case, runs: int = 200) -> None:
    """Print the hot spots of `runs` plans of `case`, by own time and by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        case.plan()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    for key, title in ((pstats.SortKey.TIME, "own"), (pstats.SortKey.CUMULATIVE, "cumulative")):
        print(f"cProfile of {runs} plans of {case.name}, top 15 by {title} time:")
        stats.sort_stats(key).print_stats(15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--journeys",
        type=Path,
        default=ROOT / "journeys",
        help="the journeys directory to take the real journey from (default: journeys/)",
    )
    parser.add_argument(
        "--profile", action="store_true", help=f"also profile the {TARGET_SIZE:,}-step plan"
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the prepared catalogues to the cyclic garbage collector (see bench/README.md)",
    )
    args = parser.parse_args()

    print("Polku plan assembly benchmark")
    print(environment())
    print(
        "GC: "
        + (
            "on; the prepared catalogues are not frozen, so full collections scan them"
            if args.no_freeze
            else "on; the prepared catalogues are frozen (gc.freeze) before timing"
        )
    )
    print()

    cases: list[Case] = []
    real, why_not = real_case(args.journeys)
    if real is not None:
        cases.append(real)
    cases += [synthetic_case(size) for size in SIZES]
    print("Cases:")
    if real is None:
        print(f"  real journey: none benchmarked: {why_not}")
    for case in cases:
        print(f"  {case.name}: {case.note}")
    print(
        f"  (synthetic: {len(SHARED_QUESTIONS) + len(LOCAL_QUESTIONS)} questions of every type, "
        f"{len(CONDITIONS)} conditions dealt in turn, {sum(h for _, h in CONDITIONS)} of which "
        "hold for the complete answers)"
    )
    print()

    print("One-off preparation (parse + validate + Planner build), ms:")
    print(
        table(
            ["case", "parse", "validate", "planner", "total"],
            [
                [
                    c.name,
                    f"{c.prepared.parse_ms:.1f}",
                    f"{c.prepared.validate_ms:.1f}",
                    f"{c.prepared.build_ms:.1f}",
                    f"{c.prepared.total_ms:.1f}",
                ]
                for c in cases
            ],
        )
    )
    if real is not None:
        print("(real: the whole journeys directory, including reading and parsing its YAML)")
    print()

    gc.collect()
    if not args.no_freeze:
        gc.freeze()  # as a server would after loading: the catalogues live as long as it does
    timings = measure(cases)
    results = [
        Result(case, len(case.plan().all_steps()), timing)
        for case, timing in zip(cases, timings, strict=True)
    ]
    print("Plan assembly, one plan per run:")
    print(
        table(
            [
                "case",
                "steps",
                "in plan",
                "runs",
                "min ms",
                "median ms",
                "p90 ms",
                "µs/step",
                "µs/plan step",
            ],
            [
                [
                    r.case.name,
                    f"{r.case.journey_steps:,}",
                    f"{r.plan_steps:,}",
                    f"{r.timing.runs:,}",
                    f"{r.timing.min_ms:.3f}",
                    f"{r.timing.median_ms:.3f}",
                    f"{r.timing.p90_ms:.3f}",
                    f"{r.us_per_step:.2f}",
                    f"{r.us_per_plan_step:.2f}",
                ]
                for r in results
            ],
        )
    )
    print()

    by_size = {r.case.size: r for r in results if r.case.size is not None}
    print("Growth between synthetic sizes (linear growth gives 10.0):")
    print(
        table(
            ["sizes", "median ratio", "min ratio", "plan steps ratio"],
            [
                [
                    f"{large:,} / {small:,}",
                    f"{by_size[large].timing.median_ns / by_size[small].timing.median_ns:.2f}",
                    f"{by_size[large].timing.min_ns / by_size[small].timing.min_ns:.2f}",
                    f"{by_size[large].plan_steps / by_size[small].plan_steps:.2f}",
                ]
                for small, large in itertools.pairwise(SIZES)
            ],
        )
    )
    print()

    if args.profile:
        profile(by_size[TARGET_SIZE].case)
        print()

    median = by_size[TARGET_SIZE].timing.median_ms
    if median > TARGET_MS:
        print(
            f"FAIL: the {TARGET_SIZE:,}-step plan takes {median:.2f} ms (median), over the "
            f"{TARGET_MS:g} ms target. Run with --profile to see where the time goes."
        )
        return 1
    print(
        f"OK: the {TARGET_SIZE:,}-step plan takes {median:.2f} ms (median), under {TARGET_MS:g} ms."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
