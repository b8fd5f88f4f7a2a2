"""Whisper weights as CTranslate2 stores them, read without CTranslate2, and converted into
an openai-whisper checkpoint, so both engines run the very same weights
(trainer/speech/models.py installs them).

`model.bin` (binary version 6) is walked variable by variable; every tensor must be a float
one, and the openai-whisper state dict is built name by name from it.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

# -- reading CTranslate2 model.bin (binary version 6) ------------------------------------

_CT2_DTYPES: dict[int, type[np.generic]] = {
    0: np.float32,
    1: np.int8,
    2: np.int16,
    3: np.int32,
    4: np.float16,
}


@dataclass(frozen=True)
class _Ct2Variable:
    name: str
    shape: tuple[int, ...]
    dtype_id: int
    offset: int
    nbytes: int


def _read(stream: IO[bytes], fmt: str) -> tuple[Any, ...]:
    size = struct.calcsize(fmt)
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("model.bin ends inside its header")
    return struct.unpack(fmt, data)


def _read_string(stream: IO[bytes]) -> str:
    (length,) = _read(stream, "<H")
    return str(stream.read(length)[:-1].decode("utf-8"))


def _walk_ct2(stream: IO[bytes], file_size: int) -> Iterator[_Ct2Variable]:
    """Each variable's header, checking that its data lies inside the file."""
    version, *_ = _read(stream, "<I")
    if version != 6:
        raise ValueError(f"model.bin has binary version {version}, expected 6")
    _read_string(stream)  # spec name, e.g. WhisperSpec
    _read(stream, "<I")  # spec revision
    (count,) = _read(stream, "<I")
    for _ in range(count):
        name = _read_string(stream)
        (rank,) = _read(stream, "<B")
        shape = _read(stream, f"<{rank}I")
        dtype_id, nbytes = _read(stream, "<BI")
        offset = stream.tell()
        if offset + nbytes > file_size:
            raise ValueError(
                f"model.bin is cut short: tensor {name} needs bytes up to "
                f"{offset + nbytes:,}, the file has {file_size:,}"
            )
        stream.seek(nbytes, 1)
        yield _Ct2Variable(name, tuple(shape), dtype_id, offset, nbytes)


def ct2_problem(path: Path) -> str:
    """Why a CTranslate2 model.bin is unusable, or '' when every tensor is complete."""
    try:
        with path.open("rb") as stream:
            for _ in _walk_ct2(stream, path.stat().st_size):
                pass
    except (ValueError, struct.error) as error:
        return str(error)
    return ""


def read_ct2(path: Path) -> dict[str, npt.NDArray[Any]]:
    """All tensors of a CTranslate2 model.bin as numpy arrays, by variable name."""
    tensors = {}
    with path.open("rb") as stream:
        for var in list(_walk_ct2(stream, path.stat().st_size)):
            if var.dtype_id not in _CT2_DTYPES:
                raise ValueError(
                    f"tensor {var.name} has unsupported CTranslate2 type {var.dtype_id}"
                )
            stream.seek(var.offset)
            data = np.frombuffer(stream.read(var.nbytes), dtype=_CT2_DTYPES[var.dtype_id])
            tensors[var.name] = data.reshape(var.shape).copy()
    return tensors


# -- converting to an openai-whisper checkpoint -------------------------------------------


def convert_to_openai(ct2_dir: Path, checkpoint: Path) -> None:
    """Write the CT2 weights as an openai-whisper checkpoint and prove it loads strictly."""
    import torch
    from whisper.model import ModelDimensions, Whisper

    tensors = read_ct2(ct2_dir / "model.bin")
    _require_float_weights(tensors)
    dims = ModelDimensions(**ct2_dimensions(tensors))
    state = {key: torch.from_numpy(value) for key, value in openai_state(tensors, dims).items()}
    Whisper(dims).load_state_dict(state, strict=True)
    config = json.loads((ct2_dir / "config.json").read_text())
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "dims": asdict(dims),
        "model_state_dict": state,
        "alignment_heads": [list(pair) for pair in config.get("alignment_heads", [])],
    }
    torch.save(payload, checkpoint)


def _require_float_weights(tensors: dict[str, npt.NDArray[Any]]) -> None:
    # A quantized (int8) CT2 file would need its scales applied; the sources here are float16.
    quantized = [name for name in tensors if name.endswith("weight_scale")]
    if quantized:
        raise ValueError(f"model.bin is quantized ({quantized[0]}); a float16 model is needed")


