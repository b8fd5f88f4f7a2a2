"""What a batch worker gets and gives back, and what every worker holds (any runner):
the options, the loaded model, one recording analysed into an outcome."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from scoring.errors import CodedError
from trainer.batch.files import FoundRecording
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import calls
from trainer.speech import transcription
from trainer.speech.analysis import CallAnalysis

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass(frozen=True)
class WorkerOptions:
    """What every worker needs to analyse a call the same way."""

    settings: Settings
    language: str | None = None
    channels: tuple[str, str] | None = None
    threads: int = 1


@dataclass(frozen=True)
class Work:
    """One recording handed to a worker, with its bytes (read by the driver)."""

    recording: FoundRecording
    data: bytes
    sha256: str

    @classmethod
    def read(cls, recording: FoundRecording) -> Work:
        """The recording's bytes and their SHA-256."""
        data = Path(recording.file).read_bytes()
        return cls(recording, data, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Failure:
    """A coded error in a form that crosses process boundaries (CodedError does not pickle)."""

    err: Enum
    details: dict[str, Any]

    @classmethod
    def of(cls, error: CodedError) -> Failure:
        """The error's catalogue entry and details."""
        return cls(error.err, dict(error.details))

    def error(self) -> CodedError:
        """The coded error again, with the same code and message."""
        return CodedError(self.err, **self.details)

    def to_json(self) -> dict[str, str]:
        """``{"code": "E301", "message": "what happened — what to do"}``."""
        error = self.error()
        return {"code": error.code, "message": f"{error.what} — {error.todo}"}


@dataclass(frozen=True)
class Outcome:
    """A worker's answer: the analysis, or why the file failed."""

    analysis: CallAnalysis | None = None
    failure: Failure | None = None
    worker_broken: bool = False  # the worker could not start: stop the batch, not the file


def limit_threads(threads: int) -> None:
    """Let this process use `threads` cores, so N workers share the CPU without fighting."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    if "torch" in sys.modules:  # imported already (spaCy's thinc does): tell it directly
        sys.modules["torch"].set_num_threads(threads)


def prepare_worker(options: WorkerOptions) -> Failure | None:
    """Load the model once for this worker process; the error if it cannot be loaded."""
    limit_threads(options.threads)
    try:
        transcription.load_engine(options.settings)
    except CodedError as error:
        return Failure.of(error)
    return None


def analyse_work(work: Work, options: WorkerOptions) -> Outcome:
    """Analyse one recording; every failure becomes an Outcome, never an exception."""
    try:
        analysis = calls.analyse(
            work.data,
            settings=options.settings,
            name=work.recording.file,
            language=options.language,
            channels=options.channels,
        )
    except CodedError as error:
        return Outcome(failure=Failure.of(error))
    except Exception as error:  # a bad file must never stop the batch
        reason = f"{type(error).__name__}: {error}"
        failed = CallcoachError(Err.BATCH_FILE_FAILED, name=work.recording.file, reason=reason)
        return Outcome(failure=Failure.of(failed))
    return Outcome(analysis=analysis)


class Runner(Protocol):
    """Runs works on workers that hold a loaded model; yields each with its outcome."""

    workers: int

    def run(self, works: Iterator[Work]) -> Iterator[tuple[Work, Outcome]]:
        """Outcomes in the order they finish; the workers are stopped at the end."""
        ...


class BatchWorker:
    """What each worker process or Ray actor holds: the options and the loaded model."""

    def __init__(self, options: WorkerOptions) -> None:
        self.options = options
        self.failure = prepare_worker(options)

    def analyse(self, work: Work) -> Outcome:
        """The recording's outcome; a worker whose model did not load says so instead."""
        if self.failure is not None:
            return Outcome(failure=self.failure, worker_broken=True)
        return analyse_work(work, self.options)


def worker_died(work: Work) -> Outcome:
    """The error outcome of a recording that was in flight whenever its worker died."""
    died = CallcoachError(Err.BATCH_WORKER_DIED, name=work.recording.file)
    return Outcome(failure=Failure.of(died))
