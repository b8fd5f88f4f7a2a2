"""Starting a practice call, and ending one early.

The scenario picker's cards, opening a call on the scenario's newest version (the customer
speaks first), abandoning it, and the background work that makes the first answer quick:
the customer's lines rendered ahead, Whisper and the scoring pipelines loaded at start.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path

from scoring.errors import CodedError
from scoring.scorecard import score_transcript
from scoring.transcript import Utterance
from scoring.vocabulary import AGENT
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import Scenario
from trainer.services import access, library
from trainer.services.accounts import CurrentUser
from trainer.services.practice.call import CallView, get_call, own_open_attempt
from trainer.services.practice.step import customer_line
from trainer.speech import transcription, voice
from trainer.storage import attempts, db, repositories
from trainer.storage.models import AttemptKind, AttemptStatus


@dataclass(frozen=True)
class ScenarioCard:
    """One scenario in the picker, with what this trainee did with it before."""

    scenario: Scenario
    attempts: int
    best_score: float | None


def list_scenarios(*, settings: Settings, actor: CurrentUser) -> list[ScenarioCard]:
    """The enabled library with this user's attempts and best score per scenario."""
    with db.session_scope(settings.database_url) as session:
        access.permitted(session, actor, "practise")
        done = repositories.attempts_per_scenario(session=session, trainee_id=actor.id)
    return [
        ScenarioCard(scenario, *done.get(scenario.id, (0, None)))
        for scenario in library.practice_library(settings=settings)
    ]


def start_practice(*, settings: Settings, actor: CurrentUser, scenario_id: str) -> CallView:
    """Open a new call on the scenario's newest version; the customer speaks first."""
    # Asked in a session of its own: the library sync below opens one beside this session,
    # and a session that had already read would hold a second connection meanwhile.
    access.require_permission(settings, actor, "practise")
    with db.session_scope(settings.database_url) as session:
        version, scenario = library.version_to_practise(
            session=session, actor=actor, key=scenario_id
        )
        state, line = simulator.start_call(scenario)
        attempt = attempts.add_attempt(
            session=session,
            trainee_id=actor.id,
            kind=AttemptKind.PRACTICE,
            scenario_version=version.id,
            first=customer_line(0, line, {"patience": state.patience}),
        )
        assert attempt.id is not None
        attempt_id = attempt.id
    if settings.prerender_voices:
        prerender_voices(settings, scenario)
    return get_call(settings=settings, actor=actor, attempt_id=attempt_id)


def prerender_voices(settings: Settings, scenario: Scenario) -> threading.Thread:
    """Render every customer line into the voice cache in the background while the call runs.

    Rendering a line takes ~0.5 s; done ahead, the customer's reply is ready as soon as the
    answer is understood. A line that fails here is rendered (or reported) when it is needed.
    """
    lines = [(node.say, scenario.audio_path(node.audio)) for node in scenario.nodes.values()]
    lines.append((scenario.hangup_line, scenario.audio_path(scenario.hangup_audio)))
    worker = threading.Thread(
        target=_speak_ahead, args=(settings, scenario, lines), name=f"voices-{scenario.id}"
    )
    worker.daemon = True
    worker.start()
    return worker


def _speak_ahead(
    settings: Settings, scenario: Scenario, lines: list[tuple[str, Path | None]]
) -> None:
    """The lines into the voice cache, as the call will ask for them (one that fails is
    rendered, or reported, when it is needed)."""
    for text, recorded in lines:
        with contextlib.suppress(CodedError):
            voice.customer_voice(
                text,
                language=scenario.language,
                cache_dir=settings.voice_cache(),
                recorded=recorded,
                gender=scenario.customer.gender,
                pace=scenario.customer.pace,
            )


# a line per language, so scoring loads its pipelines, lexicon, rubric and stage model
WARM_UP_CALLS = {
    "en": [Utterance(AGENT, "Hello, this is Anna. How can I help you today?")],
    "ru": [Utterance(AGENT, "Здравствуйте, меня зовут Анна. Чем могу помочь?")],
}


def warm_up(settings: Settings) -> threading.Thread:
    """Load Whisper and the scoring pipelines in the background when the app starts, then
    speak every scenario's opening line into the voice cache.

    They load through the same cached loaders an answer uses (~5 s together), so the first
    answer does not wait for them, and a started call finds its first line ready (~0.5 s
    each otherwise). One that fails here is reported when an answer or a call needs it.
    """

    def load_all() -> None:
        with contextlib.suppress(CodedError):
            transcription.load_engine(settings)
        for language, call in WARM_UP_CALLS.items():
            with contextlib.suppress(CodedError):
                score_transcript(call, language=language, source="warm-up")
        with contextlib.suppress(CodedError):
            for scenario in library.practice_library(settings=settings):
                _, first = simulator.start_call(scenario)
                _speak_ahead(settings, scenario, [(first.text, first.audio)])

    worker = threading.Thread(target=load_all, name="callcoach-warm-up", daemon=True)
    worker.start()
    return worker


def abandon_practice(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallView:
    """End the call early; what was said so far stays, marked abandoned."""
    with db.session_scope(settings.database_url) as session:
        attempt = own_open_attempt(session, actor, attempt_id)
        attempts.end_attempt(session=session, attempt=attempt, status=AttemptStatus.ABANDONED)
    return get_call(settings=settings, actor=actor, attempt_id=attempt_id)
