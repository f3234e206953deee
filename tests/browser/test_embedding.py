"""Embedding: a portal named in POLKU_FRAME_ORIGINS frames /embed/ pages, which tell it their
height; a portal not named cannot show them; the full site cannot be framed by anyone."""

from __future__ import annotations

import re

from playwright.sync_api import Frame, Page, expect

from tests.browser.conftest import (
    MOVING_NEARBY,
    THEME,
    ContextFactory,
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
    new_context: ContextFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_context().new_page()
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
    new_context: ContextFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    """The forms work in a portal's frame (no cookies needed): save, then tick with polku.js."""
    page = new_context().new_page()
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
    new_context: ContextFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_context().new_page()
    frame = open_portal(page, parent_sites[1], "stranger.html", f"{polku.url}/embed/en/moving/")
    assert not shows_polku(frame)
    page.wait_for_timeout(300)  # time enough for a message, had a page loaded
    assert page.evaluate("window.heights") == []


def test_the_full_site_cannot_be_framed_even_by_a_configured_portal(
    new_context: ContextFactory, polku: LiveServer, parent_sites: tuple[ParentSite, ...]
) -> None:
    page = new_context().new_page()
    frame = open_portal(page, parent_sites[0], "full.html", f"{polku.url}/en/moving/")
    assert not shows_polku(frame)
    response = page.request.get(f"{polku.url}/en/moving/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_the_language_links_stay_inside_the_embed_pages(new_context: ContextFactory) -> None:
    page = new_context().new_page()
    page.goto("/embed/en/moving/")
    page.get_by_role("link", name="Suomeksi").click()
    expect(page).to_have_url(re.compile(r"/embed/fi/moving/$"))
    expect(link(page, "fi", "Start now")).to_be_visible()
