"""`callcoach worker`: transcribes and scores uploaded calls, one job at a time.

The model is loaded once, at start. Each job is claimed with a lease that a background
thread extends while the job runs; results are stored, and the job marked done, in one
transaction at the end. A worker killed mid-job therefore leaves nothing half-stored: its
lease runs out and another worker (or this one, restarted) takes the job over.

A job that runs longer than `CALLCOACH_WORKER_MAX_RUN_S` (a hung decoder) is failed by the
lease thread with E008 and its lease is left to run out; whatever the hung work returns later
finds the job no longer its own and stores nothing.

Failures: a coded error (bad audio, no speech, a missing model) would fail the same way
again, so the job is marked failed at once with that error, for a person to fix and retry.
Anything else (a crash, a lost database connection) puts the job back in the queue until
it has been started `CALLCOACH_WORKER_MAX_ATTEMPTS` times.

SIGTERM or Ctrl+C: the current job is finished, then the worker exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

from scoring.errors import CodedError
from trainer.config import Settings
from trainer.errors import CallcoachError, Err, unexpected
from trainer.services import JobStatus, calls
from trainer.speech import transcription
from trainer.speech.analysis import CallAnalysis

Say = Callable[[str], None]
WORKER_LOG = "the worker's log"
TAKEN_OVER = "taken over by another worker (its lease ran out), nothing stored"


def worker_name() -> str:
    """host:pid, what the jobs table names the worker holding a job."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """Claims and processes upload jobs until stopped."""

    def __init__(self, settings: Settings, *, say: Say, name: str | None = None) -> None:
        self.settings = settings
        self.say = say
        self.name = name or worker_name()
        self.stopping = threading.Event()

    def stop(self, signum: int = signal.SIGTERM, _frame: FrameType | None = None) -> None:
        """Finish the current job, then exit (the SIGTERM and SIGINT handler)."""
        if not self.stopping.is_set():
            self.say(f"{signal.Signals(signum).name}: finishing the current job, then stopping")
        self.stopping.set()

    def run(self, *, once: bool, poll_s: float) -> int:
        """Work jobs until stopped (or, with `once`, until none is waiting); jobs worked."""
        transcription.load_engine(self.settings)  # fail fast: a missing model stops the start
        self.say(f"worker {self.name} ready ({self.settings.asr_engine} {self.settings.asr_model})")
        worked = 0
        while not self.stopping.is_set():
            if self._work_or_wait(once=once, poll_s=poll_s):
                worked += 1
            elif once:
                break
        return worked

    def _work_or_wait(self, *, once: bool, poll_s: float) -> bool:
        """One job if one is waiting (True); else, or after a database error, a pause."""
        try:
            if self.work_one():
                return True
        except Exception as error:
            if once:
                raise
            # e.g. the database restarting: the job's lease runs out and it is tried again
            self.say(f"cannot work the queue now ({type(error).__name__}: {error}); waiting")
        if not once:
            self.stopping.wait(poll_s)
        return False

    def work_one(self) -> bool:
        """Claim and process one job; False when none was waiting."""
        claimed = calls.claim_call_job(settings=self.settings, worker=self.name)
        if claimed is None:
            return False
        started = time.monotonic()
        try:
            with self._lease_kept(claimed):
                analysis = calls.analyse_claimed(settings=self.settings, claimed=claimed)
        except CodedError as error:
            self._failed(claimed, error, retry=False)
        except Exception as error:  # one job's crash must not stop the worker
            self._failed(claimed, unexpected(error, log=WORKER_LOG), retry=True)
        else:
            self._completed(claimed, analysis, time.monotonic() - started)
        return True

    def _completed(self, claimed: calls.ClaimedJob, analysis: CallAnalysis, seconds: float) -> None:
        if not calls.complete_call_job(settings=self.settings, claimed=claimed, analysis=analysis):
            self.say(f"job {claimed.job_id} {claimed.file}: {TAKEN_OVER}")
            return
        card = analysis.scorecard
        verdict = (
            f"not scored ({card.unscorable.reason})"
            if card.unscorable
            else f"{card.overall:.0f}/100 {'passed' if card.passed else 'not passed'}"
        )
        self.say(
            f"job {claimed.job_id} {claimed.file}: done in {seconds:.1f} s "
            f"({analysis.duration_s:.0f} s of audio) — {verdict}; {analysis.speaker_method}"
        )

    def _failed(self, claimed: calls.ClaimedJob, error: CodedError, *, retry: bool) -> None:
        status = calls.fail_call_job(
            settings=self.settings, claimed=claimed, error=error, retry=retry
        )
        tries = f"start {claimed.attempts} of {claimed.max_attempts}"
        outcomes = {JobStatus.PENDING: "will be retried", JobStatus.FAILED: "failed"}
        then = outcomes[JobStatus(status)] if status else TAKEN_OVER
        self.say(f"job {claimed.job_id} {claimed.file}: {then} ({tries}) — {error}")

    @contextlib.contextmanager
    def _lease_kept(self, claimed: calls.ClaimedJob) -> Iterator[None]:
        """Extend the job's lease in the background while the body runs, for at most
        CALLCOACH_WORKER_MAX_RUN_S: then the job fails (E008), so a hung job ends."""
        done = threading.Event()
        limit_s = self.settings.worker_max_run_s
        every_s = min(self.settings.worker_lease_s / 3, limit_s)
        deadline = time.monotonic() + limit_s

        def beat() -> None:
            while not done.wait(min(every_s, max(deadline - time.monotonic(), 0.0))):
                if time.monotonic() >= deadline:
                    error = CallcoachError(Err.JOB_TOO_LONG, limit_s=limit_s)
                    with contextlib.suppress(Exception):  # else the lease runs out: retried
                        self._failed(claimed, error, retry=False)
                    return
                with contextlib.suppress(Exception):  # a missed beat only shortens the lease
                    if not calls.extend_lease(settings=self.settings, claimed=claimed):
                        return

        thread = threading.Thread(target=beat, name=f"lease-{claimed.job_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()


def run_worker(settings: Settings, *, once: bool, poll_s: float, say: Say) -> int:
    """Run a worker in this process with SIGTERM/SIGINT stopping it gently; jobs worked."""
    worker = Worker(settings, say=say)
    previous = {sig: signal.signal(sig, worker.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return worker.run(once=once, poll_s=poll_s)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
