"""`callcoach batch`: score a folder of recorded calls with worker processes, resumably.

The driver (this process) finds the recordings, skips those the results file already
holds, reads each file and hands its bytes to a worker, and appends one JSON line per file
as results come back, flushed at once: a killed batch loses only the files in flight, and
running it again picks up where it stopped. A bad file gets an error line and the batch
goes on. Each worker loads the Whisper model once and keeps it; the local workers are
processes on this machine (:class:`LocalRunner`), Ray actors are the other runner
(`trainer/batch/ray.py`) for the same driver.
"""

from __future__ import annotations

import csv
import ctypes
import functools
import glob
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from scoring.errors import CodedError
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import calls, scoring_files
from trainer.services.accounts import COMMAND_LINE
from trainer.speech import transcription
from trainer.speech.analysis import CallAnalysis, processing_key
from trainer.speech.audio import file_sha256
from trainer.speech.formats import AUDIO_SUFFIXES

CRASHES_PER_FILE = 2  # a file in flight when a worker died this often is given up
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h): a signal for this process when its parent dies


# -- finding the recordings ------------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    """One audio file of the batch, as found on disk."""

    file: str  # the path as found: what the results call it
    size_bytes: int
    mtime_ns: int

    @classmethod
    def at(cls, path: Path) -> Recording:
        """The file with its size and modification time."""
        stat = path.stat()
        return cls(str(path), stat.st_size, stat.st_mtime_ns)

    @property
    def stamp(self) -> tuple[str, int, int]:
        """Absolute path, size and mtime: the cheap test that a file is unchanged."""
        return str(Path(self.file).resolve()), self.size_bytes, self.mtime_ns


def find_recordings(pattern: str) -> list[Recording]:
    """Audio files in a folder (recursively), matching a glob, or the one file named."""
    path = Path(pattern)
    if path.is_dir():
        candidates: Iterable[Path] = path.rglob("*")
    elif path.is_file():
        candidates = [path]
    else:
        # glob.glob takes absolute patterns too, Path.glob only relative ones
        candidates = (Path(name) for name in glob.glob(pattern, recursive=True))  # noqa: PTH207
    found = sorted({p for p in candidates if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()})
    if not found:
        suffixes = ", ".join(suffix.lstrip(".").upper() for suffix in AUDIO_SUFFIXES)
        raise CallcoachError(Err.BATCH_NOTHING_FOUND, pattern=pattern, suffixes=suffixes)
    return [Recording.at(p) for p in found]


# -- what workers get and give back ----------------------------------------------------------


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

    recording: Recording
    data: bytes
    sha256: str

    @classmethod
    def read(cls, recording: Recording) -> Work:
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


class Worker:
    """What each worker process or Ray actor holds: the options and the loaded model."""

    def __init__(self, options: WorkerOptions) -> None:
        self.options = options
        self.failure = prepare_worker(options)

    def analyse(self, work: Work) -> Outcome:
        """The recording's outcome; a worker whose model did not load says so instead."""
        if self.failure is not None:
            return Outcome(failure=self.failure, worker_broken=True)
        return analyse_work(work, self.options)


# -- local worker processes -----------------------------------------------------------------

_local_worker: list[Worker] = []  # in a local worker process: its one Worker


def _start_local_worker(options: WorkerOptions, driver_pid: int) -> None:
    die_with_driver(driver_pid)
    _local_worker.append(Worker(options))


def die_with_driver(driver_pid: int) -> None:
    """End this worker process when the driver ends, even by SIGKILL (Linux).

    A worker whose driver is gone waits for work forever, holding its model (~700 MB).
    The kernel sends the signal when the thread that started the worker ends: the driver's
    pool is started and used from one thread for the whole batch.
    """
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != driver_pid:  # the driver died before the request above: go now
        os._exit(1)


def _analyse_in_local_worker(work: Work) -> Outcome:
    return _local_worker[0].analyse(work)


