"""The chat widget in a real browser: Debian's Chromium driven by Playwright (never a browser
Playwright downloads) against a real uvicorn on loopback.  Screenshots are saved under
``test-artifacts/widget/`` (or ``$CROSSFOOT_ARTIFACTS/widget/``)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from .conftest import ADMIN_KEY, ASK_KEY, KEYS, ROOT, LiveServer

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("CROSSFOOT_ARTIFACTS", ROOT / "test-artifacts")) / "widget"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "Acme Rockets Corp. Reports Fiscal 2023 Results\n\n"
    "Acme Rockets Corp. reported revenue of $5.0 million for fiscal 2023. "
    '<img src=x onerror="window.__pwned = 1"> <script>window.__pwned = 2</script>\n\n'
    'Quote of the year: <b onmouseover="window.__pwned = 3">bold</b> growth.\n'
)


@pytest.fixture(scope="module")
def server(live_server: LiveServer) -> str:
    return live_server(api_keys=KEYS, rate_limit_per_minute="0")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium package (.ci/test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []  # no script error on the page, the widget's or the host's


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _ask(page: Page, question: str) -> None:
    turns = page.locator(".cf-turn").count()
    page.locator(".cf-input").fill(question)
    page.locator(".cf-input").press("Enter")
    turn = page.locator(".cf-turn").nth(turns)
    expect(turn.locator(".cf-answer")).to_be_visible(timeout=60_000)
    expect(page.locator(".cf-send")).to_be_enabled(timeout=60_000)


def test_ask_cite_show_source_and_follow_up(server: str, page: Page) -> None:
    page.goto(f"{server}/")
    launcher = page.locator(".cf-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".cf-input")).to_be_focused()
    # the host page's aggressive styles do not reach into the widget
    send_background = page.locator(".cf-send").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert send_background != "rgb(255, 105, 180)"  # hotpink

    _ask(page, "What were total net revenues in Q4 2007?")
    first = page.locator(".cf-turn").nth(0)
    expect(first.locator(".cf-user")).to_have_text("What were total net revenues in Q4 2007?")
    expect(first.locator(".cf-figure")).to_have_text("$809.2 million")
    expect(first.locator(".cf-answer")).to_have_text(
        "Total net revenues was $809.2 million in Q4 2007."
    )
    citation = first.locator(".cf-citation")
    expect(citation).to_have_count(1)
    expect(citation).to_contain_text("Total net revenues")
    expect(citation).to_contain_text("Three Months Ended December 31, 2007")
    expect(citation).to_contain_text("809,182")
    # how sure the engine is, small under the key figure; screen readers hear what it means
    confidence = first.locator(".cf-confidence")
    expect(confidence).to_have_count(1)
    expect(confidence.locator(".cf-confidence-label")).to_have_text("Confidence 57%")
    expect(confidence.locator(".cf-confidence-label")).to_have_attribute("aria-hidden", "true")
    expect(confidence.locator(".cf-sr-only")).to_have_text(
        "Confidence 57%: how sure crossfoot is that these are the figures you asked for."
    )
    assert first.locator(".cf-bot > *").evaluate_all(
        "els => els.slice(0, 3).map(el => el.className)"
    ) == ["cf-figure", "cf-confidence", "cf-answer"]
    _shot(page, "1-answer-with-citation")
    first.locator(".cf-bot").screenshot(path=str(ARTIFACTS / "7-confidence.png"))

    citation.click()
    expect(citation).to_have_attribute("aria-expanded", "true")
    source = first.locator(".cf-source")
    expect(source).to_be_visible()
    mark = source.locator("mark")
    expect(mark).to_have_count(1)
    expect(mark).to_contain_text("809,182")
    expect(source.locator("pre")).to_contain_text("Total net revenues")
    expect(source.locator("pre")).to_contain_text("595,830")  # the whole row
    _shot(page, "2-source-highlighted")

    _ask(page, "And in Q4 2006?")
    second = page.locator(".cf-turn").nth(1)
    expect(second.locator(".cf-figure")).to_have_text("$595.8 million")
    expect(second.locator(".cf-answer")).to_have_text(
        "Total net revenues was $595.8 million in Q4 2006."
    )
    expect(second.locator(".cf-confidence-label")).to_have_text("Confidence 47%")
    _shot(page, "3-follow-up")

    _ask(page, "How much did total net revenues grow in Q4 2007 compared with Q4 2006?")
    third = page.locator(".cf-turn").nth(2)
    expect(third.locator(".cf-figure")).to_have_text("35.8%")
    expect(third.locator(".cf-confidence-label")).to_have_text("Confidence 70%")
    third.locator(".cf-show-calc").click()
    expect(third.locator(".cf-show-calc")).to_have_attribute("aria-expanded", "true")
    expect(third.locator(".cf-calc code")).to_have_text(
        "divide(subtract(809182000, 595830000), 595830000)"
    )
    operands = third.locator(".cf-calc li")
    expect(operands).to_have_count(2)
    expect(operands.nth(0)).to_contain_text("809,182,000")
    expect(operands.nth(0)).to_contain_text("Total net revenues")
    expect(operands.nth(1)).to_contain_text("595,830,000")
    _shot(page, "4-show-calculation")

    # a refusal and a quoted sentence are not figures the engine chose: no confidence shown
    _ask(page, "What were total net revenues in fiscal 2012?")
    refused = page.locator(".cf-turn").nth(3)
    expect(refused.locator(".cf-not-found")).to_be_visible()
    expect(refused.locator(".cf-confidence")).to_have_count(0)
    _ask(page, "Who is Juniper Networks' Chief Financial Officer according to the release?")
    quoted = page.locator(".cf-turn").nth(4)
    expect(quoted.locator(".cf-answer")).to_contain_text("Robyn Denholm")
    expect(quoted.locator(".cf-confidence")).to_have_count(0)

    # keyboard: Escape closes the panel and gives focus back to the launcher
    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()


def test_confidence_shows_only_a_number_on_an_answered_answer(server: str, page: Page) -> None:
    """Answers served by a stand-in for the API (plain JSON, which the widget renders like a
    stream's last event): the confidence is shown rounded, and only when the answer is
    answered and its confidence a number; anything else in the field shows nothing."""
    served: list[dict[str, Any]] = []

    def answer(status: str, confidence: Any) -> dict[str, Any]:
        value = {"number": "1", "unit": "USD", "display": "$1.0 million"}
        return {
            "id": None,
            "question": "q",
            "status": status,
            "answer": f'{status} <img src=x onerror="window.__pwned = 5">',
            "value": value if status == "answered" else None,
            "program": None,
            "citations": [],
            "confidence": confidence,
            "conversation_id": None,
            "timings_ms": {"total": 1.0},
        }

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(served.pop(0)))

    page.route(f"{server}/v1/ask/stream", fulfil)
    page.goto(f"{server}/")
    page.locator(".cf-launcher").click()
    shown = []
    for status, confidence in (
        ("answered", 0.925),
        ("answered", 1),
        ("answered", 0),
        ("answered", None),
        ("answered", "0.9<b>"),
        ("answered", True),
        ("not_found", 0.42),
        ("needs_clarification", 0.7),
    ):
        served.append(answer(status, confidence))
        _ask(page, f"{status} {confidence}")
        turn = page.locator(".cf-turn").last
        labels = turn.locator(".cf-confidence-label")
        shown.append(labels.inner_text() if labels.count() else None)
    assert shown == [
        "Confidence 93%",
        "Confidence 100%",
        "Confidence 0%",
        None,
        None,
        None,
        None,
        None,
    ]
    assert page.evaluate("window.__pwned") is None


def test_phone_width(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/")
    page.locator(".cf-launcher").click()
    panel = page.locator(".cf-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert box["width"] >= 360
    _ask(page, "What were total net revenues in Q4 2007?")
    expect(page.locator(".cf-figure")).to_have_text("$809.2 million")
    _shot(page, "5-phone-width")
    context.close()


def test_hostile_filing_displays_as_text(server: str, page: Page) -> None:
    upload = httpx.post(
        f"{server}/v1/documents",
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        files=[("files", ("acme_rockets_fy2023.txt", HOSTILE.encode(), "text/plain"))],
        timeout=60,
    )
    assert upload.status_code == 202
    job_url = f"{server}/v1/jobs/{upload.json()['job_id']}"
    deadline = time.time() + 120
    while True:
        job = httpx.get(job_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}).json()
        if job["status"] == "done":
            break
        assert time.time() < deadline
        time.sleep(0.2)
    assert [r["status"] for r in job["results"]] == ["ingested"]

    page.goto(f"{server}/")
    page.locator(".cf-launcher").click()
    _ask(page, "What was Acme Rockets' revenue for fiscal 2023?")
    turn = page.locator(".cf-turn").nth(0)
    expect(turn.locator(".cf-figure")).to_have_text("$5.0 million")
    citation = turn.locator(".cf-citation").first
    citation.click()
    pre = turn.locator(".cf-source pre")
    expect(pre).to_contain_text('<img src=x onerror="window.__pwned = 1">')
    expect(pre).to_contain_text("<script>window.__pwned = 2</script>")
    _shot(page, "6-hostile-filing-as-text")
    # the question itself is hostile too
    _ask(page, '<img src=x onerror="window.__pwned = 4"> revenue?')
    expect(page.locator(".cf-user").nth(1)).to_have_text(
        '<img src=x onerror="window.__pwned = 4"> revenue?'
    )
    page.wait_for_timeout(300)  # give any injected handler the chance to run
    assert page.evaluate("window.__pwned") is None
    root = "document.getElementById('crossfoot-widget').shadowRoot"
    assert page.evaluate(f"{root}.querySelectorAll('img, script, b').length") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0


def test_widget_needs_the_key_it_is_given(server: str, page: Page) -> None:
    """The demo page embeds the publishable (ask) key: asking works, and the key it carries
    cannot upload."""
    page.goto(f"{server}/")
    key = page.locator("script[src='/widget.js']").get_attribute("data-key")
    assert key == ASK_KEY
    refused = httpx.post(
        f"{server}/v1/documents",
        headers={"Authorization": f"Bearer {key}"},
        files=[("files", ("x.txt", b"Revenue was $1.", "text/plain"))],
    )
    assert refused.status_code == 403
