"""One recorded call to a scorecard, without a database: decode, transcribe, speakers, score.

The upload worker, `callcoach batch` and `callcoach score AUDIO` all go through
:func:`analyse_call`, so a call gets the same scorecard whichever way it came in.

Speakers: a stereo call has one side per channel (left = agent unless `channels` says
otherwise). A mono call mixes both voices; :func:`trainer.speech.speakers.assign_speakers` tells
them apart and says how, and how sure it is (``speaker_method``, ``speaker_confidence``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.lexicon import Lexicon
from scoring.rubric import Rubric, load_rubric
from scoring.scorecard import Scorecard, score_transcript
from scoring.transcript import Transcript, parse_mapping
from scoring.vocabulary import LANGUAGES, SPEAKERS
from trainer.config import Settings
from trainer.domain.scenario import Scenario
from trainer.speech import speakers, transcription
from trainer.speech.audio import Audio, file_sha256, load_audio

STEREO_METHOD = "stereo: left = {left}, right = {right}"
TURN_PAUSE_S = 1.0  # a pause this long inside one segment is where the other side spoke
LOW_SPEAKER_CONFIDENCE = 0.6  # below it a person should check who said what
CHECK_SPEAKERS = (
    "the speakers were told apart with low confidence ({confidence:.2f}): check them in the "
    "transcript"
)

LexiconFor = Callable[[str], Lexicon]


@dataclass(frozen=True)
class CallAnalysis:
    """A recorded call transcribed, its speakers assigned, and scored."""

    file: str  # name or path as given
    sha256: str
    duration_s: float
    language: str
    channels: int  # 1 or 2 as recorded
    speaker_method: str  # "stereo: left = agent, right = customer" or the mono method
    speaker_confidence: float  # 1.0 for stereo
    transcript: dict[str, Any]  # the transcribe contract, speakers set
    scorecard: Scorecard  # may be unscorable, with its reason
    engine: str
    model: str
    rubric_version: str

    @property
    def speakers_uncertain(self) -> bool:
        """True when a person should check the speaker of each turn."""
        return self.speaker_confidence < LOW_SPEAKER_CONFIDENCE

    @property
    def warnings(self) -> list[str]:
        """Decoding and transcription warnings, and a low speaker confidence."""
        found = list(self.transcript.get("warnings", []))
        if self.speakers_uncertain:
            found.append(CHECK_SPEAKERS.format(confidence=self.speaker_confidence))
        return found

    def to_json(self) -> dict[str, Any]:
        """One JSON Lines record of `callcoach batch`: provenance, speakers and scorecard."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "duration_s": self.duration_s,
            "language": self.language,
            "channels": self.channels,
            "speaker_method": self.speaker_method,
            "speaker_confidence": self.speaker_confidence,
            "engine": self.engine,
            "model": self.model,
            "rubric_version": self.rubric_version,
            "scorecard": self.scorecard.to_json(),
            "warnings": self.warnings,
        }


def stereo_sides(speaker_method: str) -> tuple[str, str] | None:
    """(left, right) speakers of a stereo call's method sentence; None for a mono call."""
    for left, right in ((a, b) for a in SPEAKERS for b in SPEAKERS):
        if speaker_method == STEREO_METHOD.format(left=left, right=right):
            return left, right
    return None


def processing_key(sha256: str, *, engine: str, model: str, rubric_version: str) -> str:
    """The same file with the same engine, model and rubric → the same key (done once)."""
    return f"analyse-call:{sha256}:{engine}:{model}:{rubric_version}"


def rubric_version(rubric: Rubric | None) -> str:
    """The version scores will record: the given rubric's, or the packaged one's."""
    return (rubric or load_rubric()).version


