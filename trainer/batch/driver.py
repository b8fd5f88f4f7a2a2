"""`callcoach batch`: score a folder of recorded calls with worker processes, resumably.

The driver (this process) finds the recordings, skips those the results file already
holds, reads each file and hands its bytes to a worker, and appends one JSON line per file
as results come back, flushed at once: a killed batch loses only the files in flight, and
running it again picks up where it stopped. A bad file gets an error line and the batch
goes on. Each worker loads the Whisper model once and keeps it; the local workers are
processes on this machine (`local.py`), Ray actors are the other runner
(`trainer/batch/ray.py`) for the same driver.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

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

from trainer.batch.files import FoundRecording
from trainer.batch.local import LocalRunner, threads_per_worker
from trainer.batch.ray import RayRunner
from trainer.batch.results import (
    DoneIndex,
    DoneTest,
    ResultsFile,
    error_record,
    result_record,
    summary_path,
    write_summary,
)
from trainer.batch.work import Failure, Outcome, Runner, Work, WorkerOptions
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import calls, scoring_files
from trainer.services.accounts import COMMAND_LINE
from trainer.speech.analysis import CallAnalysis, processing_key

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

    recordings: list[FoundRecording]
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

    def _plan(self, results: ResultsFile, report: BatchReport) -> list[FoundRecording]:
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

    def _process(
        self, todo: list[FoundRecording], results: ResultsFile, report: BatchReport
    ) -> None:
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
        todo: list[FoundRecording],
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
        recording: FoundRecording,
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
