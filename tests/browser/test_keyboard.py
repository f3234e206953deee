"""Keyboard only: a person goes through a journey, saves it, ticks a step and deletes the
checklist with Tab, Shift+Tab, arrow keys, Space and Enter, and at every focus stop can see
where the focus is."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    MOVING_ABROAD_WITH_CHILDREN,
    MOVING_DAY,
    MOVING_DUE,
    PageFactory,
    expect_saved,
    go,
    long_date,
    progress_text,
    t,
)

# What the focused element looks like, and again without the focus (blurred for a moment and
# focused again: the page's state does not change). Returns null when nothing is focused.
FOCUS = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const props = ["outline-style", "outline-width", "outline-color", "box-shadow",
                 "background-color", "border-color"];
  const look = () => {
    const style = getComputedStyle(el);
    return props.map(p => p + ": " + style.getPropertyValue(p)).join("; ");
  };
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus();
  const box = el.getBoundingClientRect();
  const name = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim();
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.type ? "[" + el.type + "]" : "") + " " + JSON.stringify(name.slice(0, 60)),
    focused: focused,
    unfocused: unfocused,
    stillFocused: document.activeElement === el,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
      box.top < innerHeight && box.left < innerWidth,
    inMain: el.closest("main") !== null,
    matches: selector ? el.matches(selector) : false,
    type: el.type || "",
    value: el.value || "",
    checked: !!el.checked,
  };
}"""


class Person:
    """Moves through the page with the keyboard only and checks every focus stop."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.stops: list[str] = []

    def look(self, selector: str = "") -> dict[str, Any]:
        seen: dict[str, Any] | None = self.page.evaluate(FOCUS, selector)
        assert seen is not None, f"nothing has the focus on {self.page.url}"
        self.stops.append(seen["element"])
        where = f"{seen['element']} on {self.page.url}"
        assert seen["stillFocused"], where
        assert seen["focused"] != seen["unfocused"], f"no visible focus: {where}: {seen}"
        assert seen["onScreen"], f"focused but out of sight: {where}"
        return seen

    def press(self, key: str, selector: str = "") -> dict[str, Any]:
        self.page.keyboard.press(key)
        return self.look(selector)

    def tab_to(self, selector: str, *, limit: int = 150) -> dict[str, Any]:
        """Tab forward, checking each stop, until the focus is on `selector`."""
        for _ in range(limit):
            seen = self.press("Tab", selector)
            if seen["matches"]:
                return seen
        raise AssertionError(f"{selector} never got the focus on {self.page.url}: {self.stops}")

    def follow(self, key: str = "Enter") -> None:
        """Press a key on a link or a submit button and wait for the new page."""
        go(self.page, lambda: self.page.keyboard.press(key))

    def give_date(self) -> None:
        """Type the moving day into the day, month and year boxes, Tab between them."""
        self.tab_to("#event_date")
        self.page.keyboard.type(str(MOVING_DAY.day))
        self.press("Tab", "#event_date-month")
        self.page.keyboard.type(str(MOVING_DAY.month))
        self.press("Tab", "#event_date-year")
        self.page.keyboard.type(str(MOVING_DAY.year))
        self.tab_to("main form button[type=submit]")
        self.follow()

    def answer(self, question: str, wanted: list[str]) -> None:
        """Tab into the answers and pick them: arrow keys in radios, Space on check boxes."""
        field = f'input[name="{question}"]'
        seen = self.tab_to(field)
        if seen["type"] == "radio":
            for _ in range(10):
                if seen["value"] == wanted[0]:
                    break
                seen = self.press("ArrowDown", field)  # moves and chooses
            if not seen["checked"]:
                seen = self.press("Space", field)
            assert seen["value"] == wanted[0], seen
            assert seen["checked"], seen
            continue_button = self.press("Tab", "main form button[type=submit]")
            assert continue_button["matches"], continue_button  # one stop for the radios
            back = self.press("Shift+Tab", field)  # and back to the chosen one
            assert back["value"] == wanted[0], back
            assert back["checked"], back
            self.tab_to("main form button[type=submit]")
        else:
            while seen["matches"]:
                if (seen["value"] in wanted) != seen["checked"]:
                    seen = self.press("Space", field)
                assert seen["checked"] == (seen["value"] in wanted), seen
                seen = self.press("Tab", field)
            assert self.page.evaluate("document.activeElement.type") == "submit"
        self.follow()


def answer_everything(person: Person, answers: Mapping[str, str | list[str]]) -> None:
    page = person.page
    for _ in range(30):
        if "/check" in page.url:
            return
        question = page.locator('input[name="asked"]').get_attribute("value")
        assert question is not None
        if question == "event_date":  # the date, asked last: three boxes
            person.give_date()
            continue
        wanted = answers[question]
        person.answer(question, wanted if isinstance(wanted, list) else [wanted])
    raise AssertionError("the questions never ended")


def test_a_journey_from_start_to_a_deleted_checklist_with_the_keyboard_only(
    new_page: PageFactory,
) -> None:
    lang = "en"
    page = new_page(javascript=True)
    person = Person(page, lang)
    page.goto(f"/{lang}/moving/")

    # The skip link comes first, shows itself, and jumps over the header.
    skip = person.press("Tab", ".skip-link")
    assert skip["matches"], skip
    page.keyboard.press("Enter")
    # The next Tab starts from the main content. The jump is a navigation within the page,
    # which page.url reports a moment later: wait for it rather than read it at once.
    page.wait_for_url(re.compile(r"#main$"))
    start = person.press("Tab", "main a.button")
    assert start["inMain"], start  # not the site name or the language links
    assert start["matches"], start
    person.follow()

    answer_everything(person, MOVING_ABROAD_WITH_CHILDREN)
    expect(page.locator("h1")).to_have_text(t(lang, "Check your answers"))

    # Change an answer: the question comes back with the answer chosen; keep it.
    person.tab_to(".summary-action a")
    person.follow()
    question = page.locator('input[name="asked"]').get_attribute("value")
    assert question == "moving_to"
    chosen = person.tab_to('input[name="moving_to"]')
    assert chosen["value"] == "abroad", chosen  # the focus goes to the chosen answer
    assert chosen["checked"], chosen
    person.tab_to("main form button[type=submit]")
    person.follow()
    expect(page.locator("h1")).to_have_text(t(lang, "Check your answers"))

    person.tab_to("main a.button")  # See your checklist
    person.follow()
    by = t(lang, "by %(date)s", date=long_date(MOVING_DUE, lang))
    expect(page.locator("#step-moving-notify-dvv .due")).to_contain_text(by)

    # "Why this applies to you" opens with Enter.
    person.tab_to("li.step summary")
    page.keyboard.press("Enter")
    expect(page.locator("li.step details").first).to_have_attribute("open", "")

    person.tab_to(".save form button")
    person.follow()
    expect_saved(page, lang)
    assert re.search(rf"/{lang}/checklist/[A-Za-z0-9_-]{{43}}$", page.url)
    total = page.locator("li.step").count()
    person.tab_to("form.tick button")
    page.keyboard.press("Space")  # polku.js saves it; the focus stays on the button
    expect(page.locator("#progress")).to_have_text(progress_text(lang, 1, total))
    again = person.look("form.tick button")
    assert again["matches"], again

    person.tab_to("a.button.warning")  # Delete this checklist
    person.follow()
    expect(page.locator("h1")).to_have_text(t(lang, "Delete your checklist?"))
    person.tab_to("main form button.warning")
    person.follow()
    expect(page.locator("h1")).to_have_text(t(lang, "Your checklist was deleted"))
    assert len(person.stops) > 40
