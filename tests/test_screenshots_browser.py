"""Every page of every role in both languages, in a real headless Chromium, kept as
screenshots for a person to look at (CALLCOACH_SCREENSHOTS names the folder; default
screenshots/, git-ignored). The data is the plain-words test's: a scored call, an
auto-failed one, disputes and a hand score."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import chromium, running_app
from tests.test_plain_words import USERS, Seeded, seeded  # noqa: F401 (the fixture)
from tests.test_practice_browser import TIMEOUT_MS, wait_until_idle
from trainer.services import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[1]
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
LEADS = ("team-lead", "admin")


def folder() -> Path:
    target = Path(os.environ.get("CALLCOACH_SCREENSHOTS", REPO / "screenshots"))
    target.mkdir(parents=True, exist_ok=True)
    return target


def full_page(page: Page, name: str) -> None:
    """The whole page, not only the first screen (the main area scrolls, not the window)."""
    wait_until_idle(page)
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), 900)"
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(300)
    page.screenshot(path=folder() / f"{name}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def pick_language(page: Page, language: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    box.wait_for(timeout=TIMEOUT_MS)
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=LANGUAGE_NAMES[language]).click()
    wait_until_idle(page)


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.locator(".st-key-login_username input").fill(username)
    page.locator(".st-key-login_password input").fill(DEMO_PASSWORD)
    page.locator(".st-key-login_password input").press("Enter")
    page.locator("[data-testid='stSidebarNav']").wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)


def open_calls(page: Page, data: Seeded, role: str, prefix: str) -> None:
    """The review page's drill-down of each seeded call."""
    for attempt_id in data.calls:
        page.locator("[data-testid='stSidebarNav'] a[href$='/review']").click()
        wait_until_idle(page)
        if role in LEADS:
            main = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first
            main.get_by_role("combobox").click()
            page.get_by_role("option").filter(has_text=data.trainee_name).click()
            wait_until_idle(page)
        page.locator(f".st-key-open_{attempt_id} button").click()
        wait_until_idle(page)
        full_page(page, f"{prefix}-call-{attempt_id}")
        page.locator(".st-key-back button").click()
        wait_until_idle(page)


@pytest.fixture(scope="module")
def served(seeded: Seeded) -> Iterator[tuple[str, Browser]]:  # noqa: F811
    """One app and one browser per language; each role signs in in a context of its own."""
    with running_app(seeded.settings) as url, chromium() as browser:
        yield url, browser


@pytest.mark.parametrize("role", list(USERS))
def test_screenshot_every_page(
    seeded: Seeded,  # noqa: F811
    served: tuple[str, Browser],
    role: str,
) -> None:
    """Each page renders in the browser for this role and language and is kept as a picture."""
    prefix = f"{seeded.language}-{role}"
    url, browser = served
    with browser.new_context(viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        page.goto(url)
        page.locator(".st-key-login_username input").wait_for(timeout=TIMEOUT_MS)
        pick_language(page, seeded.language)
        full_page(page, f"{seeded.language}-sign-in")
        sign_in(page, url, USERS[role] or seeded.trainee)
        pick_language(page, seeded.language)
        links = page.locator("[data-testid='stSidebarNav'] a")
        paths = [
            str(links.nth(i).get_attribute("href")).rsplit("/", 1)[-1] for i in range(links.count())
        ]
        for index, path in enumerate(paths):
            page.locator("[data-testid='stSidebarNav'] a").nth(index).click()
            wait_until_idle(page)
            full_page(page, f"{prefix}-{index:02d}-{path or 'home'}")
        if role != "trainer":
            open_calls(page, seeded, role, prefix)
        assert len(paths) == len(list(folder().glob(f"{prefix}-[0-9]*.png")))
