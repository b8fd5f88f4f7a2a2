"""Uploading a recorded call through the Real calls page in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, running_app, sign_in
from tests.test_calls import audio_bytes
from tests.test_practice_browser import shoot, wait_until_idle
from trainer import services
from trainer.config import Settings
from trainer.services import calls

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 120_000


def test_a_trainee_uploads_a_call_and_sees_it_waiting(settings: Settings, tmp_path: Path) -> None:
    """Chosen file → Upload → "queued for scoring" and the call listed as waiting."""
    services.seed_demo(settings=settings)
    recording = tmp_path / "my-call.wav"
    recording.write_bytes(audio_bytes("wav", 3.0))
    with running_app(settings) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, url, "anna", "Anna Smith")
        page.get_by_role("link", name="Real calls").click()
        page.get_by_text("No calls uploaded yet.").wait_for(timeout=TIMEOUT_MS)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(recording)
        page.get_by_text("my-call.wav").first.wait_for(timeout=TIMEOUT_MS)
        page.locator("[data-testid='stFormSubmitButton'] button").click()
        page.get_by_text("my-call.wav: queued for scoring.").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        shoot(page, "calls-uploaded", tmp_path)
        listed = page.locator("[class*='st-key-job_']").first.inner_text()
        exceptions = page.locator("[data-testid='stException']").count()
    anna = services.authenticate(settings=settings, username="anna", password="callcoach-demo")
    [job] = calls.list_call_jobs(settings=settings, actor=anna)
    assert (0, "pending", "my-call.wav") == (exceptions, job.status, job.file)
    assert "waiting" in listed
