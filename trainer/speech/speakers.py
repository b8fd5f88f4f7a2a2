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
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from scoring import analyzers
from scoring.call import prepare
from scoring.lexicon import load_lexicon
from scoring.rubric import load_rubric
from scoring.scenario import as_scenario
from scoring.transcript import Utterance
from trainer.speech import voiceprint
from trainer.speech.audio import SAMPLE_RATE, Samples

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Segment = dict[str, Any]
Turn = tuple[int, Segment]  # (voice 0 or 1, segment)

AGENT = "agent"
CUSTOMER = "customer"

# -- frames ---------------------------------------------------------------------------------
WINDOW = 512  # 32 ms: two periods of a 70 Hz voice
HOP = 320  # 20 ms: fine enough for pauses, half the work of 10 ms
FFT_SIZE = 768  # room for every autocorrelation lag without wrapping round
MEL_BANDS = 24
CEPSTRA = 12  # c1..c12; c0 (loudness) says nothing about who speaks
BAND_HZ = (100.0, 3800.0)
PITCH_HZ = (70.0, 400.0)
VOICED_CLARITY = 0.5  # normalised autocorrelation peak of a voiced frame
OCTAVE_GUARD = 0.9  # take the shortest lag within 90 % of the best peak
LOUD_BELOW_PEAK_DB = 35.0
LOUD_ABOVE_FLOOR_DB = 6.0
BLOCK_FRAMES = 4096  # frames analysed at once: bounds memory on long calls

# -- pieces ---------------------------------------------------------------------------------
MIN_PAUSE_S = 0.2
MIN_PIECE_S = 0.12
MAX_PIECE_S = 2.0
SEGMENT_MARGIN_S = 0.2  # Whisper's segment times can clip a word's edges
MIN_PIECES = 3

# -- voices ---------------------------------------------------------------------------------
PITCH_WEIGHT = 2.0  # in the starting splits: one pitch value against twelve timbre values
STARTING_AXES = 3
REFINE_ROUNDS = 20
COVARIANCE_FLOOR = 1e-3
MIN_PITCH_SPREAD = 0.02  # log units: 2 %
PITCH_Z2_CAP = 9.0  # a pitch error (octave) counts as three spreads off, no more
MIN_VOICE_FRAMES = 50  # one second of speech
# what a second voice adds: timbre mean and covariance, pitch centre and spread
SECOND_VOICE_PARAMETERS = CEPSTRA + CEPSTRA * (CEPSTRA + 1) // 2 + 2
MIN_VOICE_SHARE = 0.05  # less is a stray noise, not a second person
ONE_VOICE_GAIN = 0.26  # nats per frame, after the penalty (see the module docstring)
CLEAR_GAIN = 0.65
# voice prints: how far apart the voices' mean prints are, in spreads of a piece around its
# voice's mean (see the module docstring)
ONE_PRINT_SEPARATION = 1.7
CLEAR_PRINT_SEPARATION = 3.0
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


# -- 1. speech pieces ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pieces:
    """Stretches of speech between pauses, and the features of their frames."""

    start_s: FloatArray
    end_s: FloatArray
    frames: FloatArray  # (frames, 1 + CEPSTRA): log pitch (NaN if unvoiced), cepstra
    owner: IntArray  # the piece each frame belongs to (non-decreasing)

    @property
    def weight(self) -> FloatArray:
        """Frames of speech in each piece."""
        return np.bincount(self.owner, minlength=len(self.start_s)).astype(np.float64)

    def averages(self) -> FloatArray:
        """(pieces, 1 + CEPSTRA): each piece's median log pitch and mean cepstra."""
        per_piece = np.split(self.frames, np.flatnonzero(np.diff(self.owner)) + 1)
        return np.array([_average(frames) for frames in per_piece]).reshape(-1, 1 + CEPSTRA)


def _average(frames: FloatArray) -> FloatArray:
    voiced = frames[~np.isnan(frames[:, 0]), 0]
    pitch = np.median(voiced) if len(voiced) else np.nan
    return np.concatenate(([pitch], frames[:, 1:].mean(axis=0)))


