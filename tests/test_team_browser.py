"""A team lead's review in a real headless Chromium: correct a score, export the team."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests import builders
from tests.browser import chromium, running_app, sign_in
from tests.test_practice_browser import TIMEOUT_MS, shoot, wait_until_idle
from trainer import services
from trainer.config import Settings
from trainer.services import review

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCENARIO = "late-delivery"


def scored_call(settings: Settings) -> int:
    """Anna's finished call, played through the services with the model answers."""
    return builders.good_call(settings, builders.sign_in(settings, "anna"), SCENARIO).attempt_id


def nav(page: Page, name: str) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=name).click()
    wait_until_idle(page)


def test_team_lead_corrects_a_score_and_exports_csv(settings: Settings, tmp_path: Path) -> None:
    """Open Anna's call, correct greeting with a comment, see it kept beside the automatic score."""
    services.seed_demo(settings=settings)
    attempt_id = scored_call(settings)
    lead = services.authenticate(settings=settings, username="lead", password="callcoach-demo")

    def greeting() -> review.CriterionView:
        views = review.criteria_of_attempt(settings=settings, actor=lead, attempt_id=attempt_id)
        return next(v for v in views if v.criterion == "greeting")

    with running_app(settings) as url, chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, url, "lead", "Lena Lead")
        nav(page, "Calls & reviews")
        page.locator(f".st-key-open_{attempt_id} button").click()
        page.get_by_text("Review criteria").wait_for(timeout=TIMEOUT_MS)
        key = greeting().id
        value = page.locator(f".st-key-value_{key} input")
        expander = page.locator("[data-testid='stExpander']").filter(has=value)
        expander.get_by_text("Correct the score").click()
        value.fill("9")
        page.locator(f".st-key-comment_{key} input").fill("She offered help in her first answer")
        page.locator(f".st-key-FormSubmitter-correct_{key}-Save-correction button").click()
        page.get_by_text("She offered help in her first answer").first.wait_for(timeout=TIMEOUT_MS)
        shoot(page, "review-corrected", tmp_path, height=2400)
        nav(page, "Team")
        with page.expect_download() as download:
            page.get_by_role("button", name="Export team as CSV").click()
        csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    corrected = greeting()
    assert (9, "She offered help in her first answer") == (
        corrected.current,
        corrected.corrections[-1].comment,
    )
    assert csv_text.startswith(
        "username,name,scored_attempts,practice_calls,real_calls,average,last5_average,last_activity,"
        "level,next_level,requirements_met,ready_for_sign_off\n"
    )
    assert "anna,Anna Smith,1,1,0," in csv_text
