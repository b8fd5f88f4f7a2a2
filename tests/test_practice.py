"""Practice calls through the services: nothing lost, resumable, scored, private."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from sqlmodel import select

from tests.audio_samples import encode, noise, read_wav, silence, speak
from tests.builders import demo_user, good_call, sign_in
from trainer import services
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import get_scenario
from trainer.errors import CallcoachError, restored
from trainer.services import practice
from trainer.services.practice import step
from trainer.storage import db, recording_store
from trainer.storage.models import Attempt, Recording, Score, Turn

SCENARIO = "late-delivery"
pytestmark = pytest.mark.slow


@pytest.fixture
def anna(settings: Settings) -> services.CurrentUser:
    return demo_user(settings)


def test_customer_speaks_first(settings: Settings, anna: services.CurrentUser) -> None:
    """Starting a call records the scenario version and the customer's opening line."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    scenario = get_scenario(SCENARIO)
    opening = scenario.nodes[scenario.start].say
    assert [("customer", opening)] == [(t.speaker, t.text) for t in view.turns]
    assert (False, scenario.customer.patience) == (view.ended, view.patience)


def test_good_path_ends_scored(settings: Settings, anna: services.CurrentUser) -> None:
    """Typing the scenario's model answers ends the call resolved, with a stored scorecard."""
    view = good_call(settings, anna, SCENARIO)
    assert ("completed", "resolved") == (view.status, view.outcome)
    assert view.scorecard is not None and view.scorecard["overall"] is not None
    with db.session_scope(settings.database_url) as session:
        score = session.exec(select(Score)).one()
    assert (None, view.scorecard) == (score.engine, score.card)  # typed: no speech engine