def ct2_dimensions(tensors: dict[str, npt.NDArray[Any]]) -> dict[str, int]:
    """openai-whisper's ModelDimensions, read off the tensor shapes."""

    def layers(prefix: str) -> int:
        return len({m[1] for name in tensors if (m := re.match(rf"{prefix}/layer_(\d+)/", name))})

    conv1 = tensors["encoder/conv1/weight"]
    audio_positions = tensors["encoder/position_encodings/encodings"]
    embeddings = tensors["decoder/embeddings/weight"]
    return {
        "n_mels": conv1.shape[1],
        "n_audio_ctx": audio_positions.shape[0],
        "n_audio_state": audio_positions.shape[1],
        "n_audio_head": int(tensors["encoder/num_heads"]),
        "n_audio_layer": layers("encoder"),
        "n_vocab": embeddings.shape[0],
        "n_text_ctx": tensors["decoder/position_encodings/encodings"].shape[0],
        "n_text_state": embeddings.shape[1],
        "n_text_head": int(tensors["decoder/num_heads"]),
        "n_text_layer": layers("decoder"),
    }


Tensors = dict[str, npt.NDArray[Any]]


def openai_state(tensors: Tensors, dims: Any) -> Tensors:
    """Rename CT2 tensors to openai-whisper's, splitting the fused attention projections."""
    state = {
        "encoder.conv1.weight": tensors["encoder/conv1/weight"],
        "encoder.conv1.bias": tensors["encoder/conv1/bias"],
        "encoder.conv2.weight": tensors["encoder/conv2/weight"],
        "encoder.conv2.bias": tensors["encoder/conv2/bias"],
        "encoder.positional_embedding": tensors["encoder/position_encodings/encodings"],
        "decoder.token_embedding.weight": tensors["decoder/embeddings/weight"],
        "decoder.positional_embedding": tensors["decoder/position_encodings/encodings"],
    }
    state |= _norm(tensors, "encoder/layer_norm", "encoder.ln_post")
    state |= _norm(tensors, "decoder/layer_norm", "decoder.ln")
    for i in range(dims.n_audio_layer):
        state |= _block(tensors, f"encoder/layer_{i}", f"encoder.blocks.{i}", cross=False)
    for i in range(dims.n_text_layer):
        state |= _block(tensors, f"decoder/layer_{i}", f"decoder.blocks.{i}", cross=True)
    return state


def _block(tensors: Tensors, src: str, dst: str, *, cross: bool) -> Tensors:
    state = _norm(tensors, f"{src}/self_attention/layer_norm", f"{dst}.attn_ln")
    state |= _split(tensors, f"{src}/self_attention/linear_0", f"{dst}.attn", "query key value")
    state |= _linear(tensors, f"{src}/self_attention/linear_1", f"{dst}.attn.out")
    if cross:
        state |= _norm(tensors, f"{src}/attention/layer_norm", f"{dst}.cross_attn_ln")
        state |= _linear(tensors, f"{src}/attention/linear_0", f"{dst}.cross_attn.query")
        state |= _split(tensors, f"{src}/attention/linear_1", f"{dst}.cross_attn", "key value")
        state |= _linear(tensors, f"{src}/attention/linear_2", f"{dst}.cross_attn.out")
    state |= _norm(tensors, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln")
    state |= _linear(tensors, f"{src}/ffn/linear_0", f"{dst}.mlp.0")
    state |= _linear(tensors, f"{src}/ffn/linear_1", f"{dst}.mlp.2")
    return state


def _norm(tensors: Tensors, src: str, dst: str) -> Tensors:
    return {f"{dst}.weight": tensors[f"{src}/gamma"], f"{dst}.bias": tensors[f"{src}/beta"]}


def _linear(tensors: Tensors, src: str, dst: str) -> Tensors:
    return {f"{dst}.weight": tensors[f"{src}/weight"], f"{dst}.bias": tensors[f"{src}/bias"]}


def _split(tensors: Tensors, src: str, dst: str, names: str) -> Tensors:
    """Unfuse a CT2 projection; openai-whisper's key projection has no bias (CT2 stores 0)."""
    parts = names.split()
    weights = np.split(tensors[f"{src}/weight"], len(parts))
    biases = np.split(tensors[f"{src}/bias"], len(parts))
    state = {}
    for name, weight, bias in zip(parts, weights, biases, strict=True):
        state[f"{dst}.{name}.weight"] = weight
        if name != "key":
            state[f"{dst}.{name}.bias"] = bias
    return state
