"""The pure journey engine: the journey format, conditions, deadlines, planning and checking.

It imports nothing from web, database or template libraries, so content bugs reproduce without a
server. Typical use: `check_directory(path)` once (parse, validate, run scenarios), then
`result.planner.plan(slug, answers, event_date=..., today=..., lang=...)` many times.

Its modules, by job: `model` (the journey format), `catalogue` (reading files), `validate`,
`conditions`, `deadlines`, `answers`; for planning `prepare` (once per catalogue), `planner`
(once per person), `plan` (what a plan is), `texts` (words in one language) and `ordering`
(the steps' sort key); `check` runs it all, scenarios included.
"""

from api.engine.answers import AnswerProblem, AnswersRefused
from api.engine.catalogue import Catalogue, parse_documents, parse_texts, read_directory
from api.engine.check import CheckResult, check_catalogue, check_directory, check_texts
from api.engine.plan import Plan, PlanStep
from api.engine.planner import JourneyNotInCatalogue, Planner
from api.engine.problems import Problem

__all__ = [
    "AnswerProblem",
    "AnswersRefused",
    "Catalogue",
    "CheckResult",
    "JourneyNotInCatalogue",
    "Plan",
    "PlanStep",
    "Planner",
    "Problem",
    "check_catalogue",
    "check_directory",
    "check_texts",
    "parse_documents",
    "parse_texts",
    "read_directory",
]
