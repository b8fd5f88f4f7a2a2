"""Two voices among a mono call's speech pieces, or one (step 2 of
trainer/speech/speakers.py, where the method and its measured thresholds are described):
by voice print where the speaker encoder is installed and sees two voices, else by pitch
and timbre, each frame's features fitted with one Gaussian per voice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.speech import voiceprint
from trainer.speech.audio import SAMPLE_RATE, Samples
from trainer.speech.pieces import CEPSTRA, MIN_PIECES, FloatArray, IntArray, Mask, Pieces

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
