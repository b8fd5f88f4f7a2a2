"""Voice prints: a 256-number summary of who is speaking in a stretch of speech.

The encoder is Resemblyzer's pretrained speaker encoder (a GE2E-trained 3-layer LSTM over
40 mel bands, Apache-2.0), whose weights ship inside the `resemblyzer` wheel on PyPI. Only
the weights file is read, by path: the package's own code imports librosa and webrtcvad,
which callcoach does not need, so `make setup` installs it with --no-deps and the mel
spectrogram it expects (librosa's defaults) is computed here with numpy.

    prints = voice_prints(samples, [(0, 16_000), (20_000, 40_000)])  # (2, 256), unit length
    prints is None  # the package is not installed: callers fall back to pitch and timbre
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from trainer.speech.audio import SAMPLE_RATE

FloatArray = npt.NDArray[np.float64]

ENCODER_PACKAGE = "resemblyzer"
WEIGHTS_FILE = "pretrained.pt"
# the encoder's training front end (resemblyzer/hparams.py): 25 ms windows every 10 ms
FFT_SIZE = 400
HOP = 160
MEL_BANDS = 40
TARGET_DBFS = -30.0  # the loudness its training audio was normalised to
HIDDEN = 256
LAYERS = 3


def weights_path() -> Path | None:
    """The encoder's weights inside the installed package, found without importing it."""
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE
    return path if path.is_file() else None


def available() -> bool:
    """Whether voice prints can be made on this machine."""
    return weights_path() is not None


def voice_prints(
    samples: npt.NDArray[np.floating[Any]], spans: list[tuple[int, int]]
) -> FloatArray | None:
    """(spans, 256) unit-length prints of [start, end) sample spans; None without the encoder."""
    encoder = _encoder()
    if encoder is None or not spans:
        return None
    import torch

    mels = [torch.from_numpy(mel_spectrogram(_normalised(samples[a:b]))) for a, b in spans]
    lengths = torch.tensor([len(mel) for mel in mels])
    batch = torch.nn.utils.rnn.pad_sequence(mels, batch_first=True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(
        batch, lengths, batch_first=True, enforce_sorted=False
    )
    with torch.inference_mode():
        prints: FloatArray = encoder(packed).numpy().astype(np.float64)
    return prints


def _normalised(samples: npt.NDArray[np.floating[Any]]) -> FloatArray:
    """The samples at the encoder's training loudness (RMS of full scale)."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    return samples.astype(np.float64) * (10 ** (TARGET_DBFS / 20) / max(rms, 1e-6))


@cache
def _encoder() -> Any:
    """The encoder with its pretrained weights (loaded once), or None when not installed."""
    path = weights_path()
    if path is None:
        return None
    import torch

    class Encoder(torch.nn.Module):
        """Resemblyzer's VoiceEncoder network: LSTM, then a linear layer, ReLU, unit length."""

        def __init__(self) -> None:
            super().__init__()
            self.lstm = torch.nn.LSTM(MEL_BANDS, HIDDEN, LAYERS, batch_first=True)
            self.linear = torch.nn.Linear(HIDDEN, HIDDEN)

        def forward(self, mels: torch.nn.utils.rnn.PackedSequence) -> torch.Tensor:
            _, (hidden, _) = self.lstm(mels)
            raw = torch.relu(self.linear(hidden[-1]))
            unit: torch.Tensor = raw / (torch.norm(raw, dim=1, keepdim=True) + 1e-9)
            return unit

    encoder = Encoder()
    state = torch.load(path, map_location="cpu", weights_only=True)["model_state"]
    encoder.load_state_dict({k: v for k, v in state.items() if not k.startswith("similarity")})
    return encoder.eval()


def mel_spectrogram(samples: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float32]:
    """(frames, 40) mel power spectrum as librosa.feature.melspectrogram makes it by default."""
    padded = np.pad(samples.astype(np.float64), FFT_SIZE // 2)  # librosa's centred frames
    if len(padded) < FFT_SIZE:
        padded = np.pad(padded, (0, FFT_SIZE - len(padded)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, FFT_SIZE)[::HOP]
    spectrum = np.fft.rfft(windows * _hann(), axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    return (power @ _slaney_mel_filters().T).astype(np.float32)


@cache
def _hann() -> FloatArray:
    """The periodic Hann window librosa uses."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FFT_SIZE) / FFT_SIZE)


def _hz_to_slaney_mel(hz: FloatArray) -> FloatArray:
    """Slaney's mel scale: linear to 1 kHz, logarithmic above."""
    linear = hz / (200.0 / 3)
    logarithmic = 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    result: FloatArray = np.where(hz >= 1000.0, logarithmic, linear)
    return result


def _slaney_mel_to_hz(mel: FloatArray) -> FloatArray:
    linear = mel * (200.0 / 3)
    logarithmic = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0))
    result: FloatArray = np.where(mel >= 15.0, logarithmic, linear)
    return result


@cache
def _slaney_mel_filters() -> FloatArray:
    """(40, FFT bins) area-normalised triangles from 0 Hz to Nyquist (librosa.filters.mel)."""
    limits = _hz_to_slaney_mel(np.array([0.0, SAMPLE_RATE / 2]))
    edges_hz = _slaney_mel_to_hz(np.linspace(limits[0], limits[1], MEL_BANDS + 2))
    bins_hz = np.fft.rfftfreq(FFT_SIZE, 1 / SAMPLE_RATE)
    widths = np.diff(edges_hz)
    ramps = edges_hz[:, None] - bins_hz[None, :]
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    triangles = np.maximum(0.0, np.minimum(rising, falling))
    filters: FloatArray = triangles * (2.0 / (edges_hz[2:] - edges_hz[:-2]))[:, None]
    return filters
