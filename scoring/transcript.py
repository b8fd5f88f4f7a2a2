"""Transcript input: turn JSON, the transcribe output, or 'Agent:' / 'Customer:' text.

Everything becomes a list of :class:`Utterance` with speaker ``agent`` or ``customer``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring.errors import ScoreErr, ScoringError
from scoring.vocabulary import LANGUAGES

AGENT = "agent"
CUSTOMER = "customer"

SPEAKER_ALIASES: dict[str, str] = {
    **dict.fromkeys(["agent", "operator", "assistant", "оператор", "агент", "менеджер"], AGENT),
    **dict.fromkeys(
        ["customer", "client", "caller", "user", "клиент", "покупатель", "абонент"], CUSTOMER
    ),
}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
_LABEL = re.compile(r"^\s*([^\W\d_][\w .'-]{0,30}?)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Word:
    """One timed word from speech recognition."""

    word: str
    start: float
    end: float


@dataclass(frozen=True)
class Utterance:
    """One turn of the call; times in seconds from the start, when known."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    words: tuple[Word, ...] = field(default_factory=tuple)

    @property
    def is_agent(self) -> bool:
        """True for the trainee's (agent's) turns."""
        return self.speaker == AGENT


@dataclass(frozen=True)
class Transcript:
    """Turns of one call, with the language and length the input stated, if any."""

    turns: list[Utterance]
    language: str | None = None
    duration_s: float | None = None


def normalise_speaker(raw: object, *, source: str, where: str) -> str:
    """Map a speaker label (any case, en/ru aliases) to 'agent' or 'customer'."""
    key = str(raw).strip().lower()
    if key not in SPEAKER_ALIASES:
        raise ScoringError(ScoreErr.UNKNOWN_SPEAKER, source=source, speaker=raw, where=where)
    return SPEAKER_ALIASES[key]


def parse_text(text: str, *, source: str = "transcript") -> list[Utterance]:
    """Parse 'Agent: ...' / 'Customer: ...' lines; unlabelled lines continue the turn above."""
    turns: list[Utterance] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label = _LABEL.match(line)
        if label:
            speaker = normalise_speaker(label[1], source=source, where=f"line {number}")
            turns.append(Utterance(speaker=speaker, text=label[2].strip()))
        elif turns:
            last = turns[-1]
            turns[-1] = Utterance(speaker=last.speaker, text=f"{last.text} {line.strip()}")
        else:
            raise ScoringError(
                ScoreErr.UNKNOWN_SPEAKER, source=source, speaker=line.strip()[:30], where="line 1"
            )
    return _require_speech(turns, source)


def parse_json(text: str, *, source: str = "transcript") -> Transcript:
    """Parse turn JSON or the transcribe output."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ScoringError(ScoreErr.TRANSCRIPT_NOT_JSON, source=source, reason=error) from error
    except ValueError as error:
        raise ScoringError(ScoreErr.TRANSCRIPT_NOT_JSON, source=source, reason=error) from None
    except RecursionError:
        reason = "it is nested too deeply"
        raise ScoringError(ScoreErr.TRANSCRIPT_NOT_JSON, source=source, reason=reason) from None
    return parse_mapping(data, source=source)


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (and would make the scorecard's JSON invalid)."""
    raise ValueError(f"{name} is not a number JSON allows")


def parse_mapping(data: Any, *, source: str = "transcript") -> Transcript:
    """Turns from an already-decoded transcript or transcribe-output object."""
    if not isinstance(data, dict):
        raise ScoringError(ScoreErr.TRANSCRIPT_SHAPE, source=source, reason="top level is not {}")
    raw_turns = data.get("turns", data.get("segments"))
    if not isinstance(raw_turns, list):
        raise ScoringError(
            ScoreErr.TRANSCRIPT_SHAPE, source=source, reason="no 'turns' or 'segments' list"
        )
    from_speech = "segments" in data and "turns" not in data
    # The transcribe output of a one-channel answer has no speaker: it is the trainee.
    default = AGENT if from_speech else None
    turns = [_turn(raw, index, source, default) for index, raw in enumerate(raw_turns)]
    if from_speech:
        turns = merge_segments(turns)
    language = data.get("language")
    return Transcript(
        _require_speech(turns, source),
        language if isinstance(language, str) else None,
        _seconds(data.get("duration_s")),
    )


# Whisper cuts one spoken turn into sentence-long segments; a pause shorter than this
# between two segments of the same speaker is not a change of turn.
MAX_TURN_PAUSE_S = 2.0


def merge_segments(segments: list[Utterance]) -> list[Utterance]:
    """Join consecutive same-speaker segments separated by short pauses into turns."""
    turns: list[Utterance] = []
    for segment in segments:
        previous = turns[-1] if turns else None
        if previous is not None and _continues(previous, segment):
            turns[-1] = Utterance(
                speaker=previous.speaker,
                text=f"{previous.text} {segment.text}".strip(),
                start=previous.start,
                end=segment.end,
                words=previous.words + segment.words,
            )
        else:
            turns.append(segment)
    return turns


