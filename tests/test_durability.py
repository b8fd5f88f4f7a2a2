"""Nothing lost under load or a kill: 20 trainees answering at once; a server killed mid-answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.audio_samples import speak
from tests.builders import demo_user, user
from tests.cli_runner import settings_env
from tests.threads import all_at_once
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import get_scenario
from trainer.services import practice
from trainer.storage import db
from trainer.storage.models import Recording, Turn

SCENARIO = "late-delivery"
TRAINEES = 20
# decodes as nothing: stored and linked, then failed fast (no model needed to get there)
UNDECODABLE = b"RIFF\x00\x00\x00\x00WAVEan answer the microphone garbled"


def _warm_up() -> None:
    """Hear one answer outside the database, so spaCy and the lexicons are loaded once, as in
    a server that has been running before many trainees arrive (the first visit's library
    sync still races: the 20 calls start on an empty database)."""
    simulator.replay(get_scenario(SCENARIO), ["Hello."])


@pytest.mark.slow  # spaCy
@pytest.mark.timeout(900)
def test_twenty_trainees_answer_at_once(backend: Settings) -> None:
    """20 trainees start, type an answer and send a recording at the same moment: every answer,
    reply and recording is stored, and no request fails (no 'database is locked')."""
    trainees = [user(backend, f"trainee{i:02d}") for i in range(TRAINEES)]
    _warm_up()
    started, errors = all_at_once(
        lambda i: (
            i,
            practice.start_practice(settings=backend, actor=trainees[i], scenario_id=SCENARIO),
        ),
        TRAINEES,
    )
    assert [] == errors
    calls = {i: view.attempt_id for i, view in started}
    _, errors = all_at_once(
        lambda i: practice.answer_with_text(
            settings=backend, actor=trainees[i], attempt_id=calls[i], text="Hello, this is Anna."
        ),
        TRAINEES,
    )
    assert [] == errors
    _, errors = all_at_once(
        lambda i: practice.answer_with_audio(
            settings=backend,
            actor=trainees[i],
            attempt_id=calls[i],
            data=UNDECODABLE,
            audio_format="wav",
        ),
        TRAINEES,
    )
    assert [] == errors
    with db.session_scope(backend.database_url) as session:
        turns = session.exec(select(Turn).order_by(col(Turn.attempt_id), col(Turn.position))).all()
        recordings = session.exec(select(Recording)).all()
    shapes = {
        attempt_id: [(t.speaker, t.status) for t in turns if t.attempt_id == attempt_id]
        for attempt_id in calls.values()
    }
    expected = [
        ("customer", "done"),
        ("agent", "done"),
        ("customer", "done"),
        ("agent", "failed"),  # stored, linked, and waiting to be recorded again
    ]
    assert dict.fromkeys(calls.values(), expected) == shapes
    linked = {t.recording_id for t in turns if t.recording_id is not None}
    assert (1, {recordings[0].id}) == (len(recordings), linked)  # same bytes: stored once


ANSWER_IN_A_SERVER = """
import sys
from trainer import services
from trainer.domain import simulator
from trainer.config import get_settings
from trainer.services import practice

settings = get_settings()
anna = services.authenticate(settings=settings, username="anna", password="callcoach-demo")
practice.answer_with_audio(
    settings=settings, actor=anna, attempt_id=int(sys.argv[1]),
    data=open(sys.argv[2], "rb").read(), audio_format="wav", position=1,
)
"""


def _stored_answer(settings: Settings, attempt_id: int) -> Turn | None:
    with db.session_scope(settings.database_url) as session:
        query = select(Turn).where(Turn.attempt_id == attempt_id, Turn.position == 1)
        return session.exec(query).first()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_server_killed_mid_transcription_loses_nothing(settings: Settings) -> None:
    """SIGKILL while an answer is being transcribed: after a restart the call resumes with
    the answer's audio and every turn, and the answer is transcribed and answered."""
    anna = demo_user(settings)
    call = practice.start_practice(settings=settings, actor=anna, scenario_id=SCENARIO)
    wav = speak("Hello, my name is Anna. I am sorry about the delay.", "en")
    with subprocess.Popen(
        [sys.executable, "-c", ANSWER_IN_A_SERVER, str(call.attempt_id), str(wav)],
        env=settings_env(settings),
    ) as server:
        deadline = time.monotonic() + 300
        while _stored_answer(settings, call.attempt_id) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)  # the model is loading or transcribing now
        server.wait()
    left = _stored_answer(settings, call.attempt_id)
    assert left is not None and "recorded" == left.status  # killed before any transcript
    resumed = practice.current_practice(settings=settings, actor=anna)
    assert resumed is not None and resumed.waiting_for_retry
    audio = resumed.turns[1].audio_path
    assert audio is not None and wav.read_bytes() == audio.read_bytes()
    done = practice.retry_transcription(settings=settings, actor=anna, attempt_id=call.attempt_id)
    assert [("customer", "done"), ("agent", "done"), ("customer", "done")] == [
        (t.speaker, t.status) for t in done.turns
    ]
    assert "sorry" in done.turns[1].text.lower()
    assert [Path(audio)] == list(settings.recordings_dir.glob("??/*.wav"))
