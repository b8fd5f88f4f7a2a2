"""Speech to text: choose an engine (trainer/speech/engines.py), find the speech, transcribe
each channel and put the segments together.

Both engines get the same voice-activity detection done here, so their results compare
fairly. The result is the `callcoach transcribe --json` contract of DESIGN.md.

A vocabulary (the scenario's company, customer name, order numbers, the customer's last
line; for uploaded calls the team's list) goes to both engines as Whisper's initial prompt,
so names it would otherwise mishear ("Sunny Cycles", not "so disciples") are expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from scoring.vocabulary import LANGUAGES, SPEAKERS
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.speech import models as whisper_models
from trainer.speech.audio import SAMPLE_RATE, Audio, Samples, load_audio
from trainer.speech.engines import (
    ENGINES,
    Engine,
    EngineResult,
    ModelRequest,
    Segment,
    get_engine,
    resolve_device,
)

DEFAULT_CHANNELS = ("agent", "customer")  # left, right


PROMPT_MAX_CHARS = 600  # Whisper reads at most 223 prompt tokens; it keeps the last ones


def vocabulary_prompt(terms: Sequence[str]) -> str | None:
    """The initial prompt for a vocabulary: its terms in order, each once; None for none.

    Cut from the front when too long, as Whisper would, so the last terms always count.
    """
    unique = [term.strip() for term in dict.fromkeys(terms) if term.strip()]
    if not unique:
        return None
    prompt = ", ".join(term.rstrip(".") for term in unique) + "."
    return prompt[-PROMPT_MAX_CHARS:].lstrip(" ,")


# -- voice activity detection, shared by both engines --------------------------------------


@dataclass(frozen=True)
class Speech:
    """The voiced parts of a clip joined together, and the map back to original times."""

    samples: Samples
    chunks: list[dict[str, int]]
    timeline: Any  # faster_whisper.vad.SpeechTimestampsMap

    def original_time(self, seconds: float, chunk_index: int) -> float:
        """A time in the joined speech as a time in the original clip."""
        return float(self.timeline.get_original_time(seconds, chunk_index))

    def chunk_of(self, seconds: float) -> int:
        """Which voiced chunk a time in the joined speech falls in."""
        return int(self.timeline.get_chunk_index(seconds))


def find_speech(samples: Samples) -> Speech:
    """Silero VAD (faster-whisper's): keeps speech, drops silence and most noise."""
    from faster_whisper.vad import SpeechTimestampsMap, VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(samples, VadOptions(), sampling_rate=SAMPLE_RATE)
    voiced = [samples[chunk["start"] : chunk["end"]] for chunk in chunks]
    joined = np.concatenate(voiced) if voiced else np.zeros(0, dtype=np.float32)
    timeline = SpeechTimestampsMap(chunks, SAMPLE_RATE)
    return Speech(joined.astype(np.float32, copy=False), chunks, timeline)


def restore_times(segment: Segment, speech: Speech) -> Segment:
    """Move a segment's and its words' times from the joined speech to the original clip."""
    words = []
    for word in segment.words:
        chunk = speech.chunk_of((word.start + word.end) / 2)
        start, end = speech.original_time(word.start, chunk), speech.original_time(word.end, chunk)
        words.append(replace(word, start=start, end=end))
    if words:
        return replace(segment, start=words[0].start, end=words[-1].end, words=tuple(words))
    start_chunk, end_chunk = speech.chunk_of(segment.start), speech.chunk_of(segment.end)
    return replace(
        segment,
        start=speech.original_time(segment.start, start_chunk),
        end=speech.original_time(segment.end, end_chunk),
    )


# -- public API ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """The engine, model and language a transcription runs with, checked."""

    engine: str
    model: str
    language: str | None


def choose(
    settings: Settings, engine: str | None, model: str | None, language: str | None
) -> Choice:
    """Fill in defaults from settings and refuse unknown or impossible combinations."""
    chosen = Choice(engine or settings.asr_engine, model or settings.asr_model, language or None)
    if chosen.engine not in ENGINES:
        raise CallcoachError(Err.UNKNOWN_ENGINE, engine=chosen.engine, choices=", ".join(ENGINES))
    whisper_models.model_source(chosen.model)
    if chosen.language not in (None, *LANGUAGES):
        raise CallcoachError(Err.LANGUAGE_UNSUPPORTED, language=chosen.language)
    if chosen.model.endswith(".en"):
        if chosen.language not in (None, "en"):
            raise CallcoachError(Err.MODEL_LANGUAGE, model=chosen.model, language=language)
        return replace(chosen, language="en")
    return chosen


def load_engine(
    settings: Settings, *, engine: str | None = None, model: str | None = None
) -> Engine:
    """The engine and model (settings' defaults unless named), loaded once and reused."""
    choice = choose(settings, engine, model, None)
    try:
        request = ModelRequest(
            model=choice.model,
            models_dir=settings.models_dir,
            device=resolve_device(settings.asr_device, choice.engine),
            allow_download=settings.asr_allow_download,
        )
        return get_engine(choice.engine, request)
    except ModuleNotFoundError as error:
        raise engine_missing(choice.engine, error) from None


def engine_missing(engine: str, error: ModuleNotFoundError) -> CallcoachError:
    """E002 for an engine whose Python package is not installed."""
    what = f"The {engine} engine (Python module '{error.name}')"
    return CallcoachError(Err.DEPENDENCY_MISSING, what=what, fix="make setup")


def transcribe_channel(
    samples: Samples,
    *,
    engine: Engine,
    language: str | None,
    speaker: str,
    prompt: str | None = None,
) -> EngineResult | None:
    """One channel's segments in original time, or None when it holds no speech."""
    speech = find_speech(samples)
    if not speech.chunks:
        return None
    result = engine.transcribe(speech.samples, language=language, prompt=prompt)
    segments = [
        replace(restore_times(segment, speech), speaker=speaker)
        for segment in result.segments
        if segment.text.strip()
    ]
    return EngineResult(language=result.language, segments=segments)


def transcribe_audio(
    samples: Samples,
    *,
    settings: Settings,
    engine: str | None = None,
    model: str | None = None,
    language: str | None = None,
    speaker: str = "agent",
    name: str = "recording",
    vocabulary: Sequence[str] = (),
) -> dict[str, Any]:
    """Transcribe 16 kHz mono float32 samples; the transcribe contract dict."""
    if samples.ndim != 1:
        raise ValueError("transcribe_audio takes mono samples; use transcribe_file for stereo")
    audio = Audio(samples.reshape(1, -1).astype(np.float32, copy=False), name, SAMPLE_RATE, "pcm")
    _check_length(audio, settings)
    choice = choose(settings, engine, model, language)
    return _transcribe(audio, settings, choice, _speakers(audio, None, speaker), vocabulary)


def transcribe_file(
    source: Path | str | bytes,
    *,
    settings: Settings,
    engine: str | None = None,
    model: str | None = None,
    language: str | None = None,
    channels: tuple[str, str] | None = None,
    speaker: str = "agent",
    vocabulary: Sequence[str] = (),
) -> dict[str, Any]:
    """Decode and transcribe a file (path or bytes); stereo calls split by `channels`;
    `vocabulary`: names and numbers to expect (see `vocabulary_prompt`)."""
    choose(settings, engine, model, language)  # refuse a bad choice before decoding
    audio = load_audio(source, settings=settings)
    result = transcribe_decoded(
        audio,
        settings=settings,
        engine=engine,
        model=model,
        language=language,
        channels=channels,
        speaker=speaker,
        vocabulary=vocabulary,
    )
    result["file"] = str(source) if not isinstance(source, bytes) else audio.name
    return result


def transcribe_decoded(
    audio: Audio,
    *,
    settings: Settings,
    engine: str | None = None,
    model: str | None = None,
    language: str | None = None,
    channels: tuple[str, str] | None = None,
    speaker: str = "agent",
    vocabulary: Sequence[str] = (),
) -> dict[str, Any]:
    """Transcribe audio decoded already (`load_audio`); stereo calls split by `channels`."""
    choice = choose(settings, engine, model, language)
    speakers = _speakers(audio, channels, speaker)
    return _transcribe(audio, settings, choice, speakers, vocabulary)


def _check_length(audio: Audio, settings: Settings) -> None:
    if audio.duration_s == 0:
        raise CallcoachError(Err.AUDIO_NO_SAMPLES, name=audio.name)
    if audio.duration_s > settings.max_audio_s:
        raise CallcoachError(
            Err.AUDIO_TOO_LONG,
            name=audio.name,
            duration_s=audio.duration_s,
            limit_s=settings.max_audio_s,
        )


def _speakers(audio: Audio, channels: tuple[str, str] | None, speaker: str) -> tuple[str, ...]:
    """One speaker per channel to transcribe: stereo splits unless both sides are the same."""
    if speaker not in SPEAKERS:
        raise CallcoachError(Err.UNKNOWN_SPEAKER, speaker=speaker)
    if two_sided(audio):
        return channels or DEFAULT_CHANNELS
    return (speaker,)


def two_sided(audio: Audio) -> bool:
    """A stereo call with one side per channel (two equal channels are mono in disguise)."""
    return audio.channel_count == 2 and not np.array_equal(audio.channels[0], audio.channels[1])


def parse_channels(value: str) -> tuple[str, str]:
    """'agent,customer' → ('agent', 'customer'): left and right speakers, both named once."""
    names = tuple(part.strip().lower() for part in value.split(","))
    if len(names) != 2 or set(names) != set(SPEAKERS):
        raise CallcoachError(Err.BAD_CHANNEL_MAP, value=value)
    return names[0], names[1]


def _transcribe(
    audio: Audio,
    settings: Settings,
    choice: Choice,
    speakers: tuple[str, ...],
    vocabulary: Sequence[str],
) -> dict[str, Any]:
    engine = load_engine(settings, engine=choice.engine, model=choice.model)
    tracks = [audio.channels[0]] if len(speakers) == 1 else list(audio.channels)
    language, prompt = choice.language, vocabulary_prompt(vocabulary)
    segments: list[Segment] = []
    for samples, speaker in zip(tracks, speakers, strict=True):
        found = transcribe_channel(
            samples, engine=engine, language=language, speaker=speaker, prompt=prompt
        )
        if found is not None:
            language = language or found.language  # both sides of a call speak one language
            segments += found.segments
    segments.sort(key=lambda segment: (segment.start, segment.end))
    warnings = list(audio.warnings)
    if not segments:
        warnings.append("no speech was found in the recording")
    return _contract(audio, choice, language or settings.default_language, segments, warnings)


def _contract(
    audio: Audio, choice: Choice, language: str, segments: list[Segment], warnings: list[str]
) -> dict[str, Any]:
    """The `callcoach transcribe --json` object (DESIGN.md), plus any warnings."""
    return {
        "file": audio.name,
        "engine": choice.engine,
        "model": choice.model,
        "language": language,
        "duration_s": round(audio.duration_s, 2),
        "text": " ".join(segment.text.strip() for segment in segments),
        "segments": [_segment_dict(segment) for segment in segments],
        "warnings": warnings,
    }


def _segment_dict(segment: Segment) -> dict[str, Any]:
    return {
        "start": round(segment.start, 2),
        "end": round(segment.end, 2),
        "speaker": segment.speaker,
        "text": segment.text.strip(),
        "words": [
            {
                "start": round(word.start, 2),
                "end": round(word.end, 2),
                "word": word.word.strip(),
                "probability": round(word.probability, 3),
            }
            for word in segment.words
        ],
    }