def _continues(previous: Utterance, segment: Utterance) -> bool:
    if previous.speaker != segment.speaker:
        return False
    if previous.end is None or segment.start is None:
        return True
    return segment.start - previous.end < MAX_TURN_PAUSE_S


def read_transcript(path: Path) -> Transcript:
    """Read a transcript file: JSON when it parses as such or ends in .json, else text."""
    text = _read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return parse_json(text, source=str(path))
    return Transcript(parse_text(text, source=str(path)))


MAX_TRANSCRIPT_MB = 16  # a 90-minute call's transcribe output with word times is about 1 MB


def _read_text(path: Path) -> str:
    """The file's text; no more than the limit is read, and unreadable files are coded."""
    source = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TRANSCRIPT_MB * 1024 * 1024 + 1)
        if len(data) > MAX_TRANSCRIPT_MB * 1024 * 1024:
            raise ScoringError(
                ScoreErr.TRANSCRIPT_TOO_LARGE, source=source, limit_mb=MAX_TRANSCRIPT_MB
            )
        return data.decode("utf-8-sig")
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise ScoringError(ScoreErr.TRANSCRIPT_UNREADABLE, source=source, reason=reason) from None
    except UnicodeDecodeError as error:
        reason = f"it is not UTF-8 text ({error.reason} at byte {error.start})"
        raise ScoringError(ScoreErr.TRANSCRIPT_UNREADABLE, source=source, reason=reason) from None


def _turn(raw: Any, index: int, source: str, default: str | None) -> Utterance:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise ScoringError(
            ScoreErr.TRANSCRIPT_SHAPE, source=source, reason=f"turn {index} has no 'text' string"
        )
    speaker_raw = raw.get("speaker") or default
    speaker = normalise_speaker(speaker_raw, source=source, where=f"turn {index}")
    start, end = _seconds(raw.get("start")), _seconds(raw.get("end"))
    if start is not None and end is not None and end < start:
        raise ScoringError(ScoreErr.BAD_TIMING, source=source, index=index, start=start, end=end)
    words = tuple(_word(item) for item in raw.get("words") or () if _is_timed_word(item))
    return Utterance(speaker=speaker, text=raw["text"].strip(), start=start, end=end, words=words)


def _seconds(value: Any) -> float | None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if number and math.isfinite(value) else None  # 1e999 parses as inf


def _is_timed_word(item: Any) -> bool:
    return isinstance(item, dict) and all(
        _seconds(item.get(key)) is not None for key in ("start", "end")
    )


def _word(item: dict[str, Any]) -> Word:
    return Word(word=str(item.get("word", "")).strip(), start=item["start"], end=item["end"])


# One turn at most; spaCy refuses texts over 1,000,000 characters, and 100,000 is over an
# hour of speech.
MAX_UTTERANCE_CHARS = 100_000


def check_length(text: str) -> None:
    """Refuse a turn too long to analyse (E432) before any pipeline sees it."""
    if len(text) > MAX_UTTERANCE_CHARS:
        raise ScoringError(ScoreErr.UTTERANCE_TOO_LONG, length=len(text), limit=MAX_UTTERANCE_CHARS)


def _require_speech(turns: list[Utterance], source: str) -> list[Utterance]:
    for turn in turns:
        check_length(turn.text)
    spoken = [turn for turn in turns if turn.text]
    if not spoken:
        raise ScoringError(ScoreErr.TRANSCRIPT_EMPTY, source=source)
    return spoken


_MIXED_SHARE = 0.2


def detect_language(
    turns: list[Utterance], *, stated: str | None = None, source: str = "transcript"
) -> str:
    """The call's language: the stated one (``--language``, Whisper's guess) or its alphabet.

    Without a stated language, a call whose letters are 20–80 % Cyrillic is mixed: refused.
    """
    if stated is not None and stated not in LANGUAGES:
        raise ScoringError(
            ScoreErr.UNSUPPORTED_LANGUAGE, language=stated, choices=", ".join(LANGUAGES)
        )
    share_ru = cyrillic_share(" ".join(turn.text for turn in turns))
    if _MIXED_SHARE <= share_ru <= 1 - _MIXED_SHARE and stated is None:
        raise ScoringError(ScoreErr.MIXED_LANGUAGE, source=source, share_ru=share_ru)
    return stated or ("ru" if share_ru > _MIXED_SHARE else "en")


def cyrillic_share(text: str) -> float:
    """Share of the letters in text that are Cyrillic (0.0 when there are no letters)."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0400" <= char <= "\u04ff" for char in letters) / len(letters)
