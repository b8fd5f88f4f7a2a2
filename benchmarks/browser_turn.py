"""What a trainee waits for, measured in the browser: a real server and headless Chromium.

Usage: python -m benchmarks.browser_turn [--calls 2] [--spoken 3] [--languages en ru]

A fresh database and a real `streamlit run` server are started; Debian's Chromium plays a
~10-second synthesised answer through its fake microphone (English: espeak-ng, Russian:
festival) and the page is driven as a trainee would. Timed, per language:

  first page      a new browser tab opens the app until the sign-in form is shown (the
                  first one after the server started is reported apart: it is cold)
  start a call    the scenario's Start button until the answer widget is shown
  spoken turn     "Stop recording" until the customer's reply starts playing (the browser's
                  own `play` event of the reply's audio)
  typed turn      Enter in the answer box until the reply is on screen

The fake microphone loops its file, so each recording holds about ten seconds of the
answer from wherever the loop stands: the words vary, the length does not. Goals on a
2-core machine: spoken ≤ 2.0 s median, typed ≤ 0.5 s, start ≤ 1.5 s, first page ≤ 3 s.
Run it on an idle machine; other work slows Whisper most. The reply is told from earlier
audio by marking every audio element on the page just before "Stop recording": the call's
first line starts playing late (once loaded), so counting every `play` was unreliable.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tests.audio_samples import encode, read_wav, silence, speak
from tests.browser import chromium, running_app
from tests.conftest import make_settings
from trainer import services
from trainer.domain.scenario import Scenario, load_library
from trainer.storage import db

GOALS_S = {"first page": 3.0, "start a call": 1.5, "spoken turn": 2.0, "typed turn": 0.5}
LANGUAGES = ("en", "ru")
# Both sign in from an English page; the Russian trainee's pages then speak Russian.
TRAINEES = {"en": ("anna", "Anna Smith"), "ru": ("boris", "Борис Петров")}
WELCOME = {"en": "Welcome, {name}", "ru": "Здравствуйте, {name}"}
TIMEOUT_MS = 300_000  # a guard against a hang: a busy machine's first answer is slow
# Counts the `play` events of audio elements not marked as seen (capturing: the event does
# not bubble). Any play would not do: the call's first line starts late (once its audio has
# loaded), so a count of every play was often ahead of the reply it was meant to time.
PLAY_LISTENER = (
    "window.__plays = 0;document.addEventListener('play', (event) => {"
    " if (!event.target.dataset.seen) { window.__plays += 1; } }, true);"
)
# Marks every audio element on the page as seen and restarts the count: the next play
# counted is that of an element the page shows after this moment (the reply's).
MARK_SEEN = (
    "() => { document.querySelectorAll('audio').forEach((a) => { a.dataset.seen = '1'; });"
    " window.__plays = 0; }"
)
ANSWERS = {
    "en": "Hello, my name is Anna. I am sorry to hear about this, I understand how "
    "frustrating it is. Could you give me your order number so I can check it for you?",
    "ru": "Здравствуйте, меня зовут Анна. Мне очень жаль, я понимаю ваше недовольство. "
    "Назовите, пожалуйста, номер заказа, и я всё проверю.",
}
TYPED = {
    "en": "Thank you. Could you tell me a bit more about what happened?",
    "ru": "Спасибо. Расскажите, пожалуйста, подробнее, что случилось?",
}

Timings = dict[str, list[float]]


def microphone_file(language: str, folder: Path) -> tuple[Path, float]:
    """The WAV the fake microphone loops: the answer, then a second of silence."""
    samples, rate = read_wav(speak(ANSWERS[language], language))
    padded = np.concatenate([samples, silence(1.0, rate)])
    path = folder / f"answer-{language}.wav"
    path.write_bytes(encode(padded, rate, "wav"))
    return path, len(samples) / rate


def phone_scenario(language: str) -> Scenario:
    """The first phone scenario of the library in the language (by id)."""
    found = sorted(
        (s for s in load_library() if s.language == language and s.channel == "phone"),
        key=lambda s: s.id,
    )
    if not found:
        raise SystemExit(f"the scenario library has no {language} phone scenario")
    return found[0]


@contextmanager
def stopwatch(timings: Timings, step: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings.setdefault(step, []).append(time.perf_counter() - started)


def wait_until_idle(page: Page) -> None:
    """Until the script run is over (Streamlit shows its status widget while it runs)."""
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=TIMEOUT_MS)


def messages(page: Page) -> int:
    return page.locator("[data-testid='stChatMessage']").count()


def wait_for_new_play(page: Page) -> None:
    """Until an audio element shown after `MARK_SEEN` starts playing."""
    page.wait_for_function("window.__plays > 0", timeout=TIMEOUT_MS)


def spoken_turn(page: Page, seconds: float, timings: Timings) -> None:
    """Record one answer; time from "Stop recording" to the reply playing."""
    widget = page.locator("[data-testid='stAudioInput']")
    stop = widget.get_by_role("button", name="Stop recording", exact=True)
    for _ in range(3):  # a click while the page redraws the widget can be lost: click again
        widget.get_by_role("button", name="Record", exact=True).click()
        try:
            stop.wait_for(timeout=5_000)
            break
        except PlaywrightError:
            wait_until_idle(page)
    page.wait_for_timeout(int(seconds * 1000))
    page.evaluate(MARK_SEEN)
    with stopwatch(timings, "spoken turn"):
        stop.click()
        wait_for_new_play(page)
    wait_until_idle(page)


def typed_turn(page: Page, text: str, timings: Timings) -> None:
    """Type one answer; time from Enter to the reply's message on screen."""
    before = messages(page)
    box = page.locator("[data-testid='stChatInputTextArea']")
    box.fill(text)
    with stopwatch(timings, "typed turn"):
        box.press("Enter")
        page.locator("[data-testid='stChatMessage']").nth(before + 1).wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)


