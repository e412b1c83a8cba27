"""Real headless Chromium (Debian's) through Playwright: walk front page -> event -> storyline -> entity, search,
and check that an article titled with markup renders as text and runs nothing (no dialogs, no console errors,
no CSP violations, no requests leaving the server).

Skips with a reason when chromium or playwright is missing, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from web.webcorpus import XSS_TITLE

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is not installed (pip install 'storyline[test]')")
    _need(os.path.exists(CHROMIUM), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """Everything a page does that it should not: dialogs, console errors, page errors, foreign requests."""

    def __init__(self, page, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlsplit(base).netloc
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.foreign.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host else None)

    def clean(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    watch = Watch(pg, server)
    yield pg, watch, server
    context.close()


def test_walk_front_event_story_entity(page):
    pg, watch, base = page
    pg.goto(base + "/")
    assert pg.title().startswith("Latest events")
    cards = pg.locator("ul.cards li.card h2 a")
    assert cards.count() >= 2
    # follow the event reported by the most outlets (the card says "N outlets")
    import re

    metas = pg.locator("ul.cards li.card .meta").all_inner_texts()
    outlets = [int(m.group(1)) if (m := re.search(r"(\d+) outlets?", t)) else 0 for t in metas]
    cards.nth(outlets.index(max(outlets))).click()
    pg.wait_for_url("**/events/**")
    assert pg.locator("h1").inner_text()
    assert pg.locator("section.outlet").count() >= 2  # outlets side by side
    assert pg.locator("#h-summary").is_visible()
    assert pg.locator(".summary li").count() >= 1
    citation = pg.locator(".summary sup.cite a").first
    target = citation.get_attribute("href")
    assert target and target.startswith("#a-") and pg.locator(target).count() == 1
    pg.locator("a[href^='/stories/']").first.click()
    pg.wait_for_url("**/stories/**")
    chart = pg.locator("svg.chart")
    assert chart.count() == 1 and pg.locator("svg.chart a rect.ev").count() >= 1
    width = float(chart.evaluate("el => el.getBoundingClientRect().width"))
    pg.get_by_role("button", name="Zoom in").click()
    assert float(chart.evaluate("el => el.getBoundingClientRect().width")) > width * 1.3  # static JS works
    pg.locator("svg.chart a").first.focus()
    assert pg.locator(".chart-tip").inner_text().strip() != "Hover or focus a bar for details."
    pg.locator("svg.chart a").first.click()
    pg.wait_for_url("**/events/**")
    entity = pg.locator("a[href^='/entities/']").first
    name = entity.inner_text()
    entity.click()
    pg.wait_for_url("**/entities/**")
    assert pg.locator("h1").inner_text().startswith(name)
    watch.clean()


def test_search_with_filters_and_markup_title(page):
    pg, watch, base = page
    pg.goto(base + "/search")
    pg.fill("#q", "markup")
    pg.locator("form.search button[type=submit]").click()
    hit = pg.locator("ol.hits li.hit").first
    hit.wait_for()
    assert hit.locator("h2 a").inner_text() == XSS_TITLE  # shown as text
    assert pg.locator("ol.hits mark").first.inner_text().lower() == "markup"
    assert pg.locator("ol.hits img, ol.hits script").count() == 0
    hit.locator("h2 a").click()
    pg.wait_for_url("**/articles/**")
    assert pg.locator("h1").inner_text() == XSS_TITLE
    assert pg.locator("main img").count() == 0 and pg.locator("main script").count() == 0
    pg.goto(base + "/search?q=bridge&source=Quayside+Daily")
    sources = pg.locator("ol.hits .meta").all_inner_texts()
    assert sources and all("Quayside Daily" in s for s in sources)
    pg.goto(base + "/search?q=bridge&since=2026-03-09&until=2026-03-31")
    dates = pg.locator("ol.hits time").all_inner_texts()
    assert dates and all("2026-03-09" <= d <= "2026-03-31" for d in dates)
    watch.clean()


def test_xss_title_on_every_page_that_lists_it(page):
    pg, watch, base = page
    pg.goto(base + "/articles/xss-1")
    event = pg.locator("a[href^='/events/']")
    if event.count():
        event.first.click()
        pg.wait_for_url("**/events/**")
        assert pg.get_by_text(XSS_TITLE, exact=False).count() >= 1
    pg.goto(base + "/search?q=" + "%3Cscript%3Ealert(1)%3C/script%3E")
    assert pg.locator("#q").input_value() == "<script>alert(1)</script>"
    watch.clean()
    response = pg.goto(base + "/no/such/page?<script>alert(3)</script>")
    assert response is not None and response.status == 404
    assert "not found" in pg.locator("h1").inner_text()
    assert watch.dialogs == [] and all("404" in e for e in watch.errors)


def test_keyboard_and_phone_width(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    pg = context.new_page()
    watch = Watch(pg, server)
    pg.goto(server + "/")
    pg.keyboard.press("Tab")
    skip = pg.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "main"
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
    pg.locator("ul.cards li.card h2 a").first.click()
    pg.wait_for_url("**/events/**")
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    context.close()
    watch.clean()


def test_docs_are_local(page):
    pg, watch, base = page
    pg.goto(base + "/docs")
    pg.locator(".swagger-ui .opblock").first.wait_for()
    assert pg.locator(".swagger-ui .opblock").count() >= 5
    watch.clean()
