"""Who speaks when in a mono call: the agent's and the customer's turns told apart.

A stereo call has one side per channel; a mono recording mixes both voices and the
transcriber labels every segment "agent". :func:`assign_speakers` relabels the segments:

1. **Speech pieces.** 32 ms frames (every 20 ms) clearly louder than the call's noise
   floor, inside the transcript's segments, are joined into pieces that end at pauses of
   0.2 s and last 2 s at most (a change of speaker without a pause falls between pieces).
2. **Two voices.** Each piece gets a voice print (trainer/speech/voiceprint.py: Resemblyzer's
   pretrained speaker encoder). The prints are split in two along each of their two main
   axes, each split refined by two-means on cosine similarity; the tighter one wins. How far
   apart the two voices' mean prints are, in units of a piece's spread around its voice's
   mean, decides: under 1.7 is one voice, 3.0 and over is clear (confidence 1). Where the
   prints see one voice (or the encoder is not installed), pitch and timbre decide: every
   frame is described by its pitch (normalised autocorrelation) and timbre (12 cepstral
   coefficients of a 100-3,800 Hz log-mel spectrum, so 8 kHz phone audio looks much the
   same). The pieces are split in two along each of the three main axes of their average
   features, and by their median pitch; each split is refined: every voice becomes a
   Gaussian over its frames and every piece moves to the voice its frames fit better, until
   nothing moves (no randomness anywhere). The split that holds the frames most tightly
   wins; how much tighter than one Gaussian (nats per frame) is the confidence. Too little
   gain, or a second voice with almost no speech, is one voice.
3. **Words follow their piece.** Each word takes the voice of the speech it overlaps, so
   a Whisper segment that spans a change of voice is split at that word.
4. **Which voice is the agent.** Scoring's own analyzers read every turn as if an agent
   said it; the voice with more agent evidence (greeting, introducing oneself, offering
   help, asking, solution and follow-up phrases), plus a bonus for speaking first, is
   the agent. With no evidence either way, the first speaker is the agent.

Voice-print thresholds (python -m benchmarks.speakers, 50 s calls at 16 and 8 kHz): one
voice on both sides (piper, espeak-ng, festival, the festvox-ru reader's own recordings)
reached at most 1.38; two voices of different engines or genders at least 2.16, two real
people (that reader and the ALSA test voice) 3.09. Two espeak-ng male variants (one
synthesiser, one timbre) print alike (1.1) and still read as one voice, by either method.

Pitch-and-timbre thresholds (gain after the BIC penalty for the second voice's parameters):
one real speaker (festvox-ru's recordings of a reader, 100 minutes cut into 10 s to 3 min calls,
also band-limited to 300-3,400 Hz with noise) reached at most 0.22 nats per frame, as did
one synthesised voice; two voices in 50 s calls reached at least 0.30 (that speaker and
the ALSA test voice, telephone band), 0.40 (two male espeak-ng variants) and 0.68 (the
real pair at full band). Calls shorter than about 20 s with two voices may read as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from scoring import analyzers
from scoring.call import prepare
from scoring.lexicon import load_lexicon
from scoring.rubric import load_rubric
from scoring.scenario import as_scenario
from scoring.transcript import Utterance
from scoring.vocabulary import AGENT, CUSTOMER
from trainer.speech.pieces import IntArray, Pieces, find_pieces
from trainer.speech.two_voices import tell_voices_apart

Segment = dict[str, Any]
Turn = tuple[int, Segment]  # (voice 0 or 1, segment)
UNSURE_ROLES = 0.75  # confidence kept when only "who spoke first" chose the agent

# -- roles ----------------------------------------------------------------------------------
FIRST_SPEAKER_BONUS = 1.5
GREETING_RULES = ("greet.introduce", "greet.company", "greet.scenario_company", "greet.offer_help")
QUESTION_RULES = ("discover.question", "discover.request", "discover.order_number")
RULE_WEIGHTS: dict[str, float] = {
    **dict.fromkeys(GREETING_RULES, 3.0),
    "greet.hello": 1.0,  # customers say hello too
    **dict.fromkeys(("follow.anything_else", "follow.check_resolved"), 2.0),
    **dict.fromkeys(("follow.welcome", "follow.close"), 1.0),
    **dict.fromkeys(QUESTION_RULES, 1.0),
    **dict.fromkeys(("discover.key_detail", "discover.confirm", "discover.confirm_question"), 1.0),
    **dict.fromkeys(("solve.offer", "solve.alternative", "solve.expectation"), 1.0),
    **dict.fromkeys(("solve.explain", "solve.escalate"), 1.0),
    **dict.fromkeys(("empathy.acknowledge", "empathy.apologise", "call.handling"), 1.0),
}

METHOD_TWO = "mono call: 2 voices told apart by {by}; agent = the voice that {why}"
METHOD_ONE = (
    "mono call: only one voice was found (no clear second voice), "
    "so every turn is the agent's; check the speakers"
)
METHOD_SHORT = (
    "mono call: too little speech to tell two voices apart, so every turn is the agent's; "
    "check the speakers"
)
METHOD_EMPTY = "mono call: no speech to assign"


@dataclass(frozen=True)
class SpeakerAssignment:
    """Segments with their speakers, how they were found, and how sure that is."""

    segments: list[dict[str, Any]]  # transcribe-contract segments, speaker agent/customer
    method: str  # one plain sentence for the user
    confidence: float  # 0..1: how clearly the two voices separate


def assign_speakers(
    samples: npt.NDArray[np.floating[Any]],
    segments: list[dict[str, Any]],
    *,
    language: str,
    use_prints: bool = True,
) -> SpeakerAssignment:
    """Agent and customer turns of a mono call (`language` 'en' or 'ru', as scoring reads).

    samples: 16 kHz mono float32; segments: the "segments" list of the transcribe contract.
    The segments given are not changed; a segment spanning a change of voice is split.
    use_prints=False tells the voices apart by pitch and timbre alone, as without the encoder.
    """
    if samples.ndim != 1:
        raise ValueError("assign_speakers takes mono samples; a stereo call has its channels")
    if not segments:
        return SpeakerAssignment([], METHOD_EMPTY, 0.0)
    samples = samples.astype(np.float32, copy=False)
    pieces = find_pieces(samples, segments)
    voices = tell_voices_apart(pieces, samples, use_prints=use_prints)
    if voices is None:
        return SpeakerAssignment(_all_agent(segments), METHOD_SHORT, 0.0)
    if voices.one_voice:
        return SpeakerAssignment(_all_agent(segments), METHOD_ONE, 0.0)
    turns = split_by_voice(segments, pieces, voices.labels)
    roles = choose_agent(turns, language)
    confidence = voices.confidence * (1.0 if roles.evidence else UNSURE_ROLES)
    method = METHOD_TWO.format(by=voices.told_by, why=roles.why)
    return SpeakerAssignment(_named(turns, roles.agent_voice), method, round(confidence, 3))


def _all_agent(segments: list[Segment]) -> list[Segment]:
    return [{**_copy(segment), "speaker": AGENT} for segment in segments]


def _copy(segment: Segment) -> Segment:
    """A copy to hand out: changing it (or its words) leaves the caller's segment alone."""
    if "words" not in segment:
        return dict(segment)
    return {**segment, "words": [dict(word) for word in segment["words"] or []]}


