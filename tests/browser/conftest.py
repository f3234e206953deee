"""Browser tests: the real app in a subprocess (uvicorn, its own SQLite file) driven by Debian's
Chromium through Playwright, one browser and one server for the whole session.

The browser is Debian's `chromium-headless-shell` (the old headless shell, which Playwright
itself runs for headless tests; the same Blink as `chromium`, without the full browser's window
layer): the browser tests cost it about a third less CPU than `/usr/bin/chromium` in its new
headless mode, which is used when the shell is missing. Without either (or Java, for the HTML
validator) the tests skip and say why, unless POLKU_REQUIRE_BROWSER=1 (set by .ci/run), which
turns the skip into a failure.

The server publishes the bundled journeys plus one made-up journey, `browser-test`, which asks a
date question and a number question (no bundled journey asks a date). Two small parent sites on
other loopback ports frame the embed pages: POLKU_FRAME_ORIGINS names the first one only.

The expected dates here are worked out from the journeys' rules by this file's own arithmetic
(python-dateutil and a hand-written list of Finnish days off), never by the app's engine.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FrameLocator,
    Locator,
    Page,
    Response,
    sync_playwright,
)

from api.pages.i18n import translations
from tests.conftest import JOURNEYS
from tests.server import LiveServer, prepare_database, running_server

HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = HEADLESS_SHELL if HEADLESS_SHELL.exists() else Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
REQUIRE_BROWSER = os.environ.get("POLKU_REQUIRE_BROWSER") == "1"
LANGS = ("fi", "sv", "en")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# The portal's look on the embed pages (POLKU_EMBED_THEME).
THEME = {"accent": "#0a5c36", "font": "Georgia, serif"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def unavailable(reason: str) -> NoReturn:
    """Skip (fail with POLKU_REQUIRE_BROWSER=1) when a tool the browser tests need is missing."""
    if REQUIRE_BROWSER:
        pytest.fail(f"POLKU_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def t(lang: str, message: str, **values: Any) -> str:
    """An interface string as the page shows it in `lang`."""
    text = translations(lang).gettext(message)
    return text % values if values else text


# -- The people and what they should get --------------------------------------------------------

MOVING_ABROAD_WITH_CHILDREN: dict[str, str | list[str]] = {
    "moving_to": "abroad",
    "moving_destination": "other",
    "moving_abroad_length": "over_6_months",
    "moving_finnish_citizen": "yes",
    "children": "yes",
    "moving_children_ages": ["under_school_age", "school_age"],
    "moving_housing_allowance": "no",
}
MOVING_STEPS = {
    "agree-where-children-live",
    "tell-daycare-and-school-leaving",
    "notify-kela-abroad",
    "kela-stay-over-6-months-elsewhere",
    "child-benefit-abroad",
    "three-year-rule",
    "notify-dvv",
    "update-address-abroad",
    "vote-from-abroad",
    "check-address-registered",
}
DEATH_OF_A_SPOUSE: dict[str, str | list[str]] = {
    "death_place": "care_facility",
    "relationship_to_deceased": "spouse",
    "children": "no",
    "lived_with_deceased": "yes",
    "survivor_kela_benefits": "no",
    "deceased_working": "no",
    "estate_covers_funeral": "yes",
    "survivor_moves": "no",
}
DEATH_STEPS = {
    "tell-others",
    "support-in-grief",
    "arrange-funeral",
    "order-family-history",
    "apply-surviving-spouse-pension",
    "estate-inventory",
    "deed-household-goods",
    "send-deed-to-vero",
    "inheritance-tax-from-2026",
    "estate-affairs",
}
# A short moving journey for pages that only need some plan.
MOVING_NEARBY = "moving_to=other_municipality&children=no&moving_housing_allowance=no"


def finnish_days_off(year: int) -> set[dt.date]:
    """Days on which a statutory time limit cannot end (Act 150/1930 § 5), besides weekends:
    public holidays, Independence Day, May Day, Christmas Eve and Midsummer Eve."""
    sunday = easter(year)
    midsummer_eve = next(
        day
        for day in (dt.date(year, 6, 19) + dt.timedelta(n) for n in range(7))
        if day.weekday() == 4
    )
    fixed = [(1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)]
    return {dt.date(year, m, d) for m, d in fixed} | {
        sunday - dt.timedelta(days=2),  # Good Friday
        sunday + dt.timedelta(days=1),  # Easter Monday
        sunday + dt.timedelta(days=39),  # Ascension Day
        midsummer_eve,
        midsummer_eve + dt.timedelta(days=1),  # Midsummer Day
    }


def due_date(
    event: dt.date, *, weeks: int = 0, months: int = 0, working_day_rule: bool = True
) -> dt.date:
    """The last day of a limit counted from the event (the event day not counted; a month
    later is the same day number, or the month's last day), moved off weekends and days off
    when the working-day rule applies."""
    day = event + relativedelta(weeks=weeks, months=months)
    while working_day_rule and (day.weekday() >= 5 or day in finnish_days_off(day.year)):
        day += dt.timedelta(days=1)
    return day


WEEKDAYS = {
    "fi": ["maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina",
           "lauantaina", "sunnuntaina"],
    "sv": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}  # fmt: skip
MONTHS = {
    "fi": ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
           "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}  # fmt: skip


def long_date(day: dt.date, lang: str) -> str:
    """'maanantaina 28. kesäkuuta 2027', 'måndag 28 juni 2027', 'Monday 28 June 2027'."""
    weekday, month = WEEKDAYS[lang][day.weekday()], MONTHS[lang][day.month - 1]
    dot = "." if lang == "fi" else ""
    return f"{weekday} {day.day}{dot} {month} {day.year}"


# Moving on Friday 18 June 2027: the notification of move is due within 1 week, on Midsummer Eve,
# so on Monday 28 June. A death on Monday 6 September 2027: the estate inventory is due within 3
# months, on Independence Day (Monday 6 December), and stays there: the meeting is held among the
# heirs, not at an authority, so its date has no working-day rule.
MOVING_DAY = dt.date(2027, 6, 18)
MOVING_DUE = due_date(MOVING_DAY, weeks=1)
DEATH_DAY = dt.date(2027, 9, 6)
DEATH_DUE = due_date(DEATH_DAY, months=3, working_day_rule=False)


# -- A person in the browser --------------------------------------------------------------------


def go(page: Page, action: Callable[[], None]) -> Response:
    """Do something that loads a new page (click a link or a button) and wait for it."""
    with page.expect_navigation() as navigation:
        action()
    response = navigation.value
    assert response is not None
    return response


def button(page: Page | FrameLocator, lang: str, message: str) -> Locator:
    return page.get_by_role("button", name=t(lang, message), exact=True)


def link(page: Page | FrameLocator, lang: str, message: str) -> Locator:
    return page.get_by_role("link", name=t(lang, message), exact=True)


def choose(page: Page, question: str, value: str) -> None:
    """Click the label of an answer, as a person does."""
    choice = page.locator(f'input[name="{question}"][value="{value}"]')
    page.locator(f'label[for="{choice.get_attribute("id")}"]').click()
    assert choice.is_checked()


def answer_questions(
    page: Page, lang: str, answers: Mapping[str, str | list[str] | dt.date]
) -> list[str]:
    """From a question page, answer every question asked until "check your answers"; return
    the questions asked. The event date, asked last, is typed in when `answers` has it, else
    answered "I don't know yet"."""
    asked: list[str] = []
    for _ in range(30):
        if "/check" in page.url:
            return asked
        question = page.locator('input[name="asked"]').get_attribute("value")
        assert question is not None, page.url
        asked.append(question)
        wanted = answers.get(question, "unknown" if question == "event_date" else None)
        if isinstance(wanted, dt.date):
            give_date(page, lang, str(wanted.day), str(wanted.month), str(wanted.year))
        else:
            assert wanted is not None, f"no answer for {question}"
            for value in wanted if isinstance(wanted, list) else [wanted]:
                choose(page, question, value)
        go(page, button(page, lang, "Continue").click)
    raise AssertionError("the questions never ended")


def give_date(page: Page, lang: str, day: str, month: str, year: str) -> None:
    """Type a date into the day, month and year fields of the page's date form."""
    page.get_by_label(t(lang, "Day"), exact=True).fill(day)
    page.get_by_label(t(lang, "Month"), exact=True).fill(month)
    page.get_by_label(t(lang, "Year"), exact=True).fill(year)


def expect_saved(page: Page, lang: str) -> None:
    """The plan was saved: its private checklist page is shown (not a refusal)."""
    heading = page.locator("h1").first.inner_text()
    assert heading == t(lang, "Your saved checklist"), f"not saved: {heading!r} at {page.url}"


def step_ids(page: Page) -> list[str]:
    ids: list[str] = page.locator("li.step").evaluate_all("items => items.map(i => i.id)")
    return ids


def progress_text(lang: str, done: int, total: int) -> str:
    return t(lang, "%(done)s of %(total)s steps done", done=done, total=total)


# -- Servers ------------------------------------------------------------------------------------

TEST_JOURNEY = """\
# A made-up journey for the browser tests only: a date question and a number question.
slug: browser-test
kind: life
life_events: [KE4]
title: {fi: Testipolku, sv: Testväg, en: Test journey}
summary: {fi: Selaintestien polku., sv: Webbläsartesternas väg., en: The browser tests' journey.}
owner: dvv
last_reviewed: 2026-11-28
sources:
  - id: rule
    title: {fi: Sääntö, sv: Regel, en: Rule}
    url: https://www.suomi.fi/
event_date:
  label: {fi: Tapahtumapäivä, sv: Händelsedag, en: Day of the event}
  after: {fi: tapahtumapäivän jälkeen, sv: efter händelsedagen, en: after the day of the event}
  before: {fi: ennen tapahtumapäivää, sv: före händelsedagen, en: before the day of the event}
questions:
  - id: browser_born
    type: date
    label: {fi: Milloin synnyit?, sv: När är du född?, en: When were you born?}
    you_said: {fi: "synnyit {answer}", sv: "du är född {answer}", en: "you were born on {answer}"}
  - id: browser_people
    type: number
    minimum: 1
    maximum: 20
    label: {fi: Montako teitä on?, sv: Hur många är ni?, en: How many of you are there?}
    you_said: {fi: "teitä on {answer}", sv: "ni är {answer}", en: "there are {answer} of you"}
steps:
  - id: first
    kind: task
    timing: after
    title: {fi: Tee jotain, sv: Gör något, en: Do something}
    body: {fi: Tee jotain., sv: Gör något., en: Do something.}
    organisation: dvv
    deadline: {after: {weeks: 1}, source: rule, working_day_rule: true}
  - id: second
    kind: advice
    timing: after
    when:
      all:
        - {question: browser_born, before: 1990-01-01}
        - {question: browser_people, at_least: 2}
    title: {fi: Tee toinen, sv: Gör ett annat, en: Do another}
    body: {fi: Tee toinen., sv: Gör ett annat., en: Do another.}
    sources: [rule]
scenarios:
  - name: Someone
    answers: {browser_born: 1980-01-01, browser_people: 2}
    event_date: 2027-06-18
    expect:
      steps: [first, second]
      due: {first: 2027-06-28}
      questions: []
"""


@dataclass
class ParentSite:
    """A static site on its own loopback port: a portal page that frames Polku."""

    origin: str
    directory: Path

    def page(self, name: str, html: str) -> str:
        (self.directory / name).write_text(html, encoding="utf-8")
        return f"{self.origin}/{name}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def parent_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ParentSite, ...]]:
    """Two portals: the first is in POLKU_FRAME_ORIGINS, the second is not."""
    sites, servers, threads = [], [], []
    for name in ("portal", "stranger"):
        directory = tmp_path_factory.mktemp(name)
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append(server)
        threads.append(thread)
        sites.append(ParentSite(f"http://127.0.0.1:{server.server_address[1]}", directory))
    yield tuple(sites)
    for server, thread in zip(servers, threads, strict=True):
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def polku(
    tmp_path_factory: pytest.TempPathFactory, parent_sites: tuple[ParentSite, ...]
) -> Iterator[LiveServer]:
    """Polku on a free loopback port with its own SQLite file, ready (/readyz) when yielded."""
    directory = tmp_path_factory.mktemp("polku")
    journeys = directory / "journeys"
    shutil.copytree(JOURNEYS, journeys)
    (journeys / "browser-test.yaml").write_text(TEST_JOURNEY, encoding="utf-8")
    url = f"sqlite:///{directory / 'polku.sqlite3'}"
    prepare_database(url, journeys)
    env = {
        "POLKU_FRAME_ORIGINS": json.dumps([parent_sites[0].origin]),
        "POLKU_EMBED_THEME": json.dumps(THEME),
        "POLKU_JOURNEYS_DIR": str(journeys),
    }
    with running_server(url, directory / "server", env=env) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium-headless-shell)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield launched
        launched.close()


