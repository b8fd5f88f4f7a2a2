"""Speech pieces of a mono call and the pitch and timbre of their frames (step 1 of
trainer/speech/speakers.py).

32 ms frames (every 20 ms) clearly louder than the call's noise floor, inside the
transcript's segments, are joined into pieces that end at pauses of 0.2 s and last 2 s at
most, so a change of speaker without a pause falls between pieces. Every frame is described
by its pitch (normalised autocorrelation) and timbre (12 cepstral coefficients of a
100-3,800 Hz log-mel spectrum, so 8 kHz phone audio looks much the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from trainer.speech.audio import SAMPLE_RATE, Samples

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Segment = dict[str, Any]

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
