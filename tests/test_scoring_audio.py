"""`callcoach score` on a real stereo call recording: transcribed per channel, then scored."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.audio_samples import Samples, encode, read_wav, silence, speak, stereo
from tests.cli_runner import run_cli
from trainer.config import Settings

GREETING = "Good morning, thank you for calling Northwind. My name is Anna. How can I help you?"
TURNS = [
    ("agent", GREETING),
    ("customer", "Hello. My parcel has not arrived and I need it for a trip on Friday."),
    ("agent", "I am sorry to hear that. Could you give me your order number, please?"),
    ("customer", "Yes, it is four four seven one."),
    ("agent", "Thank you. I can send you a replacement today, it will arrive tomorrow."),
    ("customer", "That is great, thank you."),
    ("agent", "Is there anything else I can help you with? Thank you for calling, goodbye."),
]
GAP_S = 0.6  # silence between turns, on both channels


def call_channels(turns: list[tuple[str, str]]) -> tuple[Samples, int]:
    """Left channel the agent, right the customer, one speaking while the other is silent."""
    channels: dict[str, list[Samples]] = {"agent": [], "customer": []}
    rate = 0
    for speaker, text in turns:
        speech, rate = read_wav(speak(text, "en"))
        turn = np.concatenate([speech, silence(GAP_S, rate)])
        for side, part in channels.items():
            part.append(turn if side == speaker else np.zeros_like(turn))
    left, right = (np.concatenate(channels[side]) for side in ("agent", "customer"))
    return stereo(left, right), rate


@pytest.fixture(scope="module")
def stereo_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthesised two-speaker stereo call as a WAV file."""
    samples, rate = call_channels(TURNS)
    path = tmp_path_factory.mktemp("audio") / "call.wav"
    path.write_bytes(encode(samples, rate, "wav"))
    return path


@pytest.mark.slow
def test_stereo_call_recording_is_scored(stereo_call: Path, settings: Settings) -> None:
    """A stereo call is transcribed per channel and scored; the greeting cites the first turn."""
    done = run_cli("score", str(stereo_call), "--json", settings=settings)
    assert 0 == done.returncode, done.stderr
    card = json.loads(done.stdout)
    first_agent = next(u["index"] for u in card["utterances"] if u["speaker"] == "agent")
    greeting_sources = {e["utterance"] for e in card["criteria"]["greeting"]["evidence"]}
    summary = (
        card.get("unscorable"),
        card["language"],
        card["utterances"][0]["speaker"],
        {u["speaker"] for u in card["utterances"]},
        first_agent in greeting_sources,
        "greeting" in card["utterances"][first_agent]["stages"],
        card["criteria"]["greeting"]["missed"],
    )
    assert (None, "en", "agent", {"agent", "customer"}, True, True, []) == summary