def test_typed_call_is_not_scored_on_delivery(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """Typed answers have no speech to time: the scorecard has no delivery criterion and no
    pace, pauses or fillers figures."""
    view = good_call(settings, anna, SCENARIO)
    assert view.scorecard is not None
    figures = {name: value for name, value in view.scorecard["delivery"].items() if value}
    assert (False, {}) == ("delivery" in view.scorecard["criteria"], figures)


def test_only_spoken_answers_are_timed_for_scoring() -> None:
    """The scoring clock times customer lines and recorded answers; a typed answer gets no
    times and does not move the clock."""
    turns = [
        Turn(attempt_id=1, position=0, speaker="customer", text="Where is my order now"),
        Turn(attempt_id=1, position=1, speaker="agent", text="Let me check that for you"),
        Turn(
            attempt_id=1,
            position=2,
            speaker="agent",
            text="It left today",
            recording_id=7,
            details={"duration_s": 1.5},
        ),
    ]
    timed = [(u.speaker, u.start, u.end) for u in step._utterances(turns)]
    assert [("customer", 0.0, 2.0), ("agent", None, None), ("agent", 2.0, 3.5)] == timed


def test_spoken_answer_is_stored_before_transcription(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """A spoken answer's audio is in the store and linked to its turn, and is transcribed."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    wav = speak("Hello, my name is Anna. I am sorry about the delay.", "en").read_bytes()
    view = practice.answer_with_audio(
        settings=settings, actor=anna, attempt_id=view.attempt_id, data=wav, audio_format="wav"
    )
    answer = view.turns[1]
    assert ("agent", "done") == (answer.speaker, answer.status)
    assert "sorry" in answer.text.lower()
    assert answer.audio_path is not None and wav == answer.audio_path.read_bytes()
    assert "customer" == view.turns[2].speaker


def test_failed_transcription_keeps_the_audio_and_can_be_retried(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """Audio that cannot be decoded is kept, the turn is marked failed, and no reply comes."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    broken = b"RIFF\x00\x00\x00\x00WAVEnot really audio"
    view = practice.answer_with_audio(
        settings=settings, actor=anna, attempt_id=view.attempt_id, data=broken, audio_format="wav"
    )
    assert (True, "failed", 2) == (view.waiting_for_retry, view.turns[-1].status, len(view.turns))
    with db.session_scope(settings.database_url) as session:
        stored = session.exec(select(Recording)).one()
    assert broken == (settings.recordings_dir / stored.path).read_bytes()
    with pytest.raises(CallcoachError) as raised:
        practice.answer_with_text(
            settings=settings, actor=anna, attempt_id=view.attempt_id, text="Hello"
        )
    assert "E114" == raised.value.code
    again = practice.retry_transcription(settings=settings, actor=anna, attempt_id=view.attempt_id)
    assert "failed" == again.turns[-1].status
    why = restored(again.turns[-1].error)  # kept by code: each reader sees their language
    assert why is not None and "E301" == why.code and why.message("ru") != why.message()


@pytest.mark.parametrize(("data", "code"), [(b"", "E110"), (b"x" * (2 * 1024 * 1024), "E111")])
def test_bad_upload_changes_nothing(
    settings: Settings, anna: services.CurrentUser, data: bytes, code: str
) -> None:
    """Empty or oversized answers are refused before anything is stored."""
    limited = settings.model_copy(update={"max_upload_mb": 1})
    view = practice.start_practice(settings=limited, actor=anna, scenario_id=SCENARIO)
    with pytest.raises(CallcoachError) as raised:
        practice.answer_with_audio(
            settings=limited, actor=anna, attempt_id=view.attempt_id, data=data, audio_format="wav"
        )
    with db.session_scope(settings.database_url) as session:
        counts = (len(session.exec(select(Recording)).all()), len(session.exec(select(Turn)).all()))
    assert (code, (0, 1)) == (raised.value.code, counts)


def test_answer_over_the_length_limit_is_refused_and_not_stored(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """A typed answer one character over CALLCOACH_MAX_ANSWER_CHARS is refused (E190) and the
    call keeps only the customer's opening line."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    too_long = "sorry " * (settings.max_answer_chars // 6) + "x" * (
        settings.max_answer_chars % 6 + 1
    )
    with pytest.raises(CallcoachError) as raised:
        practice.answer_with_text(
            settings=settings, actor=anna, attempt_id=view.attempt_id, text=too_long
        )
    assert ("E190", 2001, (0, 1, 0)) == (raised.value.code, len(too_long), _counts(settings))


def test_answer_at_the_length_limit_is_taken(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """An answer exactly CALLCOACH_MAX_ANSWER_CHARS long (surrounding spaces aside) is taken."""
    limited = settings.model_copy(update={"max_answer_chars": 100})
    view = practice.start_practice(settings=limited, actor=anna, scenario_id=SCENARIO)
    answer = ("Hello, this is Anna from Sunny Cycles. " * 3)[:100]
    view = practice.answer_with_text(
        settings=limited, actor=anna, attempt_id=view.attempt_id, text=f"  {answer}  "
    )
    assert (answer, 3) == (view.turns[1].text, len(view.turns))


def _speech_cut(seconds: float) -> npt.NDArray[np.float32]:
    """The first `seconds` of the sound in a spoken answer (its leading silence skipped)."""
    samples, rate = read_wav(speak("Hello, my name is Anna.", "en"))
    start = int(np.argmax(np.abs(samples) > 0.05))
    return samples[start : start + int(seconds * rate)]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: silence(3.0), "E191"),
        (lambda: noise(3.0, level=0.005), "E191"),
        (lambda: np.concatenate([silence(2.0), noise(0.2), silence(1.0)]), "E192"),
        (lambda: _speech_cut(0.3), "E192"),
    ],
    ids=["digital-silence", "muted-microphone-hiss", "a-click", "a-word-cut-short"],
)
def test_silent_or_too_short_recording_is_refused_before_storing(
    settings: Settings,
    anna: services.CurrentUser,
    make: Callable[[], npt.NDArray[np.float32]],
    code: str,
) -> None:
    """A recording with no voice in it, or under half a second of sound, is refused (E191,
    E192) and nothing is stored: the trainee checks the microphone and records again."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    data = encode(make(), 16_000, "wav")
    with pytest.raises(CallcoachError) as raised:
        practice.answer_with_audio(
            settings=settings, actor=anna, attempt_id=view.attempt_id, data=data, audio_format="wav"
        )
    assert (code, (0, 1, 0)) == (raised.value.code, _counts(settings))


def test_call_in_progress_is_resumed(settings: Settings, anna: services.CurrentUser) -> None:
    """After a refresh the open call comes back with everything said so far."""
    first = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    practice.answer_with_text(
        settings=settings, actor=anna, attempt_id=first.attempt_id, text="Hello, this is Anna."
    )
    resumed = practice.current_practice(settings=settings, actor=anna)
    assert resumed is not None
    assert (first.attempt_id, 3) == (resumed.attempt_id, len(resumed.turns))


ANSWERS = ["Hello, this is Anna.", "Could I have your order number, please?", "", "I see."]


def test_stored_state_is_the_replay_of_the_answers(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """A call answered one step at a time from its stored state ends where a replay of the
    same answers from the start does: same lines, same patience."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    for answer in ANSWERS:
        view = practice.answer_with_text(
            settings=settings, actor=anna, attempt_id=view.attempt_id, text=answer
        )
    state, reactions = simulator.replay(get_scenario(SCENARIO), ANSWERS)
    replayed = [r.line.text for r in reactions]
    stored = [t.text for t in view.turns if t.speaker == "customer"][1:]
    assert (replayed, state.patience) == (stored, view.patience)


def test_an_answer_is_one_simulator_step(
    settings: Settings, anna: services.CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fourth answer of a call analyses that answer only: the earlier ones are not
    played through the simulator again."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    for answer in ANSWERS[:3]:
        view = practice.answer_with_text(
            settings=settings, actor=anna, attempt_id=view.attempt_id, text=answer
        )
    analysed: list[str] = []
    detect = simulator.detect_behaviours

    def recording(answer: str, **kwargs: object) -> object:
        analysed.append(answer)
        return detect(answer, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(simulator, "detect_behaviours", recording)
    practice.answer_with_text(
        settings=settings, actor=anna, attempt_id=view.attempt_id, text=ANSWERS[3]
    )
    assert [ANSWERS[3]] == analysed


def test_abandoned_call_keeps_what_was_said(settings: Settings, anna: services.CurrentUser) -> None:
    """Hanging up marks the attempt abandoned; its turns stay."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    practice.answer_with_text(settings=settings, actor=anna, attempt_id=view.attempt_id, text="Hi")
    ended = practice.abandon_practice(settings=settings, actor=anna, attempt_id=view.attempt_id)
    with db.session_scope(settings.database_url) as session:
        attempt = session.exec(select(Attempt)).one()
    assert ("abandoned", 3, None) == (attempt.status, len(ended.turns), ended.scorecard)
    assert practice.current_practice(settings=settings, actor=anna) is None


@pytest.mark.parametrize(("reader", "allowed"), [("boris", False), ("lead", True), ("admin", True)])
def test_who_may_read_an_attempt(
    settings: Settings, anna: services.CurrentUser, reader: str, allowed: bool
) -> None:
    """Another trainee cannot read Anna's call even through the service; her team lead can."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    actor = sign_in(settings, reader)
    try:
        practice.get_call(settings=settings, actor=actor, attempt_id=view.attempt_id)
        outcome = True
    except CallcoachError as error:
        outcome = error.code != "E112"
    assert allowed == outcome


def test_only_the_trainee_may_answer(settings: Settings, anna: services.CurrentUser) -> None:
    """Even an admin cannot answer in someone else's call."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    with pytest.raises(CallcoachError) as raised:
        practice.answer_with_text(
            settings=settings,
            actor=sign_in(settings, "admin"),
            attempt_id=view.attempt_id,
            text="Hi",
        )
    assert "E112" == raised.value.code


def test_customer_lines_are_rendered_ahead(settings: Settings, tmp_path: Path) -> None:
    """Every line of a scenario lands in the voice cache before it is needed."""
    scenario = get_scenario(SCENARIO)
    own = settings.model_copy(update={"voices_dir": tmp_path / "voices"})  # an empty cache
    practice.prerender_voices(own, scenario).join(timeout=120)
    cached = list((tmp_path / "voices").glob("*.wav"))
    assert len(scenario.nodes) + 1 == len(cached)


@pytest.mark.parametrize("prerender", [True, False])
def test_starting_a_call_pre_renders_only_when_set(
    settings: Settings, anna: services.CurrentUser, prerender: bool, tmp_path: Path
) -> None:
    """CALLCOACH_PRERENDER_VOICES decides whether a started call renders every line ahead;
    off, only the opening line shown is rendered."""
    update = {"prerender_voices": prerender, "voices_dir": tmp_path / "voices"}
    switched = settings.model_copy(update=update)
    practice.start_practice(settings=switched, actor=anna, scenario_id=SCENARIO)
    renderers = [t for t in threading.enumerate() if t.name == f"voices-{SCENARIO}"]
    for renderer in renderers:
        renderer.join(timeout=120)
    cached = list((tmp_path / "voices").glob("*.wav"))
    expected = (1, len(get_scenario(SCENARIO).nodes) + 1) if prerender else (0, 1)
    assert expected == (len(renderers), len(cached))


BROKEN = b"RIFF\x00\x00\x00\x00WAVEnot really audio"  # stored, then fails to decode
SHA = hashlib.sha256(BROKEN).hexdigest()


def _counts(settings: Settings) -> tuple[int, int, int]:
    """Recording rows, turns, and audio files in the store."""
    with db.session_scope(settings.database_url) as session:
        rows = len(session.exec(select(Recording)).all())
        turns = len(session.exec(select(Turn)).all())
    return rows, turns, len(list(settings.recordings_dir.glob("??/*")))


def test_answer_refused_while_one_waits_stores_nothing(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """A new recording sent while the last answer waits for its text (E114) is not stored."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    practice.answer_with_audio(
        settings=settings, actor=anna, attempt_id=view.attempt_id, data=BROKEN, audio_format="wav"
    )
    with pytest.raises(CallcoachError) as raised:
        practice.answer_with_audio(
            settings=settings,
            actor=anna,
            attempt_id=view.attempt_id,
            data=BROKEN + b"another take",
            audio_format="wav",
        )
    assert ("E114", (1, 2, 1)) == (raised.value.code, _counts(settings))


@pytest.mark.parametrize(
    ("send", "expected"),
    [
        ("text", [("customer", "done"), ("agent", "done"), ("customer", "done")]),
        ("audio", [("customer", "done"), ("agent", "failed")]),
    ],
)
def test_an_answer_sent_twice_is_received_once(
    settings: Settings,
    anna: services.CurrentUser,
    send: str,
    expected: list[tuple[str, str]],
) -> None:
    """A double-click sends the answer for turn 1 twice: one answer, no error."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    for _ in range(2):
        if send == "text":
            again = practice.answer_with_text(
                settings=settings, actor=anna, attempt_id=view.attempt_id, text="Hi", position=1
            )
        else:
            again = practice.answer_with_audio(
                settings=settings,
                actor=anna,
                attempt_id=view.attempt_id,
                data=BROKEN,
                audio_format="wav",
                position=1,
            )
    assert expected == [(t.speaker, t.status) for t in again.turns]


def test_audio_stored_before_a_kill_gets_its_turn_on_reopening(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """Killed after the audio was stored but before its turn was committed (the note and the
    file are left): reopening the call makes the turn, linked to the audio."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    note = {"position": 1, "sha256": SHA, "format": "wav", "size_bytes": len(BROKEN)}
    recording_store.note_answer(settings.recordings_dir, f"{view.attempt_id}-1", note)
    recording_store.write_file(BROKEN, recordings_dir=settings.recordings_dir, audio_format="wav")
    resumed = practice.current_practice(settings=settings, actor=anna)
    assert resumed is not None and resumed.waiting_for_retry
    answer = resumed.turns[1]
    assert answer.audio_path is not None and BROKEN == answer.audio_path.read_bytes()
    assert ({}, "recorded") == (
        recording_store.answer_notes(settings.recordings_dir),
        answer.status,
    )


def test_note_of_audio_never_stored_is_dropped(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """Killed before the audio reached the store: no turn is made and the note goes."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    note = {"position": 1, "sha256": SHA, "format": "wav", "size_bytes": len(BROKEN)}
    recording_store.note_answer(settings.recordings_dir, f"{view.attempt_id}-1", note)
    resumed = practice.current_practice(settings=settings, actor=anna)
    assert resumed is not None
    assert ({}, 1) == (recording_store.answer_notes(settings.recordings_dir), len(resumed.turns))


def test_answer_left_without_a_reaction_gets_it_on_reopening(
    settings: Settings, anna: services.CurrentUser
) -> None:
    """An answer committed without the customer's reaction (an older version, then a kill)
    gets its reaction when the call is reopened."""
    view = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    with db.session_scope(settings.database_url) as session:
        session.add(Turn(attempt_id=view.attempt_id, position=1, speaker="agent", text="Hello"))
    resumed = practice.current_practice(settings=settings, actor=anna)
    assert resumed is not None
    assert ["customer", "agent", "customer"] == [t.speaker for t in resumed.turns]