def threads_per_worker(workers: int) -> int:
    """This machine's cores shared evenly among the workers, at least one each."""
    return max(1, len(os.sched_getaffinity(0)) // workers)


class LocalRunner:
    """`workers` processes on this machine, started fresh (spawn), each with its own model.

    At most one recording per worker is in flight. When a worker process dies (killed,
    out of memory), the pool is restarted and the recordings in flight are tried again;
    one in flight at two deaths is given up with an error line.
    """

    def __init__(self, options: WorkerOptions, workers: int) -> None:
        self.options = options
        self.workers = workers

    def run(self, works: Iterator[Work]) -> Iterator[tuple[Work, Outcome]]:
        """Outcomes in the order they finish."""
        retry: deque[Work] = deque()
        crashes: Counter[str] = Counter()
        while True:
            in_flight: dict[Future[Outcome], Work] = {}
            with self._pool() as pool:
                try:
                    yield from self._drain(pool, works, retry, in_flight)
                    return
                except BrokenProcessPool:
                    pool.shutdown(wait=False, cancel_futures=True)
            for work in in_flight.values():
                crashes[work.recording.file] += 1
                if crashes[work.recording.file] < CRASHES_PER_FILE:
                    retry.append(work)
                else:
                    yield work, worker_died(work)

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded driver
            initializer=_start_local_worker,
            initargs=(self.options, os.getpid()),
        )

    def _drain(
        self,
        pool: ProcessPoolExecutor,
        works: Iterator[Work],
        retry: deque[Work],
        in_flight: dict[Future[Outcome], Work],
    ) -> Iterator[tuple[Work, Outcome]]:
        """Keep every worker busy until no work is left; yield outcomes as they finish."""
        while True:
            while len(in_flight) < self.workers and (work := _next(retry, works)) is not None:
                in_flight[pool.submit(_analyse_in_local_worker, work)] = work
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()  # BrokenProcessPool: the rest stay in in_flight
                yield in_flight.pop(future), outcome


def _next(retry: deque[Work], works: Iterator[Work]) -> Work | None:
    return retry.popleft() if retry else next(works, None)


def worker_died(work: Work) -> Outcome:
    """The error outcome of a recording that was in flight whenever its worker died."""
    died = CallcoachError(Err.BATCH_WORKER_DIED, name=work.recording.file)
    return Outcome(failure=Failure.of(died))


# -- the results file ------------------------------------------------------------------------


