"""Moments of a practice call in a real headless Chromium: a reload mid-call, the customer's
voice playing, a drill from the scorecard, a silent microphone. One server for them all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.audio_samples import encode, silence
from tests.browser import chromium, running_app, sign_in
from tests.conftest import make_settings
from tests.test_drills import RUDE, SCENARIO
from trainer import services
from trainer.config import Settings
from trainer.domain.scenario import get_scenario
from trainer.services import practice
from trainer.storage import db

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 300_000  # a guard against a hang, not a timing: CI is a busy 2-core machine
AUTOPLAY = "--autoplay-policy=no-user-gesture-required"  # headless has no user gesture
# Counts the plays of audio elements shown after the page was marked (the event does not
# bubble, so the listener captures).
PLAY_LISTENER = (
    "window.__plays = 0;document.addEventListener('play', (event) => {"
    " if (!event.target.dataset.seen) { window.__plays += 1; } }, true);"
)
MARK_SEEN = (
    "() => { document.querySelectorAll('audio').forEach((a) => { a.dataset.seen = '1'; });"
    " window.__plays = 0; }"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, str]]:
    """A migrated database with the demo accounts and a running server on it."""
    settings = make_settings(tmp_path_factory.mktemp("moments"))
    db.upgrade(settings.database_url)
    services.seed_demo(settings=settings)
    with running_app(settings) as url:
        yield settings, url


def new_page(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["microphone"], origin=url)
    context.add_init_script(PLAY_LISTENER)
    context.set_default_timeout(TIMEOUT_MS)  # a busy machine's first page is slow
    return context, context.new_page()


def wait_until_idle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=TIMEOUT_MS)


def start_call(page: Page) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Practice").click()
    page.locator(f".st-key-start_{SCENARIO} button").click(timeout=TIMEOUT_MS)
    page.locator("[data-testid='stAudioInput']").wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)


def type_answer(page: Page, text: str) -> None:
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill(text)
    box.press("Enter")


def messages(page: Page) -> list[str]:
    return page.locator("[data-testid='stChatMessage']").all_inner_texts()


def test_reload_mid_call_lands_on_the_same_call_and_the_reply_plays(
    app: tuple[Settings, str],
) -> None:
    """The customer's reply plays aloud, a line they repeat too; a reload shows the same
    call, still signed in."""
    _, url = app
    with chromium([AUTOPLAY]) as browser:
        _, page = new_page(browser, url)
        sign_in(page, url, "anna", "Anna Smith")
        start_call(page)
        for _ in range(2):  # the same answer twice: the customer says the same line again
            page.evaluate(MARK_SEEN)
            type_answer(page, get_scenario(SCENARIO).example_good_answers[0])
            page.wait_for_function("window.__plays > 0", timeout=TIMEOUT_MS)  # the reply plays
            wait_until_idle(page)
        before = messages(page)
        page.reload()
        page.locator("[data-testid='stChatMessage']").nth(4).wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert (5, before) == (len(before), messages(page))
        assert before[2] == before[4]
        assert "/practice?call=" in page.url
        assert 1 == page.get_by_text("Signed in as").count()


def test_drill_from_the_scorecard(app: tuple[Settings, str]) -> None:
    """A link to a finished call opens its scorecard; 'Practise this moment' replays the
    moment, one answer ends the drill with patience then and now."""
    settings, url = app
    anna = services.authenticate(
        settings=settings, username="anna", password=services.DEMO_PASSWORD
    )
    good = get_scenario(SCENARIO).example_good_answers
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    for answer in [good[0], RUDE, *good[1:]]:
        if not view.ended:
            view = practice.answer_with_text(
                settings=settings, actor=anna, attempt_id=view.attempt_id, text=answer
            )
    with chromium() as browser:
        _, page = new_page(browser, url)
        sign_in(page, url, "anna", "Anna Smith")
        page.goto(f"{url}/practice?call={view.attempt_id}")
        page.locator(".st-key-drill button").click(timeout=TIMEOUT_MS)
        page.get_by_text("Drill: the call is replayed").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert 3 == len(messages(page))
        type_answer(page, good[1])
        page.get_by_text("Drill done").wait_for(timeout=TIMEOUT_MS)
        result = page.get_by_text("Drill done").inner_text()
        assert 0 == page.locator("[data-testid='stException']").count()
    assert "patience +10 after your answer (then -40)" in result


def test_a_silent_microphone_is_reported(app: tuple[Settings, str], tmp_path: Path) -> None:
    """A recording with no sound in it is refused with E191, asking to check the microphone."""
    _, url = app
    mic = tmp_path / "silence.wav"
    mic.write_bytes(encode(silence(4.0), 16_000, "wav"))
    flags = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={mic}",
    ]
    with chromium(flags) as browser:
        _, page = new_page(browser, url)
        sign_in(page, url, "anna", "Anna Smith")
        start_call(page)
        widget = page.locator("[data-testid='stAudioInput']")
        widget.get_by_role("button", name="Record").click()
        page.wait_for_timeout(2000)
        widget.get_by_role("button", name="Stop recording").click()
        error = page.locator("[data-testid='stAlert']").filter(has_text="E191")
        error.wait_for(timeout=TIMEOUT_MS)
        assert "microphone" in error.inner_text()