def _named(turns: list[Turn], agent_voice: int) -> list[Segment]:
    return [{**seg, "speaker": AGENT if voice == agent_voice else CUSTOMER} for voice, seg in turns]


# -- 3. words follow their piece -----------------------------------------------------------


def split_by_voice(segments: list[Segment], pieces: Pieces, labels: IntArray) -> list[Turn]:
    """(voice, segment) turns: each segment split where its words change voice."""
    turns: list[Turn] = []
    for segment in segments:
        words = segment.get("words") or []
        if not words:
            span = (float(segment["start"]), float(segment["end"]))
            turns.append((_voice_of(span, pieces, labels), _copy(segment)))
            continue
        spans = [(float(word["start"]), float(word["end"])) for word in words]
        turns += _split(segment, [_voice_of(span, pieces, labels) for span in spans])
    return turns


def _voice_of(span: tuple[float, float], pieces: Pieces, labels: IntArray) -> int:
    """The voice of the speech a time span overlaps most; else of the nearest piece."""
    start_s, end_s = span
    overlap = np.minimum(pieces.end_s, end_s) - np.maximum(pieces.start_s, start_s)
    if overlap.max() > 0:
        per_voice = np.bincount(labels, weights=np.clip(overlap, 0, None), minlength=2)
        return int(per_voice.argmax())
    distance = np.maximum(pieces.start_s - end_s, start_s - pieces.end_s)
    return int(labels[distance.argmin()])


