"""The whole app in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, running_app
from trainer import services
from trainer.config import Settings

pytestmark = pytest.mark.browser


def test_trainee_signs_in_and_sees_home(settings: Settings, tmp_path: Path) -> None:
    """A trainee types name and password, presses Enter and lands on their home page."""
    services.seed_demo(settings=settings)
    with running_app(settings) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.get_by_label("User name").fill("anna")
        page.get_by_label("Password", exact=True).fill(services.DEMO_PASSWORD)
        page.get_by_label("Password", exact=True).press("Enter")
        page.get_by_text("Welcome, Anna Smith").wait_for(timeout=30_000)
        page.screenshot(path=tmp_path / "home.png")
        assert "Signed in as" in page.inner_text("section[data-testid='stSidebar']")
