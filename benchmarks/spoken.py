"""Labelled calls as they reach the scorer through speech: agent turns spoken, then transcribed.

Each agent turn is synthesised (English: espeak-ng, Russian: festival), optionally sent at
telephone quality (8 kHz), transcribed with the default engine and model, and put back in
place of the written text; the labels stay. Customer turns stay written: the question is
what recognition does to the scorer's reading of the agent. Transcripts are kept in a
cache folder keyed by text, language, rate and model, so a second run only scores.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from rich.progress import Progress

from scoring.training.dialogues import Dialogue
from tests.audio_samples import encode, read_wav, speak
from trainer.config import Settings
from trainer.speech import transcription
from trainer.speech.voice import spoken_text

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "spoken-stages"
RATES_HZ = (16_000, 8_000)


def heard(text: str, language: str, rate_hz: int, settings: Settings) -> str:
    """What the recogniser makes of `text` spoken at `rate_hz` (cached)."""
    key = f"{settings.asr_engine}/{settings.asr_model}/{language}/{rate_hz}/{text}"
    path = CACHE / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.json"
    if path.exists():
        return str(json.loads(path.read_text(encoding="utf-8"))["text"]).strip()
    samples, rate = read_wav(speak(spoken_text(text, language), language))
    audio = encode(samples, rate, "wav", out_rate=rate_hz)
    result = transcription.transcribe_file(audio, settings=settings, language=language)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"text": result["text"]}, ensure_ascii=False), encoding="utf-8")
    return str(result["text"]).strip()


def spoken_dialogues(
    dialogues: list[Dialogue], language: str, rate_hz: int, settings: Settings
) -> list[Dialogue]:
    """The dialogues with every agent turn replaced by its transcript; a progress bar meanwhile."""
    agent_turns = sum(turn.speaker == "A" for d in dialogues for turn in d.turns)
    spoken: list[Dialogue] = []
    with Progress(transient=True) as bar:
        task = bar.add_task(f"{language} at {rate_hz // 1000} kHz", total=agent_turns)
        for dialogue in dialogues:
            turns = []
            for turn in dialogue.turns:
                if turn.speaker == "A":
                    turn = replace(turn, text=heard(turn.text, language, rate_hz, settings))
                    bar.advance(task)
                turns.append(turn)
            spoken.append(Dialogue(dialogue.name, turns))
    return spoken
