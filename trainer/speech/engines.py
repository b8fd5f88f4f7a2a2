"""The two Whisper engines behind one interface, found by name in a registry.

faster-whisper (CTranslate2) and openai-whisper (PyTorch, the reference) run the same
weights (trainer/speech/models.py) with the same decoding settings (:data:`DECODING`), so
their results compare fairly. An engine is loaded once per process and reused; two first
uses at once take turns. What they are given (voiced speech, a prompt) and what is made of
their segments is trainer/speech/transcription.py's work.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from scoring.registry import Registry
from trainer.errors import CallcoachError, Err
from trainer.speech import models as whisper_models
from trainer.speech.audio import SAMPLE_RATE, Samples


@dataclass(frozen=True)
class HeardWord:
    """One word with its time span (seconds) and Whisper's confidence."""

    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of speech by one speaker."""

    start: float
    end: float
    text: str
    words: tuple[HeardWord, ...]
    speaker: str = "agent"


@dataclass(frozen=True)
class EngineResult:
    """What an engine hands back: the language it used and its segments."""

    language: str
    segments: list[Segment]


@dataclass(frozen=True)
class Decoding:
    """Decoding settings shared by both engines; the caps keep garbled audio from looping."""

    beam_size: int = 1
    temperatures: tuple[float, ...] = (0.0, 0.4, 0.8)
    max_new_tokens: int = 224  # per 30 s window: half of Whisper's text context
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    time_limit_base_s: float = 60.0
    time_limit_per_audio_s: float = 3.0

    def time_limit_s(self, duration_s: float) -> float:
        """Wall-clock budget for one clip: generous, only there to stop a runaway decoder."""
        return self.time_limit_base_s + self.time_limit_per_audio_s * duration_s


DECODING = Decoding()


class Engine(Protocol):
    """A loaded Whisper model that turns 16 kHz mono speech into segments."""

    def transcribe(
        self, speech: Samples, *, language: str | None, prompt: str | None = None
    ) -> EngineResult:
        """Transcribe speech (already cut to voiced parts); language None means detect;
        `prompt` is Whisper's initial prompt (the vocabulary to expect)."""
        ...


@dataclass(frozen=True)
class ModelRequest:
    """Which model to load, where from, on which device."""

    model: str
    models_dir: Path
    device: str  # "cpu" or "cuda"
    allow_download: bool


EngineLoader = Callable[[ModelRequest], Engine]
ENGINES: Registry[EngineLoader] = Registry("recognition engine")
register_engine = ENGINES.register


# -- faster-whisper (CTranslate2) ----------------------------------------------------------