def _split(segment: Segment, voices: list[int]) -> list[Turn]:
    """The segment whole if one voice speaks all its words, else one part per run of a voice."""
    if len(set(voices)) == 1:
        return [(voices[0], _copy(segment))]
    parts: list[Turn] = []
    for index, (word, voice) in enumerate(zip(segment["words"], voices, strict=True)):
        if index and voice == voices[index - 1]:
            parts[-1][1]["words"].append(dict(word))
        else:
            parts.append((voice, {**segment, "words": [dict(word)]}))
    return [(voice, _fit_to_words(part)) for voice, part in parts]


def _fit_to_words(part: Segment) -> Segment:
    words = part["words"]
    text = " ".join(str(word["word"]).strip() for word in words)
    return {**part, "start": words[0]["start"], "end": words[-1]["end"], "text": text}


# -- 4. which voice is the agent -----------------------------------------------------------


@dataclass(frozen=True)
class Roles:
    """The agent's voice and why it was chosen."""

    agent_voice: int
    why: str  # completes "agent = the voice that ..."
    evidence: bool  # False: only who spoke first decided


def choose_agent(turns: list[Turn], language: str) -> Roles:
    """The voice whose turns read most like an agent's; the first speaker breaks ties."""
    hits = agent_hits([str(turn["text"]) for _, turn in turns], language)
    first = turns[0][0]
    score = np.zeros(2)
    score[first] += FIRST_SPEAKER_BONUS
    for index, rule in hits:
        score[turns[index][0]] += RULE_WEIGHTS.get(rule, 0.0)
    agent = int(score.argmax())
    bonus = FIRST_SPEAKER_BONUS if agent == first else 0.0
    evidence = bool(score[agent] - bonus > score[1 - agent])
    return Roles(agent, _why(hits, [voice for voice, _ in turns], agent, first), evidence)


def agent_hits(texts: list[str], language: str) -> list[tuple[int, str]]:
    """(turn index, rule) of every rule scoring finds, reading all turns as the agent's."""
    call = prepare(
        [Utterance(speaker=AGENT, text=text) for text in texts],
        language=language,
        lexicon=load_lexicon(language),
        scenario=as_scenario(None),
        rubric=load_rubric(),
    )
    return [(hit.utterance, hit.rule) for hit in analyzers.run_all(call) if hit.utterance >= 0]


def _why(hits: list[tuple[int, str]], voices: list[int], agent: int, first: int) -> str:
    """What the agent's voice did more than the other: greet, speak first, ask, agent phrases."""

    def more(rules: tuple[str, ...]) -> bool:
        counts = np.bincount([voices[index] for index, rule in hits if rule in rules], minlength=2)
        return bool(counts[agent] > counts[1 - agent])

    reasons = [
        reason
        for reason, shown in (
            ("greets", more(GREETING_RULES)),
            ("speaks first", agent == first),
            ("asks more questions", more(QUESTION_RULES)),
        )
        if shown
    ]
    if not reasons or more(tuple(RULE_WEIGHTS)):
        reasons.append("uses more agent phrases")
    return reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + " and " + reasons[-1]