def analyse_call(
    source: Path | bytes,
    *,
    settings: Settings,
    name: str | None = None,
    language: str | None = None,
    channels: tuple[str, str] | None = None,
    scenario: Scenario | None = None,
    rubric: Rubric | None = None,
    lexicon_for: LexiconFor | None = None,
    vocabulary: Sequence[str] = (),
) -> CallAnalysis:
    """Transcribe and score one call; coded errors for bad audio (E3xx) or no speech (E403).

    `channels` names the speakers of the left and right channel of a stereo call;
    `rubric` and `lexicon_for` (language → lexicon) default to the packaged ones;
    `vocabulary` holds names and terms recognition should expect.
    """
    file = name or (str(source) if isinstance(source, Path) else "recording")
    audio = load_audio(source, settings=settings, name=Path(file).name)
    transcript = transcription.transcribe_decoded(
        audio, settings=settings, language=language, channels=channels, vocabulary=vocabulary
    )
    transcript["file"] = file
    transcript["segments"] = split_at_pauses(transcript["segments"])
    method, confidence = _assign_speakers(audio, transcript, channels)
    spoken = language or transcript["language"]
    card = score_call(
        parse_mapping(transcript, source=file),
        language=spoken,
        rubric=rubric,
        lexicon=lexicon_for(spoken) if lexicon_for and spoken in LANGUAGES else None,
        scenario=scenario,
        source=file,
    )
    return CallAnalysis(
        file=file,
        sha256=hashlib.sha256(source).hexdigest()
        if isinstance(source, bytes)
        else file_sha256(source),
        duration_s=transcript["duration_s"],
        language=card.language,
        channels=audio.channel_count,
        speaker_method=method,
        speaker_confidence=confidence,
        transcript=transcript,
        scorecard=card,
        engine=transcript["engine"],
        model=transcript["model"],
        rubric_version=card.rubric_version,
    )


def split_at_pauses(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Segments cut where their words pause for TURN_PAUSE_S, in time order.

    Whisper reads a channel's speech joined without its silences, so one segment can run
    across the other side's turn; cut there, each piece takes its place in the call.
    """
    pieces: list[dict[str, Any]] = []
    for segment in segments:
        runs: list[list[dict[str, Any]]] = []
        for word in segment.get("words") or []:
            if runs and word["start"] - runs[-1][-1]["end"] < TURN_PAUSE_S:
                runs[-1].append(word)
            else:
                runs.append([word])
        if len(runs) < 2:
            pieces.append(segment)
            continue
        pieces += [_piece(segment, run) for run in runs]
    return sorted(pieces, key=lambda piece: (piece["start"], piece["end"]))


def _piece(segment: dict[str, Any], words: list[dict[str, Any]]) -> dict[str, Any]:
    text = " ".join(str(word["word"]).strip() for word in words)
    return {
        **segment,
        "start": words[0]["start"],
        "end": words[-1]["end"],
        "text": text,
        "words": words,
    }


def _assign_speakers(
    audio: Audio, transcript: dict[str, Any], channels: tuple[str, str] | None
) -> tuple[str, float]:
    """Set each segment's speaker; returns the method sentence and its confidence."""
    if transcription.two_sided(audio):
        left, right = channels or transcription.DEFAULT_CHANNELS
        return STEREO_METHOD.format(left=left, right=right), 1.0
    assignment = speakers.assign_speakers(
        audio.mono(), transcript["segments"], language=transcript["language"]
    )
    transcript["segments"] = assignment.segments
    return assignment.method, assignment.confidence


def score_call(
    transcript: Transcript,
    *,
    language: str | None = None,
    rubric: Rubric | Path | None = None,
    lexicon: Lexicon | None = None,
    scenario: Scenario | None = None,
    source: str = "call",
) -> Scorecard:
    """Score a parsed call against the scenario's requirements, if it has a scenario."""
    return score_transcript(
        transcript.turns,
        language=language or transcript.language,
        rubric=rubric,
        lexicon=lexicon,
        scenario=scenario.scoring_requirements() if scenario else None,
        duration_s=transcript.duration_s,
        source=source,
    )