ContextFactory = Callable[..., BrowserContext]
PageFactory = Callable[..., Page]


def open_context(browser: Browser, url: str, javascript: bool, **options: Any) -> BrowserContext:
    context = browser.new_context(base_url=url, java_script_enabled=javascript, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def new_context(browser: Browser, polku: LiveServer) -> Iterator[ContextFactory]:
    """Fresh browser contexts (like new private windows) on Polku, closed after the test: for a
    test that changes its context for good (`add_init_script`); `new_page` is cheaper."""
    made: list[BrowserContext] = []

    def make(*, javascript: bool = True, **options: Any) -> BrowserContext:
        made.append(open_context(browser, polku.url, javascript, **options))
        return made[-1]

    yield make
    for context in made:
        context.close()


class PagePool:
    """Open pages kept for the next test, each in a context of its own (a private window).
    Opening a page costs Chromium about 0.3 CPU s (a new renderer), a page load on an open page
    about a tenth of that: some 200 tests open one. A page comes back without cookies, on a
    blank page, with the screen's media; one whose test failed is closed instead."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser = browser
        self.url = url
        self.free: dict[str, list[Page]] = {}

    def take(self, javascript: bool, options: dict[str, Any]) -> tuple[str, Page]:
        kind = json.dumps([javascript, options], sort_keys=True)
        if self.free.get(kind):
            return kind, self.free[kind].pop()
        return kind, open_context(self.browser, self.url, javascript, **options).new_page()

    def give_back(self, kind: str, page: Page, *, reuse: bool) -> None:
        context = page.context
        if reuse and not page.is_closed():
            for other in context.pages[1:]:  # tabs the test opened
                other.close()
            context.clear_cookies()
            page.emulate_media(media="null")
            page.goto("about:blank")
            self.free.setdefault(kind, []).append(page)
        else:
            context.close()


@pytest.fixture(scope="session")
def page_pool(browser: Browser, polku: LiveServer) -> PagePool:
    return PagePool(browser, polku.url)


@pytest.fixture
def new_page(page_pool: PagePool, request: pytest.FixtureRequest) -> Iterator[PageFactory]:
    """A page on Polku in a private window of its own (no cookies), like a new one; two calls
    give two windows. `options` are Playwright's context options (viewport, downloads)."""
    taken: list[tuple[str, Page]] = []
    failed_before = request.session.testsfailed

    def make(*, javascript: bool = True, **options: Any) -> Page:
        taken.append(page_pool.take(javascript, options))
        return taken[-1][1]

    yield make
    reuse = request.session.testsfailed == failed_before
    for kind, page in taken:
        page_pool.give_back(kind, page, reuse=reuse)


# -- A tour of every page type, for axe and the Nu validator ------------------------------------

PAGE_TYPES = (
    "home",
    "home-filter",
    "home-search",
    "home-no-match",
    "start",
    "question",
    "question-error",
    "date-question-error",
    "number-question",
    "number-question-error",
    "event-date-question",
    "event-date-error",
    "check",
    "plan",
    "plan-date-error",
    "checklist",
    "checklist-ticked",
    "checklist-date-error",
    "form-expired",
    "delete",
    "deleted",
    "checklist-not-found",
    "not-found",
    "embed-start",
    "embed-question",
    "embed-plan",
    "glossary",
    "feedback-error",
    "feedback-thanks",
)


@dataclass(frozen=True)
class Visit:
    lang: str
    kind: str
    url: str
    status: int
    html: str  # as the server sent it
    violations: list[dict[str, Any]]
    report: str  # axe's report of the violations


@dataclass
class Tour:
    """Goes through every page type of one language as a person would (the journey's pages by
    address), running axe on each page as shown. A part of the tour that goes wrong leaves its
    remaining page types in `unreachable`, with the reason; the other parts still run."""

    context: BrowserContext
    lang: str

    def __post_init__(self) -> None:
        self.page = self.context.new_page()
        self.visits: dict[str, Visit] = {}
        self.unreachable: dict[str, str] = {}
        self.axe = Axe()

    def record(
        self, kind: str, response: Response | None = None, *, h1: str = "", html: str = ""
    ) -> None:
        page = self.page
        page.wait_for_load_state()
        if h1:
            shown = page.locator("h1").first.inner_text().strip()
            assert shown == h1, f"{page.url}: the heading is {shown!r}, not {h1!r}"
        result = self.axe.run(page, options=AXE_OPTIONS)
        status = response.status if response else 200
        if response is not None:
            html = response.text()
        violations = result.response["violations"]
        report = result.generate_report() if violations else ""
        self.visits[kind] = Visit(self.lang, kind, page.url, status, html, violations, report)

    def run(self) -> Tour:
        parts: list[tuple[Callable[[], None], tuple[str, ...]]] = [
            (
                self.finding,
                ("home", "home-filter", "home-search", "home-no-match", "start"),
            ),
            (self.questions, ("question", "question-error")),
            (
                self.other_questions,
                ("date-question-error", "number-question", "number-question-error"),
            ),
            (
                self.plan,
                ("event-date-question", "event-date-error", "check", "plan-date-error", "plan"),
            ),
            (
                self.checklist,
                (
                    "checklist",
                    "checklist-ticked",
                    "checklist-date-error",
                    "form-expired",
                    "delete",
                    "deleted",
                    "checklist-not-found",
                ),
            ),
            (self.not_found, ("not-found",)),
            (self.embed, ("embed-start", "embed-question", "embed-plan")),
            (self.glossary, ("glossary",)),
            (self.feedback, ("feedback-error", "feedback-thanks")),
        ]
        assert sorted(kind for _, kinds in parts for kind in kinds) == sorted(PAGE_TYPES)
        for part, kinds in parts:
            try:
                part()
            except Exception as exc:
                reason = f"{type(exc).__name__} on {self.page.url}: {str(exc)[:2000]}"
                for kind in kinds:
                    if kind not in self.visits:
                        self.unreachable[kind] = reason
        return self

    def finding(self) -> None:
        page, lang = self.page, self.lang
        self.record("home", page.goto(f"/{lang}/"), h1=t(lang, "What has happened?"))
        filters = page.get_by_role("navigation", name=t(lang, "Filter by life event"))
        self.record("home-filter", go(page, filters.get_by_role("link").nth(1).click))
        assert "?life_event=" in page.url
        page.get_by_label(t(lang, "Search for a situation")).fill(
            {"fi": "muutto", "sv": "flytt", "en": "moving"}[lang]
        )
        self.record("home-search", go(page, button(page, lang, "Search").click))
        assert "?q=" in page.url
        page.get_by_label(t(lang, "Search for a situation")).fill("zzz")
        self.record("home-no-match", go(page, button(page, lang, "Search").click))
        assert page.get_by_role("heading", name=t(lang, "Common life events")).is_visible()
        self.record("start", page.goto(f"/{lang}/moving/"))

    def questions(self) -> None:
        page, lang = self.page, self.lang
        page.goto(f"/{lang}/moving/")
        self.record("question", go(page, link(page, lang, "Start now").click))
        self.record("question-error", go(page, button(page, lang, "Continue").click))
        assert page.locator(".error-summary").is_visible()

    def other_questions(self) -> None:
        """The test journey's date and number questions."""
        page, lang = self.page, self.lang
        page.goto(f"/{lang}/browser-test/questions")
        give_date(page, lang, "30", "2", "2027")
        self.record("date-question-error", go(page, button(page, lang, "Continue").click))
        assert page.locator(".error-summary").is_visible()
        give_date(page, lang, "1", "1", "1980")
        self.record("number-question", go(page, button(page, lang, "Continue").click))
        page.locator('input[name="browser_people"]').fill("0")
        self.record("number-question-error", go(page, button(page, lang, "Continue").click))
        assert page.locator(".error-summary").is_visible()

    def plan(self) -> None:
        """The event date, asked last: left empty, then "I don't know yet"; given on the plan."""
        page, lang = self.page, self.lang
        self.record("event-date-question", page.goto(f"/{lang}/moving/questions?{MOVING_NEARBY}"))
        assert page.locator('input[name="asked"]').get_attribute("value") == "event_date"
        self.record("event-date-error", go(page, button(page, lang, "Continue").click))
        assert page.locator(".error-summary").is_visible()
        choose(page, "event_date", "unknown")
        self.record(
            "check",
            go(page, button(page, lang, "Continue").click),
            h1=t(lang, "Check your answers"),
        )
        assert page.get_by_text(t(lang, "I don't know yet"), exact=True).is_visible()
        go(page, link(page, lang, "See your checklist").click)
        give_date(page, lang, "30", "2", "2027")
        self.record("plan-date-error", go(page, button(page, lang, "Show the dates").click))
        assert page.locator(".error-message").is_visible()
        give_date(page, lang, "18", "6", "2027")
        self.record("plan", go(page, button(page, lang, "Show the dates").click))
        assert "event_date=2027-06-18" in page.url

    def checklist(self) -> None:
        page, lang = self.page, self.lang
        page.goto(f"/{lang}/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18")
        saved = t(lang, "Your saved checklist")
        response = go(page, button(page, lang, "Save my checklist").click)
        expect_saved(page, lang)
        self.record("checklist", response, h1=saved)
        private = page.url
        page.locator("form.tick button").first.click()  # polku.js: no reload
        page.locator("li.step.done").first.wait_for()
        self.record("checklist-ticked", h1=saved, html=page.request.get(private).text())
        page.locator("details.change-date summary").click()  # a date given: its form folded
        give_date(page, lang, "30", "2", "2027")
        self.record(
            "checklist-date-error", go(page, button(page, lang, "Save the date").click), h1=saved
        )
        assert page.locator(".error-summary").is_visible()
        page.goto(private)
        page.locator("details.change-date summary").click()
        page.locator('form.event-date input[name="csrf"]').evaluate("i => i.value = 'broken'")
        give_date(page, lang, "1", "3", "2027")
        self.record(
            "form-expired",
            go(page, button(page, lang, "Save the date").click),
            h1=t(lang, "The form has expired"),
        )
        go(page, link(page, lang, "Open the page again").click)
        self.record(
            "delete",
            go(page, link(page, lang, "Delete this checklist").click),
            h1=t(lang, "Delete your checklist?"),
        )
        self.record(
            "deleted",
            go(page, button(page, lang, "Yes, delete it").click),
            h1=t(lang, "Your checklist was deleted"),
        )
        self.record("checklist-not-found", page.goto(private), h1=t(lang, "Checklist not found"))

    def not_found(self) -> None:
        page, lang = self.page, self.lang
        self.record(
            "not-found", page.goto(f"/{lang}/no-such-situation/"), h1=t(lang, "Page not found")
        )

    def embed(self) -> None:
        page, lang = self.page, self.lang
        self.record("embed-start", page.goto(f"/embed/{lang}/moving/"))
        self.record("embed-question", go(page, link(page, lang, "Start now").click))
        assert "/embed/" in page.url
        self.record(
            "embed-plan",
            page.goto(f"/embed/{lang}/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18"),
        )

    def glossary(self) -> None:
        """From a step's first use of a term to its explanation on the glossary page."""
        page, lang = self.page, self.lang
        # Steps open one at a time: "open all" shows every step's text, and its terms.
        page.goto(f"/{lang}/moving/plan?{MOVING_NEARBY}&all=1")
        term = page.locator(f'.step .prose a[href^="/{lang}/glossary#"]').first
        anchor = term.get_attribute("href") or ""
        self.record("glossary", go(page, term.click), h1=t(lang, "Words explained"))
        assert page.url.endswith(anchor.removeprefix(f"/{lang}/glossary"))
        assert page.locator(anchor[anchor.index("#") :]).is_visible()

    def feedback(self) -> None:
        """ "Was this useful?" under the plan: sent without a yes or no, then with one."""
        page, lang = self.page, self.lang
        page.goto(f"/{lang}/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18")
        page.get_by_label(t(lang, "What could be better? (optional)")).fill("More on schools")
        self.record(
            "feedback-error",
            go(page, button(page, lang, "Send feedback").click),
            h1=t(lang, "Was this checklist useful?"),
        )
        assert page.locator(".error-summary").is_visible()
        choose(page, "useful", "yes")
        self.record("feedback-thanks", go(page, button(page, lang, "Send feedback").click))
        assert page.get_by_text(t(lang, "Thank you for your feedback")).is_visible()
        assert "event_date=2027-06-18" in page.url


EXPECTED_STATUS = {
    "feedback-error": 400,
    "checklist-date-error": 400,
    "form-expired": 400,
    "checklist-not-found": 404,
    "not-found": 404,
}


@dataclass
class Tours:
    """Every page type in every language: what was seen, and what could not be reached."""

    visits: dict[tuple[str, str], Visit]
    unreachable: dict[tuple[str, str], str]

    def visit(self, lang: str, kind: str) -> Visit:
        """The page, checked to be the one meant (its status and language)."""
        if (lang, kind) in self.unreachable:
            pytest.fail(f"the tour could not reach this page: {self.unreachable[(lang, kind)]}")
        visit = self.visits[(lang, kind)]
        assert visit.status == EXPECTED_STATUS.get(kind, 200), visit.url
        assert f'<html lang="{lang}">' in visit.html, visit.url
        return visit


# The tour costs a browser session per language: every test that reads it should run in one
# process, so it is taken once (`make test` runs tests/browser without pytest-xdist).
ON_THE_TOUR = pytest.mark.xdist_group("tour")


@pytest.fixture(scope="session")
def tour(browser: Browser, polku: LiveServer) -> Tours:
    """Every page type in every language, visited once per session, with scripts on."""
    tours = Tours({}, {})
    for lang in LANGS:
        context = browser.new_context(base_url=polku.url)
        context.set_default_timeout(10_000)
        try:
            done = Tour(context, lang).run()
        finally:
            context.close()
        tours.visits.update({(lang, kind): visit for kind, visit in done.visits.items()})
        tours.unreachable.update({(lang, kind): why for kind, why in done.unreachable.items()})
    return tours