class FasterWhisperEngine:
    """faster-whisper: int8 on CPU, float16 on CUDA."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def transcribe(
        self, speech: Samples, *, language: str | None, prompt: str | None = None
    ) -> EngineResult:
        """Transcribe, stopping at the time limit rather than decoding forever."""
        pieces, info = self.model.transcribe(
            speech,
            language=language,
            initial_prompt=prompt,
            beam_size=DECODING.beam_size,
            temperature=list(DECODING.temperatures),
            max_new_tokens=DECODING.max_new_tokens,
            compression_ratio_threshold=DECODING.compression_ratio_threshold,
            log_prob_threshold=DECODING.log_prob_threshold,
            no_speech_threshold=DECODING.no_speech_threshold,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,  # done once, for both engines, in transcribe_audio
        )
        deadline = time.monotonic() + DECODING.time_limit_s(len(speech) / SAMPLE_RATE)
        segments = [_segment(piece) for piece in _until(pieces, deadline)]
        return EngineResult(language=info.language, segments=segments)


def _until(items: Iterable[Any], deadline: float) -> Iterator[Any]:
    for item in items:
        yield item
        if time.monotonic() > deadline:
            return


def _segment(piece: Any) -> Segment:
    words = tuple(HeardWord(w.start, w.end, w.word, w.probability) for w in piece.words or ())
    return Segment(piece.start, piece.end, piece.text, words)


def cpu_threads() -> int:
    """Threads per model: OMP_NUM_THREADS when set, else every core this process may use.

    `callcoach batch` workers share the cores through OMP_NUM_THREADS; ctranslate2's own
    default of 4 threads oversubscribes small CPUs.
    """
    configured = os.environ.get("OMP_NUM_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0))


@register_engine("faster-whisper")
def load_faster_whisper(request: ModelRequest) -> Engine:
    """A faster-whisper model from the models folder (or by name from a hub, if allowed)."""
    from faster_whisper import WhisperModel

    folder = whisper_models.engine_dir(request.models_dir, request.model, "faster-whisper")
    source = _local_or_name(request, "faster-whisper", folder)
    compute_type = "float16" if request.device == "cuda" else "int8"
    model = _load(
        request,
        "faster-whisper",
        lambda: WhisperModel(
            source,
            device=request.device,
            compute_type=compute_type,
            cpu_threads=cpu_threads(),
            download_root=str(request.models_dir / "hub"),
        ),
    )
    return FasterWhisperEngine(model)


# -- openai-whisper (PyTorch reference) ---------------------------------------------------


class OpenAIWhisperEngine:
    """openai-whisper, the reference implementation; fp16 on CUDA, fp32 on CPU."""

    def __init__(self, model: Any, device: str) -> None:
        self.model = model
        self.fp16 = device == "cuda"
        self.lock = threading.Lock()  # one PyTorch model is not safe to share across threads

    def transcribe(
        self, speech: Samples, *, language: str | None, prompt: str | None = None
    ) -> EngineResult:
        """Transcribe with the same settings (and prompt) as faster-whisper."""
        with self.lock:
            result = self.model.transcribe(
                speech,
                language=language,
                initial_prompt=prompt,
                beam_size=DECODING.beam_size if DECODING.beam_size > 1 else None,
                temperature=DECODING.temperatures,
                sample_len=DECODING.max_new_tokens,
                compression_ratio_threshold=DECODING.compression_ratio_threshold,
                logprob_threshold=DECODING.log_prob_threshold,
                no_speech_threshold=DECODING.no_speech_threshold,
                condition_on_previous_text=False,
                word_timestamps=True,
                fp16=self.fp16,
                verbose=None,
            )
        segments = [_openai_segment(piece) for piece in result["segments"]]
        return EngineResult(language=str(result["language"]), segments=segments)


def _openai_segment(piece: dict[str, Any]) -> Segment:
    words = tuple(
        HeardWord(w["start"], w["end"], w["word"], w["probability"]) for w in piece.get("words", ())
    )
    return Segment(piece["start"], piece["end"], piece["text"], words)


@register_engine("openai-whisper")
def load_openai_whisper(request: ModelRequest) -> Engine:
    """The converted openai-whisper checkpoint (or by name from a hub, if allowed)."""
    import whisper

    checkpoint = whisper_models.openai_checkpoint(request.models_dir, request.model)
    source = _local_or_name(request, "openai-whisper", checkpoint)
    model = _load(
        request,
        "openai-whisper",
        lambda: whisper.load_model(
            source, device=request.device, download_root=str(request.models_dir / "hub")
        ),
    )
    if checkpoint.is_file():
        _set_alignment_heads(model, checkpoint)
    return OpenAIWhisperEngine(model, request.device)


def _set_alignment_heads(model: Any, checkpoint: Path) -> None:
    """Use the model's own word-timing heads, as faster-whisper does (from config.json)."""
    import torch

    heads = torch.load(checkpoint, map_location="cpu", weights_only=True).get("alignment_heads")
    if not heads:
        return
    mask = torch.zeros(model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool)
    for layer, head in heads:
        mask[layer, head] = True
    model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)


# -- loading, once per process -------------------------------------------------------------


def _local_or_name(request: ModelRequest, engine: str, path: Path) -> str:
    """The installed model's path; its bare name only where a model hub may be used."""
    if whisper_models.is_installed(request.models_dir, request.model, engine):
        return str(path)
    if request.allow_download:
        return request.model
    raise CallcoachError(Err.MODEL_NOT_INSTALLED, model=request.model, engine=engine, path=path)


def _load(request: ModelRequest, engine: str, load: Callable[[], Any]) -> Any:
    try:
        return load()
    except (RuntimeError, OSError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CallcoachError(
            Err.MODEL_LOAD_FAILED, engine=engine, model=request.model, reason=reason
        ) from None


# Two first uses at once (the app's start-up warm-up and a trainee's first answer) would
# each load the model, doubling the wait on a small CPU: loads take turns, and the second
# finds the first's engine.
_LOADING = threading.Lock()
_LOADED: dict[tuple[str, ModelRequest], Engine] = {}


@functools.cache
def get_engine(engine: str, request: ModelRequest) -> Engine:
    """The loaded engine, created on first use and reused for the life of the process."""
    if engine not in ENGINES:
        raise CallcoachError(Err.UNKNOWN_ENGINE, engine=engine, choices=", ".join(ENGINES))
    with _LOADING:
        if (engine, request) not in _LOADED:
            _LOADED[engine, request] = ENGINES[engine](request)
        return _LOADED[engine, request]


def resolve_device(setting: str, engine: str) -> str:
    """'cpu' or 'cuda': the setting, with 'auto' meaning CUDA when the engine sees a GPU."""
    if setting != "auto":
        return setting
    if engine == "openai-whisper":
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
