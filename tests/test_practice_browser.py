"""A whole practice call in a real headless Chromium with a fake microphone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlmodel import select

from tests.audio_samples import encode, read_wav, silence, speak
from tests.browser import chromium, running_app, sign_in
from trainer import services
from trainer.config import Settings
from trainer.domain.scenario import get_scenario
from trainer.storage import db
from trainer.storage.models import Attempt, Recording, Score, Turn

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCENARIO = "late-delivery"
TIMEOUT_MS = 300_000  # a guard against a hang, not a timing: CI is a busy 2-core machine


def microphone_file(text: str, folder: Path) -> tuple[Path, float]:
    """A WAV the fake microphone plays: the spoken answer, then silence."""
    samples, rate = read_wav(speak(text, "en"))
    padded = samples.tolist() + silence(2.0, rate).tolist()
    path = folder / "answer.wav"
    path.write_bytes(encode(_array(padded), rate, "wav"))
    return path, len(samples) / rate


def _array(values: list[float]) -> object:
    import numpy as np

    return np.asarray(values, dtype=np.float32)


def wait_until_idle(page: Page) -> None:
    """Wait for the script run to finish (Streamlit shows a status widget while running)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=TIMEOUT_MS)


def shoot(page: Page, name: str, folder: Path, height: int = 900) -> None:
    """Keep a screenshot once the page is idle; CALLCOACH_SCREENSHOTS names a folder for them."""
    target = Path(os.environ.get("CALLCOACH_SCREENSHOTS", folder))
    target.mkdir(parents=True, exist_ok=True)
    wait_until_idle(page)
    page.set_viewport_size({"width": 1280, "height": height})
    page.screenshot(path=target / f"{name}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def record_answer(page: Page, seconds: float) -> None:
    """Press the microphone, let the fake device speak, press stop."""
    widget = page.locator("[data-testid='stAudioInput']")
    widget.get_by_role("button", name="Record").click()
    page.wait_for_timeout(int((seconds + 1.0) * 1000))
    widget.get_by_role("button", name="Stop recording").click()


def type_answer(page: Page, text: str) -> None:
    wait_until_idle(page)
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill(text)
    box.press("Enter")


def test_trainee_plays_a_whole_call(settings: Settings, tmp_path: Path) -> None:
    """Sign in, start a call, answer by microphone then by typing, see the scorecard; all stored."""
    services.seed_demo(settings=settings)
    answers = get_scenario(SCENARIO).example_good_answers
    mic, seconds = microphone_file(answers[0], tmp_path)
    flags = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={mic}",
    ]
    with running_app(settings) as url, chromium(flags) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["microphone"], origin=url)
        page = context.new_page()
        sign_in(page, url, "anna", "Anna Smith")
        page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Practice").click()
        page.locator(f".st-key-start_{SCENARIO} button").wait_for(timeout=TIMEOUT_MS)
        shoot(page, "scenario-picker", tmp_path, height=1400)
        page.locator(f".st-key-start_{SCENARIO} button").click()
        page.locator("[data-testid='stAudioInput']").wait_for(timeout=TIMEOUT_MS)
        shoot(page, "call-start", tmp_path)
        record_answer(page, seconds)
        page.locator("[data-testid='stChatMessage']").nth(2).wait_for(timeout=TIMEOUT_MS)
        shoot(page, "call-after-first-answer", tmp_path)
        for position, answer in enumerate(answers[1:], start=2):
            if page.get_by_text("Scorecard").count():
                break
            type_answer(page, answer)
            page.locator("[data-testid='stChatMessage']").nth(2 * position).wait_for(
                timeout=TIMEOUT_MS
            )
        page.get_by_text("Scorecard").wait_for(timeout=TIMEOUT_MS)
        shoot(page, "scorecard", tmp_path, height=4000)
        assert 0 == page.locator("[data-testid='stChatInputTextArea']").count()
        assert 0 == page.locator("[data-testid='stException']").count()
    with db.session_scope(settings.database_url) as session:
        attempt = session.exec(select(Attempt)).one()
        turns = session.exec(select(Turn).order_by(Turn.position)).all()
        recording = session.exec(select(Recording)).one()
        score = session.exec(select(Score)).one()
    spoken = turns[1]
    assert ("completed", "resolved") == (attempt.status, attempt.outcome)
    assert (spoken.recording_id, "done") == (recording.id, spoken.status)
    assert (settings.recordings_dir / recording.path).stat().st_size > 0
    assert score.overall is not None
