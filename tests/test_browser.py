"""The whole app in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium, running_app, sign_in
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


def test_a_refresh_and_a_direct_link_keep_the_sign_in(settings: Settings) -> None:
    """The signed session cookie: a reload and a direct link to a page find the user again,
    the token never shows in the address, and after sign-out a reload shows the sign-in form."""
    services.seed_demo(settings=settings)
    with running_app(settings) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        sign_in(page, url, "anna", "Anna Smith")
        page.wait_for_function("document.cookie.includes('callcoach_session=')", timeout=30_000)
        page.reload()
        page.get_by_text("Welcome, Anna Smith").wait_for(timeout=60_000)
        page.goto(f"{url}/password")
        page.get_by_role("heading", name="My password").wait_for(timeout=60_000)
        assert "callcoach_session" not in page.url
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        page.reload()
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert 0 == page.get_by_text("Welcome, Anna Smith").count()
