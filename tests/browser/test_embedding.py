"""Embedding: a portal named in POLKU_FRAME_ORIGINS frames /embed/ pages, which tell it their
height; a portal not named cannot show them; the full site cannot be framed by anyone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Frame, Page, expect

from tests.browser.conftest import (
    AXE_OPTIONS,
    LANGS,
    MOVING_ABROAD_WITH_CHILDREN,
    MOVING_NEARBY,
    THEME,
    ContextFactory,
    PageFactory,
    ParentSite,
    button,
    link,
    progress_text,
    t,
)
from tests.server import LiveServer

PORTAL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A portal</title>
<script>
  window.heights = [];
  window.frameLoads = 0;
  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "polku:height") {
      window.heights.push({origin: event.origin, height: event.data.height});
      document.getElementById("polku").style.height = event.data.height + "px";
    }
  });
</script>
</head>
<body>
<h1>A portal</h1>
<iframe id="polku" title="Polku" src="{src}" style="width: 100%; height: 150px; border: 0"
  onload="window.frameLoads += 1"></iframe>
</body>
</html>
"""


def open_portal(page: Page, site: ParentSite, name: str, src: str) -> Frame:
    """The portal's page framing `src`; the frame once it has loaded (or failed to)."""
    page.goto(site.page(name, PORTAL.replace("{src}", src)))
    page.wait_for_function("window.frameLoads > 0")
    frame = page.locator("#polku").element_handle().content_frame()
    assert frame is not None
    return frame


def shows_polku(frame: Frame) -> bool:
    """Whether the frame shows a Polku page (not Chromium's page for a refused frame)."""
    return bool(frame.evaluate("document.querySelector('a.skip-link, main#main') !== null"))