def find_pieces(samples: Samples, segments: list[Segment]) -> Pieces:
    """Loud frames inside the transcript's segments, grouped into pieces between pauses."""
    frame_count = max(0, 1 + (len(samples) - WINDOW) // HOP)
    speech = _loud_frames(samples, frame_count) & _inside(segments, frame_count)
    bounds = _runs(speech)
    owner_of_frame = np.full(frame_count, -1, dtype=np.int64)
    for index, (start, end) in enumerate(bounds):
        owner_of_frame[start:end] = index
    frames = np.flatnonzero(speech & (owner_of_frame >= 0))
    starts = np.array([start for start, _ in bounds], dtype=np.float64)
    ends = np.array([end for _, end in bounds], dtype=np.float64)
    return Pieces(
        start_s=starts * HOP / SAMPLE_RATE,
        end_s=((ends - 1) * HOP + WINDOW) / SAMPLE_RATE,
        frames=analyse_frames(samples, frames),
        owner=owner_of_frame[frames],
    )


def _loud_frames(samples: Samples, frame_count: int) -> Mask:
    """Frames within 35 dB of the call's loud speech and clearly above its noise floor."""
    if frame_count == 0:
        return np.zeros(0, dtype=bool)
    hops = samples[: frame_count * HOP].reshape(frame_count, HOP)
    level_db = 10 * np.log10(np.einsum("ij,ij->i", hops, hops) / HOP + 1e-10)
    floor_db, peak_db = np.percentile(level_db, [10, 95])
    threshold_db = max(peak_db - LOUD_BELOW_PEAK_DB, floor_db + LOUD_ABOVE_FLOOR_DB)
    loud: Mask = level_db > threshold_db
    return loud


def _inside(segments: list[Segment], frame_count: int) -> Mask:
    """Frames within the segments' times (a little margin each side)."""
    inside = np.zeros(frame_count, dtype=bool)
    for segment in segments:
        first = round((float(segment["start"]) - SEGMENT_MARGIN_S) * SAMPLE_RATE / HOP)
        last = round((float(segment["end"]) + SEGMENT_MARGIN_S) * SAMPLE_RATE / HOP)
        inside[max(first, 0) : max(last, 0)] = True
    return inside


def _runs(speech: Mask) -> list[tuple[int, int]]:
    """[start, end) frame runs of speech: short pauses bridged, crumbs dropped, long ones cut."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], speech.astype(np.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and start - runs[-1][1] < MIN_PAUSE_S * SAMPLE_RATE / HOP:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    shortest = MIN_PIECE_S * SAMPLE_RATE / HOP
    return [piece for run in runs if run[1] - run[0] >= shortest for piece in _cut(run)]


def _cut(run: tuple[int, int]) -> list[tuple[int, int]]:
    """A run cut into equal pieces of at most MAX_PIECE_S."""
    longest = int(MAX_PIECE_S * SAMPLE_RATE / HOP)
    count = -(-(run[1] - run[0]) // longest)
    edges = np.linspace(run[0], run[1], count + 1).round().astype(int).tolist()
    return list(pairwise(edges))


# -- frame analysis: pitch and timbre -----------------------------------------------------


def analyse_frames(samples: Samples, frames: IntArray) -> FloatArray:
    """(frames, 1 + CEPSTRA): log pitch (NaN where unvoiced) and cepstra c1..c12."""
    features = np.empty((len(frames), 1 + CEPSTRA))
    windows = np.lib.stride_tricks.sliding_window_view(samples, WINDOW)[::HOP]
    for first in range(0, len(frames), BLOCK_FRAMES):
        chosen = frames[first : first + BLOCK_FRAMES]
        power = _power_spectra(windows[chosen])
        features[first : first + len(chosen), 0] = _log_pitch(power)
        features[first : first + len(chosen), 1:] = np.log(power @ _mel_filters() + 1e-10) @ _dct()
    return features


def _power_spectra(block: Samples) -> FloatArray:
    tapered = (block - block.mean(axis=1, keepdims=True)) * _taper()
    spectrum = np.fft.rfft(tapered, n=FFT_SIZE, axis=1)
    power: FloatArray = spectrum.real**2 + spectrum.imag**2
    return power


def _log_pitch(power: FloatArray) -> FloatArray:
    """Pitch from the normalised autocorrelation: the shortest lag near the best peak."""
    shortest, longest = (int(SAMPLE_RATE / hz) for hz in reversed(PITCH_HZ))
    autocorrelation = np.fft.irfft(power, n=FFT_SIZE, axis=1)[:, : longest + 1]
    normalised = autocorrelation / (autocorrelation[:, :1] + 1e-12) / _taper_autocorrelation()
    candidates = normalised[:, shortest : longest + 1]
    best = candidates.max(axis=1)
    # the first lag near the best: a peak at twice the period would halve the pitch
    lag = shortest + np.argmax(candidates >= OCTAVE_GUARD * best[:, None], axis=1)
    log_pitch: FloatArray = np.where(best >= VOICED_CLARITY, np.log(SAMPLE_RATE / lag), np.nan)
    return log_pitch


@cache
def _taper() -> Samples:
    return np.hanning(WINDOW).astype(np.float32)


@cache
def _taper_autocorrelation() -> FloatArray:
    """The window's own autocorrelation, normalised: divides out its fall with the lag."""
    spectrum = np.fft.rfft(_taper().astype(np.float64), n=FFT_SIZE)
    own = np.fft.irfft(np.abs(spectrum) ** 2, n=FFT_SIZE)
    result: FloatArray = own[: int(SAMPLE_RATE / PITCH_HZ[0]) + 1] / own[0]
    return result


@cache
def _mel_filters() -> FloatArray:
    """(FFT bins, MEL_BANDS) triangular filters, evenly spaced in mel over BAND_HZ."""
    low, high = (2595 * np.log10(1 + hz / 700) for hz in BAND_HZ)
    edges_hz = 700 * (10 ** (np.linspace(low, high, MEL_BANDS + 2) / 2595) - 1)
    bins_hz = np.fft.rfftfreq(FFT_SIZE, 1 / SAMPLE_RATE)
    rising = (bins_hz[:, None] - edges_hz[None, :-2]) / np.diff(edges_hz)[None, :-1]
    falling = (edges_hz[None, 2:] - bins_hz[:, None]) / np.diff(edges_hz)[None, 1:]
    filters: FloatArray = np.clip(np.minimum(rising, falling), 0, None)
    return filters


@cache
def _dct() -> FloatArray:
    """(MEL_BANDS, CEPSTRA) DCT-II basis for c1..c12."""
    bands = np.arange(MEL_BANDS)
    orders = np.arange(1, CEPSTRA + 1)
    basis: FloatArray = np.cos(np.pi / MEL_BANDS * (bands[:, None] + 0.5) * orders[None, :])
    return basis


# -- 2. two voices -------------------------------------------------------------------------


@dataclass(frozen=True)
class Voices:
    """Each piece's voice (0 or 1), whether a second voice is really there, and how clearly."""

    labels: IntArray
    one_voice: bool  # too little separates the two, or the second has almost no speech
    confidence: float  # 0 where one voice split in two lands, 1 at a clear second voice
    told_by: str  # what told them apart, for the user: "voice prints", "pitch and timbre"


def tell_voices_apart(
    pieces: Pieces, samples: Samples, *, use_prints: bool = True
) -> Voices | None:
    """Two voices by voice print (pitch and timbre without the encoder); None: too little speech."""
    if len(pieces.start_s) < MIN_PIECES or len(pieces.frames) < 2 * MIN_VOICE_FRAMES:
        return None
    prints = voiceprint.voice_prints(samples, _sample_spans(pieces)) if use_prints else None
    by_print = _voices_by_print(prints, pieces.weight) if prints is not None else None
    if by_print is not None and not by_print.one_voice:
        return by_print
    # prints that look alike may still differ clearly in pitch; its own thresholds keep one
    # voice one
    return _voices_by_pitch_and_timbre(pieces)


def _voices_by_pitch_and_timbre(pieces: Pieces) -> Voices:
    """The best of a few starting splits, each refined frame by frame; its gain decides."""
    candidates = [_gain(pieces, _refine(pieces, labels)) for labels in _starts(pieces)]
    labels, gain, share = max(candidates, key=lambda candidate: candidate[1])
    scale = (gain - ONE_VOICE_GAIN) / (CLEAR_GAIN - ONE_VOICE_GAIN)
    one_voice = gain < ONE_VOICE_GAIN or share < MIN_VOICE_SHARE
    confidence = 0.0 if one_voice else round(float(np.clip(scale, 0.0, 1.0)), 3)
    return Voices(labels, one_voice, confidence, "pitch and timbre")


def _sample_spans(pieces: Pieces) -> list[tuple[int, int]]:
    starts = (pieces.start_s * SAMPLE_RATE).round().astype(int).tolist()
    ends = (pieces.end_s * SAMPLE_RATE).round().astype(int).tolist()
    return list(zip(starts, ends, strict=True))


# -- 2a. by voice print --------------------------------------------------------------------


def _voices_by_print(prints: FloatArray, weight: FloatArray) -> Voices:
    """Two-means on the prints (cosine), from their two main axes; how far apart the voices are."""
    centred = prints - np.average(prints, axis=0, weights=weight)
    axes = np.linalg.svd(centred * np.sqrt(weight)[:, None], full_matrices=False)[2][:2]
    splits = [_two_means(prints, weight, (centred @ axis > 0).astype(np.int64)) for axis in axes]
    labels = min(splits, key=lambda split: _spread(prints, weight, split))
    counts = np.bincount(labels, weights=weight, minlength=2)
    share = float(counts.min() / counts.sum())
    spread = max(_spread(prints, weight, labels), 1e-6)
    separation = _centroid_distance(prints, weight, labels) / spread
    scale = (separation - ONE_PRINT_SEPARATION) / (CLEAR_PRINT_SEPARATION - ONE_PRINT_SEPARATION)
    one_voice = separation < ONE_PRINT_SEPARATION or share < MIN_VOICE_SHARE
    confidence = 0.0 if one_voice else round(float(np.clip(scale, 0.0, 1.0)), 3)
    return Voices(labels, one_voice, confidence, "voice prints")


def _centroids(prints: FloatArray, weight: FloatArray, labels: IntArray) -> FloatArray:
    """(2, 256) unit-length weighted mean print of each voice (zero for an empty voice)."""
    sums = np.stack([(prints * (weight * (labels == v))[:, None]).sum(axis=0) for v in (0, 1)])
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    result: FloatArray = sums / np.where(norms > 0, norms, 1.0)
    return result


def _two_means(prints: FloatArray, weight: FloatArray, labels: IntArray) -> IntArray:
    """Move each piece to the voice whose mean print it is closer to, until nothing moves."""
    for _ in range(REFINE_ROUNDS):
        updated = np.argmax(prints @ _centroids(prints, weight, labels).T, axis=1)
        if np.array_equal(updated, labels):
            break
        labels = updated.astype(np.int64)
    return labels


def _spread(prints: FloatArray, weight: FloatArray, labels: IntArray) -> float:
    """Weighted mean cosine distance of the pieces from their voice's mean print."""
    centroids = _centroids(prints, weight, labels)
    similarity = (prints * centroids[labels]).sum(axis=1)
    return float(np.average(1.0 - similarity, weights=weight))


def _centroid_distance(prints: FloatArray, weight: FloatArray, labels: IntArray) -> float:
    """Cosine distance between the two voices' mean prints."""
    first, second = _centroids(prints, weight, labels)
    return float(1.0 - first @ second)


# -- 2b. by pitch and timbre (without the encoder) ------------------------------------------


def _starts(pieces: Pieces) -> list[IntArray]:
    """Pieces split along each main axis of their average features, and by median pitch."""
    averages = pieces.averages()
    spread = np.nanstd(averages, axis=0)
    points = (averages - np.nanmean(averages, axis=0)) / np.where(spread > 0, spread, 1.0)
    points[:, 0] *= PITCH_WEIGHT
    points = np.nan_to_num(points)  # a piece without pitch counts as the average pitch
    centred = points - np.average(points, axis=0, weights=pieces.weight)
    weighted = centred * np.sqrt(pieces.weight)[:, None]
    axes = np.linalg.svd(weighted, full_matrices=False)[2][:STARTING_AXES]
    by_axis = [(centred @ axis > 0).astype(np.int64) for axis in axes]
    return [*by_axis, _pitch_split(averages[:, 0])]


def _pitch_split(log_pitch: FloatArray) -> IntArray:
    """Pieces above the median pitch against the rest (pieces without pitch among the rest)."""
    if np.isnan(log_pitch).all():
        return np.zeros(len(log_pitch), dtype=np.int64)
    higher: Mask = np.nan_to_num(log_pitch, nan=-np.inf) > np.nanmedian(log_pitch)
    return higher.astype(np.int64)


@dataclass(frozen=True)
class VoiceModel:
    """One voice as Gaussians: timbre (full covariance) and, in voiced frames, pitch."""

    mean: FloatArray
    inverse: FloatArray
    log_det: float
    pitch: float
    pitch_spread: float

    def log_likelihood(self, frames: FloatArray) -> FloatArray:
        """Log density of each frame, up to a constant; a wild pitch counts only so much."""
        offset = frames[:, 1:] - self.mean
        distance = ((offset @ self.inverse) * offset).sum(axis=1)
        pitch_z2 = np.minimum(((frames[:, 0] - self.pitch) / self.pitch_spread) ** 2, PITCH_Z2_CAP)
        pitch = np.where(np.isnan(frames[:, 0]), 0.0, -0.5 * pitch_z2 - np.log(self.pitch_spread))
        result: FloatArray = -0.5 * (distance + self.log_det) + pitch
        return result


def _fit(frames: FloatArray) -> VoiceModel:
    covariance = _covariance(frames)
    voiced = frames[~np.isnan(frames[:, 0]), 0]
    pitch, spread = (np.median(voiced), voiced.std()) if len(voiced) > 1 else (0.0, 1.0)
    return VoiceModel(
        mean=frames[:, 1:].mean(axis=0),
        inverse=np.asarray(np.linalg.inv(covariance), dtype=np.float64),
        log_det=float(np.linalg.slogdet(covariance)[1]),
        pitch=float(pitch),
        pitch_spread=float(max(spread, MIN_PITCH_SPREAD)),
    )


def _covariance(frames: FloatArray) -> FloatArray:
    covariance: FloatArray = np.cov(frames[:, 1:], rowvar=False)
    return covariance + COVARIANCE_FLOOR * np.eye(CEPSTRA)


def _refine(pieces: Pieces, labels: IntArray) -> IntArray:
    """Move each piece to the voice its frames fit better, until nothing moves."""
    for _ in range(REFINE_ROUNDS):
        of_frame = labels[pieces.owner]
        if np.bincount(of_frame, minlength=2).min() < MIN_VOICE_FRAMES:
            break
        first, second = (_fit(pieces.frames[of_frame == voice]) for voice in (0, 1))
        preference = second.log_likelihood(pieces.frames) - first.log_likelihood(pieces.frames)
        per_piece = np.bincount(pieces.owner, weights=preference, minlength=len(labels))
        updated = (per_piece > 0).astype(np.int64)
        if np.array_equal(updated, labels):
            break
        labels = updated
    return labels


def _gain(pieces: Pieces, labels: IntArray) -> tuple[IntArray, float, float]:
    """The split, its gain (how much tighter two Gaussians hold the frames than one, nats per
    frame) and the smaller voice's share of the speech."""
    of_frame = labels[pieces.owner]
    counts = np.bincount(of_frame, minlength=2)
    share = float(counts.min() / counts.sum())
    if counts.min() < MIN_VOICE_FRAMES:
        return labels, 0.0, share
    parts = [pieces.frames[of_frame == voice] for voice in (0, 1)]
    tighter = _entropy(pieces.frames) - sum(len(p) * _entropy(p) for p in parts) / counts.sum()
    # BIC: the second voice's parameters must pay for themselves, dearly in a short call
    penalty = SECOND_VOICE_PARAMETERS * np.log(counts.sum()) / (2 * counts.sum())
    return labels, float(tighter - penalty), share


def _entropy(frames: FloatArray) -> float:
    """The frames' Gaussian entropy (timbre and pitch), up to a constant, in nats per frame."""
    voiced = frames[~np.isnan(frames[:, 0]), 0]
    pitch_variance = voiced.var() if len(voiced) > 1 else 1.0
    volume = np.linalg.slogdet(_covariance(frames))[1] + np.log(pitch_variance + 1e-6)
    return 0.5 * float(volume)


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