def call_is_open(page: Page) -> bool:
    return page.locator("[data-testid='stChatInputTextArea']").count() > 0


def one_call(page: Page, scenario: Scenario, seconds: float, spoken: int, timings: Timings) -> None:
    """Start the scenario, answer `spoken` times by voice and once by typing, abandon it."""
    page.locator("[data-testid='stSidebarNav'] a[href$='/practice']").click()
    start = page.locator(f".st-key-start_{scenario.id} button")
    start.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    with stopwatch(timings, "start a call"):
        start.click()
        page.locator("[data-testid='stAudioInput']").wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    for _ in range(spoken):
        if not call_is_open(page):
            return
        spoken_turn(page, seconds, timings)
    if call_is_open(page):
        typed_turn(page, TYPED[scenario.language], timings)
    if page.locator(".st-key-abandon button").count():
        page.locator(".st-key-abandon button").click()
        wait_until_idle(page)
    # back to the scenario list: the Practice link on the practice page keeps the call
    page.locator(".st-key-other button").click(timeout=TIMEOUT_MS)
    wait_until_idle(page)


def first_page(browser: Browser, url: str, timings: Timings, step: str) -> None:
    page = browser.new_page()
    with stopwatch(timings, step):
        page.goto(url)
        page.get_by_label("User name").wait_for(timeout=TIMEOUT_MS)
    page.close()


def sign_in_as(page: Page, url: str, language: str) -> None:
    """The demo trainee of the language, through the sign-in form."""
    username, name = TRAINEES[language]
    page.goto(url)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(services.DEMO_PASSWORD)
    page.get_by_label("Password", exact=True).press("Enter")
    page.get_by_text(WELCOME[language].format(name=name)).wait_for(timeout=TIMEOUT_MS)


def measure(language: str, calls: int, spoken: int, folder: Path, progress: Progress) -> Timings:
    """A server of its own for the language; every figure of `calls` calls."""
    # as shipped: customer lines are pre-rendered when a call starts (the tests switch it off)
    settings = make_settings(folder / language).model_copy(
        update={"prerender_voices": True, "voices_dir": None}
    )
    db.upgrade(settings.database_url)
    services.seed_demo(settings=settings)
    mic, seconds = microphone_file(language, folder)
    scenario = phone_scenario(language)
    flags = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={mic}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    timings: Timings = {}
    task = progress.add_task(f"{language}: {calls} calls", total=calls)
    with running_app(settings) as url, chromium(flags) as browser:
        first_page(browser, url, timings, "first page (cold)")
        for _ in range(3):
            first_page(browser, url, timings, "first page")
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["microphone"], origin=url)
        context.add_init_script(PLAY_LISTENER)
        page = context.new_page()
        sign_in_as(page, url, language)
        for number in range(calls):
            try:
                one_call(page, scenario, seconds, spoken, timings)
            except PlaywrightError as error:  # keep what was measured; show where it stopped
                shot = folder / f"stopped-{language}-{number}.png"
                page.screenshot(path=shot, full_page=True)
                progress.console.print(f"{language}: call {number + 1} stopped ({error}); {shot}")
                break
            progress.advance(task)
    return timings


def report(language: str, timings: Timings, console: Console) -> None:
    table = Table(title=f"{language}: what the trainee waits for, in the browser")
    for column in ("step", "n", "median", "p95", "goal", "median / goal"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for step, values in timings.items():
        goal = GOALS_S.get(step.removesuffix(" (cold)")) if "cold" not in step else None
        median = statistics.median(values)
        table.add_row(
            step,
            str(len(values)),
            f"{median:.2f} s",
            f"{float(np.percentile(values, 95)):.2f} s",
            f"{goal:.1f} s" if goal else "",
            f"{median / goal:.2f}" if goal else "",
        )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2, help="calls per language")
    parser.add_argument("--spoken", type=int, default=3, help="spoken answers per call")
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    args = parser.parse_args()
    console = Console(width=max(Console().width, 100))
    folder = tempfile.mkdtemp(prefix="callcoach-browser-")  # kept: screenshots of a stop
    with Progress() as bar:
        results = {
            language: measure(language, args.calls, args.spoken, Path(folder), bar)
            for language in args.languages
        }
    for language, timings in results.items():
        report(language, timings, console)


if __name__ == "__main__":
    main()