class ResultsFile:
    """The --out JSON Lines file: what is done already, and one appended line per file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records = self._read_and_repair()
        self._handle: IO[str] | None = None

    def _read_and_repair(self) -> list[dict[str, Any]]:
        """Every whole record; a half-written last line (a killed run) is cut off."""
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        cut = data.rfind(b"\n") + 1  # the end of the last whole line
        parsed = [_parse(line) for line in data[:cut].splitlines()]
        tail = data[cut:]
        if tail.strip() and (last := _parse(tail)) is not None:
            parsed.append(last)  # whole, only its newline is missing
            with self.path.open("ab") as handle:
                handle.write(b"\n")
        elif tail:
            with self.path.open("r+b") as handle:
                handle.truncate(cut)
        return [record for record in parsed if record is not None]

    def __enter__(self) -> ResultsFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def append(self, record: dict[str, Any]) -> None:
        """Write one line and push it to disk before the next file is counted done."""
        assert self._handle is not None, "use ResultsFile as a context manager"
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.records.append(record)


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) and "file" in record else None


def result_record(work: Work, analysis: CallAnalysis, trainee: str | None) -> dict[str, Any]:
    """A result line: CallAnalysis.to_json() plus what resuming needs."""
    record = {**analysis.to_json(), **_identity(work.recording, work.sha256)}
    if trainee is not None:
        record["stored_for"] = trainee
    return record


def error_record(recording: Recording, sha256: str | None, failure: Failure) -> dict[str, Any]:
    """An error line: ``{"file", "error": {"code", "message"}}`` plus what resuming needs."""
    identity = _identity(recording, sha256) if sha256 else {"file": recording.file}
    return {**identity, "error": failure.to_json()}


def _identity(recording: Recording, sha256: str) -> dict[str, Any]:
    return {
        "file": recording.file,
        "sha256": sha256,
        "size_bytes": recording.size_bytes,
        "mtime_ns": recording.mtime_ns,
    }


# -- what is done already --------------------------------------------------------------------


@dataclass(frozen=True)
class DoneTest:
    """Which lines of the results file count as done for this run."""

    key: Callable[[str], str]  # sha256 → processing key of this run's engine, model, rubric
    trainee: str | None = None
    retry_failed: bool = False

    def __call__(self, record: dict[str, Any]) -> bool:
        """An error line counts unless retried; a result must match the model and trainee."""
        if "error" in record:
            return not self.retry_failed
        if self.trainee is not None and record.get("stored_for") != self.trainee:
            return False
        return _record_key(record) == self.key(record["sha256"])


def _record_key(record: dict[str, Any]) -> str:
    return processing_key(
        record["sha256"],
        engine=record.get("engine", ""),
        model=record.get("model", ""),
        rubric_version=record.get("rubric_version", ""),
    )


@dataclass
class DoneIndex:
    """The latest line for each file, found by path+size+mtime or else by SHA-256."""

    by_stamp: dict[tuple[str, int, int], dict[str, Any]] = field(default_factory=dict)
    by_sha: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, records: list[dict[str, Any]]) -> DoneIndex:
        """Index the records; later lines win."""
        index = cls()
        for record in records:
            if "size_bytes" in record and "mtime_ns" in record:
                stamp = str(Path(record["file"]).resolve())
                index.by_stamp[stamp, record["size_bytes"], record["mtime_ns"]] = record
            if "sha256" in record:
                index.by_sha[record["sha256"]] = record
        return index

    def find(self, recording: Recording, done: DoneTest) -> dict[str, Any] | None:
        """The line that makes this recording done, if there is one (hashing only if needed)."""
        record = self.by_stamp.get(recording.stamp)
        if record is not None and done(record):
            return record
        if not self.by_sha:
            return None
        try:
            sha256 = file_sha256(Path(recording.file))
        except OSError:  # gone or unreadable: not done; reading it for the work says why
            return None
        record = self.by_sha.get(sha256)
        return record if record is not None and done(record) else None


# -- the CSV summary -------------------------------------------------------------------------

CSV_HEAD = ("file", "duration_s", "language", "overall")
CSV_TAIL = ("scorable", "error")


def write_summary(records: list[dict[str, Any]], path: Path) -> None:
    """One row per file (its latest line): overall, each criterion, scorable, error code."""
    latest = {record["file"]: record for record in records}
    criteria = list(
        dict.fromkeys(
            name
            for record in latest.values()
            for name in record.get("scorecard", {}).get("criteria", {})
        )
    )
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CSV_HEAD, *criteria, *CSV_TAIL])
        for record in latest.values():
            writer.writerow(_summary_row(record, criteria))
    partial.replace(path)


def _summary_row(record: dict[str, Any], criteria: list[str]) -> list[Any]:
    if "error" in record:
        return [record["file"], "", "", "", *([""] * len(criteria)), "", record["error"]["code"]]
    card = record["scorecard"]
    scores = [card["criteria"].get(name, {}).get("score", "") for name in criteria]
    overall = "" if card["overall"] is None else card["overall"]
    scorable = "no" if "unscorable" in card else "yes"
    return [
        record["file"],
        record["duration_s"],
        record["language"],
        overall,
        *scores,
        scorable,
        "",
    ]


def summary_path(out: Path) -> Path:
    """results.jsonl → results.csv, beside it."""
    return out.with_suffix(".csv")


# -- the driver ------------------------------------------------------------------------------

Store = Callable[[Work, CallAnalysis], None]


@dataclass
class BatchReport:
    """What a batch did: counts, audio and wall time, and where the results are."""

    found: int
    skipped: int = 0
    processed: int = 0
    failed: int = 0  # in this run
    failed_before: int = 0  # skipped because an earlier run recorded an error
    audio_s: float = 0.0  # processed in this run
    wall_s: float = 0.0
    workers: int = 1

    @property
    def audio_hours_per_hour(self) -> float:
        """Hours of audio processed per hour of wall time."""
        return self.audio_s / self.wall_s if self.wall_s else 0.0

    def line(self) -> str:
        """The final summary line."""
        failures = self.failed + self.failed_before
        earlier = f" ({self.failed_before} in an earlier run)" if self.failed_before else ""
        return (
            f"{self.found} files: {self.processed} processed, {self.skipped} already done, "
            f"{failures} failed{earlier}; {self.audio_s / 3600:.2f} h of audio in "
            f"{self.wall_s:.1f} s with {self.workers} worker(s) = "
            f"{self.audio_hours_per_hour:.1f} h of audio per hour"
        )


class FilesPerMinute(ProgressColumn):
    """Files finished per minute since the start (steadier than rich's recent speed)."""

    def render(self, task: Task) -> Text:
        """'12.0 files/min', or blank until the first file is done."""
        if not task.completed or not task.elapsed:
            return Text("")
        return Text(f"{task.completed / task.elapsed * 60:.1f} files/min", style="cyan")


def batch_progress(console: Console) -> Progress:
    """The progress bar on stderr: done/total, files per minute, elapsed and ETA."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        FilesPerMinute(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    )


@dataclass
class Batch:
    """One `callcoach batch` run: the plan, the runner, the results file and the store."""

    recordings: list[Recording]
    runner: Runner
    out: Path
    settings: Settings
    trainee: str | None = None
    store: Store | None = None
    retry_failed: bool = False
    console: Console = field(default_factory=lambda: Console(stderr=True))

    def run(self) -> BatchReport:
        """Process what is not done yet, append the lines, rewrite the CSV summary."""
        started = time.perf_counter()
        report = BatchReport(found=len(self.recordings))
        with ResultsFile(self.out) as results:
            todo = self._plan(results, report)
            self._process(todo, results, report)
            report.workers = self.runner.workers  # Ray's is known once connected
            write_summary(results.records, summary_path(self.out))
        report.wall_s = time.perf_counter() - started
        return report

    def _done_test(self) -> DoneTest:
        engine, model = self.settings.asr_engine, self.settings.asr_model
        version = scoring_files.rubric_in_use(self.settings).version
        return DoneTest(
            key=lambda sha: processing_key(sha, engine=engine, model=model, rubric_version=version),
            trainee=self.trainee,
            retry_failed=self.retry_failed,
        )

    def _plan(self, results: ResultsFile, report: BatchReport) -> list[Recording]:
        index, done = DoneIndex.of(results.records), self._done_test()
        todo = []
        for recording in self.recordings:
            record = index.find(recording, done)
            if record is None:
                todo.append(recording)
            else:
                report.skipped += 1
                report.failed_before += "error" in record
        if report.skipped:
            self.console.print(
                f"Resuming {self.out}: {report.skipped} of {report.found} files already done, "
                f"{len(todo)} to process.",
                markup=False,
                highlight=False,
            )
        return todo

    def _process(self, todo: list[Recording], results: ResultsFile, report: BatchReport) -> None:
        if not todo:
            return
        with batch_progress(self.console) as progress:
            task = progress.add_task("Scoring", total=len(todo))
            advance = functools.partial(progress.advance, task)
            works = self._readable(todo, results, report, advance)
            for work, outcome in self.runner.run(works):
                self._record(work, outcome, results, report)
                advance()

    def _readable(
        self,
        todo: list[Recording],
        results: ResultsFile,
        report: BatchReport,
        advance: Callable[[], None],
    ) -> Iterator[Work]:
        """The works, read one by one as workers get free; an unreadable file is an error line."""
        for recording in todo:
            try:
                yield Work.read(recording)
            except OSError as error:
                reason = error.strerror or type(error).__name__
                failed = CallcoachError(Err.BATCH_FILE_FAILED, name=recording.file, reason=reason)
                self._failed(recording, None, Failure.of(failed), results, report)
                advance()

    def _record(
        self, work: Work, outcome: Outcome, results: ResultsFile, report: BatchReport
    ) -> None:
        if outcome.worker_broken and outcome.failure is not None:
            raise outcome.failure.error()
        if outcome.analysis is None:
            assert outcome.failure is not None
            self._failed(work.recording, work.sha256, outcome.failure, results, report)
            return
        if self.store is not None:
            self.store(work, outcome.analysis)
        results.append(result_record(work, outcome.analysis, self.trainee))
        report.processed += 1
        report.audio_s += outcome.analysis.duration_s

    def _failed(
        self,
        recording: Recording,
        sha256: str | None,
        failure: Failure,
        results: ResultsFile,
        report: BatchReport,
    ) -> None:
        results.append(error_record(recording, sha256, failure))
        report.failed += 1
        message = f"{recording.file}: {failure.error()}"
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)


def make_runner(options: WorkerOptions, *, jobs: int | None, ray_address: str | None) -> Runner:
    """Local worker processes (--jobs of them, default 1), or Ray actors at `ray_address`."""
    if ray_address is None:
        workers = jobs or 1
        return LocalRunner(replace(options, threads=threads_per_worker(workers)), workers)
    from trainer.batch.ray import RayRunner

    return RayRunner(options, address=ray_address, jobs=jobs)


def trainee_store(settings: Settings, trainee: str) -> Store:
    """Store each analysed call as a real call of the trainee; E121 now if there is none."""
    known = calls.upload_targets(settings=settings, actor=COMMAND_LINE)
    if trainee not in {target.username for target in known}:
        raise CallcoachError(Err.TRAINEE_NOT_FOUND, username=trainee)

    def store(work: Work, analysis: CallAnalysis) -> None:
        calls.record_analysis(
            settings=settings,
            actor=COMMAND_LINE,
            trainee_username=trainee,
            source=work.data,
            analysis=analysis,
        )

    return store


def check_failures(report: BatchReport, out: Path) -> None:
    """Raise E953 when any recording of the batch ended in an error line."""
    failed = report.failed + report.failed_before
    if failed:
        raise CallcoachError(Err.BATCH_HAD_FAILURES, failed=failed, total=report.found, out=out)