def test_a_configured_portal_frames_the_embed_pages_and_learns_their_height(
    new_page: PageFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_page()
    frame = open_portal(page, parent_sites[0], "portal.html", f"{polku.url}/embed/en/moving/")
    assert frame.url == f"{polku.url}/embed/en/moving/"
    assert shows_polku(frame)
    inside = page.frame_locator("#polku")
    expect(inside.locator("body")).to_have_class("embedded")
    expect(inside.locator(".site-footer")).to_have_count(0)  # the portal is the chrome
    # The portal's theme (POLKU_EMBED_THEME) is applied.
    font = inside.locator("body").evaluate("b => getComputedStyle(b).fontFamily")
    assert THEME["font"].split(",")[0] in font

    page.wait_for_function("window.heights.length > 0")
    heights = page.evaluate("window.heights")
    assert heights[0]["origin"] == polku.url
    assert all(h["height"] > 0 for h in heights)
    # The portal fitted the frame to the height it was told.
    assert (
        page.locator("#polku").evaluate("f => f.getBoundingClientRect().height")
        == heights[-1]["height"]
    )

    # The journey goes on inside the frame, and a new page says its height again.
    told = len(heights)
    inside.get_by_role("link", name=t("en", "Start now"), exact=True).click()
    expect(inside.locator('input[name="asked"]')).to_have_count(1)
    assert "/embed/en/moving/questions" in frame.url
    page.wait_for_function(f"window.heights.length > {told}")


def test_a_checklist_saved_and_ticked_inside_the_frame(
    new_page: PageFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    """The forms work in a portal's frame (no cookies needed): save, then tick with polku.js."""
    page = new_page()
    plan = f"{polku.url}/embed/en/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18"
    frame = open_portal(page, parent_sites[0], "plan.html", plan)
    inside = page.frame_locator("#polku")
    with frame.expect_navigation():
        button(inside, "en", "Save my checklist").click()
    heading = inside.locator("h1").first.inner_text()
    assert heading == t("en", "Your saved checklist"), f"not saved: {heading!r} at {frame.url}"
    assert re.fullmatch(rf"{polku.url}/embed/en/checklist/[A-Za-z0-9_-]{{43}}", frame.url)
    # The private link to keep is the full site's, not the frame's.
    private = inside.locator("#private-link").input_value()
    assert private == frame.url.replace("/embed/", "/", 1)
    total = inside.locator("li.step").count()
    inside.locator("form.tick button").first.click()
    expect(inside.locator("#progress")).to_have_text(progress_text("en", 1, total))
    assert "/embed/en/checklist/" in frame.url  # still the same page in the frame


def test_a_portal_not_configured_cannot_frame_polku(
    new_page: PageFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_page()
    frame = open_portal(page, parent_sites[1], "stranger.html", f"{polku.url}/embed/en/moving/")
    assert not shows_polku(frame)
    page.wait_for_timeout(300)  # time enough for a message, had a page loaded
    assert page.evaluate("window.heights") == []


def test_the_full_site_cannot_be_framed_even_by_a_configured_portal(
    new_page: PageFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_page()
    frame = open_portal(page, parent_sites[0], "full.html", f"{polku.url}/en/moving/")
    assert not shows_polku(frame)
    response = page.request.get(f"{polku.url}/en/moving/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_the_language_links_stay_inside_the_embed_pages(new_page: PageFactory) -> None:
    page = new_page()
    page.goto("/embed/en/moving/")
    page.get_by_role("link", name="Suomeksi").click()
    expect(page).to_have_url(re.compile(r"/embed/fi/moving/$"))
    expect(link(page, "fi", "Start now")).to_be_visible()


README = Path(__file__).resolve().parents[2] / "README.md"


def readme_portal(polku_url: str, src: str) -> str:
    """A portal page built around the README's own snippet (with this Polku's address), a tall
    heading above the frame and a footer below it; it also records every message it gets."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- portal-snippet -->\n```html\n(.*?)\n```", text, re.S)
    assert found is not None, "the README's portal snippet"
    snippet = found.group(1)
    assert 'allow="clipboard-write"' in snippet
    snippet = snippet.replace("https://polku.example/embed/fi/moving/", src.replace("&", "&amp;"))
    snippet = snippet.replace('"https://polku.example"', f'"{polku_url}"')
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A portal</title>
<script>
  window.told = [];
  window.addEventListener("message", function (event) {{
    var data = event.data || {{}};
    window.told.push({{origin: event.origin, type: data.type, height: data.height}});
  }});
</script>
</head>
<body style="margin: 0">
<h1 style="height: 20rem; margin: 0">A portal</h1>
{snippet}
<footer style="height: 30rem">The portal's footer</footer>
</body>
</html>
"""


def navigated(page: Page) -> int:
    return int(page.evaluate("told.filter(m => m.type === 'polku:navigated').length"))


def fitted(page: Page, frame: Frame, pages: int) -> float:
    """Once the portal has heard of `pages` pages: the frame's height, checked to be the
    content's (no scroll bar, no empty space below) when the portal has settled."""
    page.wait_for_function(f"told.filter(m => m.type === 'polku:navigated').length >= {pages}")
    frame.wait_for_load_state()
    content = frame.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
    page.wait_for_function(
        f"document.getElementById('polku').getBoundingClientRect().height === {content}"
    )
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    height: float = page.locator("#polku").evaluate("f => f.getBoundingClientRect().height")
    return height


def frame_top(page: Page) -> float:
    top: float = page.locator("#polku").evaluate("f => f.getBoundingClientRect().top")
    return top


def test_the_frame_follows_the_content_down_and_up_and_comes_into_view_on_each_new_page(
    new_page: PageFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    """The README's portal snippet around a plan: save it (a form at the bottom), open
    "delete" (a short page), go back (a long one). Each page says polku:navigated, the frame
    fits each, shrinking as well as growing, and the portal brings the frame's top into view."""
    page = new_page(viewport={"width": 1000, "height": 700})
    pairs = [
        (q, v)
        for q, a in MOVING_ABROAD_WITH_CHILDREN.items()
        for v in (a if isinstance(a, list) else [a])
    ]
    query = urlencode([*pairs, ("event_date", "2027-06-18")])
    src = f"{polku.url}/embed/en/moving/plan?{query}"
    page.goto(parent_sites[0].page("readme.html", readme_portal(polku.url, src)))
    frame = page.locator("#polku").element_handle().content_frame()
    assert frame is not None
    inside = page.frame_locator("#polku")
    heights = [fitted(page, frame, 1)]
    assert frame_top(page) > 0  # the first page: the portal does not scroll

    def change(action: Any, pages: int) -> None:
        before = navigated(page)
        with frame.expect_navigation():
            action()
        heights.append(fitted(page, frame, pages))
        assert navigated(page) == before + 1
        # The new page starts at its top: the portal scrolled the frame's top into view.
        page.wait_for_function("document.getElementById('polku').getBoundingClientRect().top >= 0")
        assert 0 <= frame_top(page) < 700

    # 1. The save button is at the bottom of the plan: the frame's top is far above the screen.
    save = button(inside, "en", "Save my checklist")
    save.scroll_into_view_if_needed()
    assert frame_top(page) < 0
    change(save.click, 2)
    assert inside.locator("h1").first.inner_text() == t("en", "Your saved checklist")
    # 2. Down: the short "are you sure?" page after the long checklist.
    delete = link(inside, "en", "Delete this checklist")
    delete.scroll_into_view_if_needed()
    change(delete.click, 3)
    assert heights[2] < heights[1] - 300
    # 3. Up again: back to the checklist.
    change(link(inside, "en", "No, keep my checklist").click, 4)
    assert heights[3] > heights[2] + 300

    told = page.evaluate("told")
    assert {m["origin"] for m in told} == {polku.url}
    assert {m["type"] for m in told} == {"polku:height", "polku:navigated"}
    assert all(isinstance(m["height"], int) and m["height"] > 0 for m in told)


def test_copying_in_a_frame_without_clipboard_write_says_to_copy_by_hand(
    new_page: PageFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_page()
    plan = f"{polku.url}/embed/en/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18"
    frame = open_portal(page, parent_sites[0], "noclipboard.html", plan)  # no allow=
    inside = page.frame_locator("#polku")
    with frame.expect_navigation():
        button(inside, "en", "Save my checklist").click()
    refused = t(
        "en", "Copying was not allowed here. Select the address above and copy it yourself."
    )
    for field, copy in (("#private-link", "Copy the link"), ("#calendar-link", "Copy the address")):
        button(inside, "en", copy).click()
        status = inside.locator(f"{field} ~ .copy-status")
        expect(status).to_have_text(refused)
        expect(status).to_have_attribute("role", "status")
        expect(inside.locator(field)).to_be_focused()
        # Selected whole, ready to copy by hand.
        assert inside.locator(field).evaluate(
            "f => f.selectionStart === 0 && f.selectionEnd === f.value.length"
        )


def test_a_refused_copy_passes_axe_in_every_language(new_context: ContextFactory) -> None:
    """The page as it is once a copy was refused, on the full site, in each language (the
    browser's refusal is played by a clipboard that always says no)."""
    context = new_context()
    context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('not allowed'))"
    )
    page = context.new_page()
    for lang in LANGS:
        page.goto(f"/{lang}/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18")
        with page.expect_navigation():
            button(page, lang, "Save my checklist").click()
        button(page, lang, "Copy the address").click()
        refused = "Copying was not allowed here. Select the address above and copy it yourself."
        expect(page.locator("#calendar-link ~ .copy-status")).to_have_text(t(lang, refused))
        result = Axe().run(page, options=AXE_OPTIONS)
        assert result.response["violations"] == [], result.generate_report()
