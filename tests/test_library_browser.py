"""A trainer's scenario editor in a real headless Chromium: the code editor component shows
line numbers and YAML highlighting, an edit reaches Validate, and each problem is marked in
the editor's gutter at its line while the page stays on the tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Page

from tests.browser import chromium, running_app, sign_in
from tests.test_practice_browser import TIMEOUT_MS, shoot, wait_until_idle
from tests.test_team_browser import nav
from trainer import services
from trainer.config import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def editor_frame(page: Page) -> FrameLocator:
    """The code editor: a Streamlit component, drawn in an iframe of its own."""
    return page.frame_locator("iframe[title*='streamlit_ace']").first


def test_trainer_edits_a_scenario_in_the_code_editor(settings: Settings, tmp_path: Path) -> None:
    """Line numbers and highlighted keys show; a broken edit, applied with Ctrl+Enter and
    validated, is listed as a problem and marked in the gutter at the line the list names; the Scenarios tab stays."""
    services.seed_demo(settings=settings)
    with running_app(settings) as url, chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, url, "trainer", "Tina Trainer")
        nav(page, "Scenario library")
        editor = editor_frame(page)
        editor.locator(".ace_content").wait_for(timeout=TIMEOUT_MS)
        numbers = editor.locator(".ace_gutter-cell").all_inner_texts()
        highlighted = editor.locator(".ace_meta.ace_tag").count()  # YAML keys, coloured
        assert (["1", "2", "3"], True) == (numbers[:3], highlighted >= 3)
        assert 0 == editor.locator(".ace_gutter-cell.ace_error").count()
        editor.locator(".ace_text-input").focus()
        page.keyboard.press("Control+Home")
        page.keyboard.type("difficulty: 5\n")  # a key the scenario gives further down
        page.keyboard.press("Control+Enter")  # the component hands the text to the app
        wait_until_idle(page)
        page.get_by_role("button", name="Validate").click()
        wait_until_idle(page)
        page.get_by_text("problem(s) to fix").wait_for(timeout=TIMEOUT_MS)
        marked = editor.locator(".ace_gutter-cell.ace_error")
        marked.first.wait_for(timeout=TIMEOUT_MS)
        shoot(page, "library-editor-problem", tmp_path, height=1600)
        on_tab = page.get_by_role("tab", name="Scenarios").get_attribute("aria-selected")
        assert ("true", True) == (on_tab, marked.count() >= 1)
        line = marked.first.inner_text().strip()
        listed = page.get_by_text(f"edit:{line}: difficulty: given twice")
        assert (1, True) == (listed.count(), line.isdigit())  # marked where the list says
