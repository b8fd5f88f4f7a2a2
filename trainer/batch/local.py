"""Local worker processes: a spawn pool on this machine that restarts when a worker dies
and tries the recordings in flight again (Ray actors are the other runner, `ray.py`)."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from trainer.batch.work import BatchWorker, Outcome, Work, WorkerOptions, worker_died

CRASHES_PER_FILE = 2  # a file in flight when a worker died this often is given up
PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h): a signal for this process when its parent dies

_local_worker: list[BatchWorker] = []  # in a local worker process: its one BatchWorker


def _start_local_worker(options: WorkerOptions, driver_pid: int) -> None:
    die_with_driver(driver_pid)
    _local_worker.append(BatchWorker(options))


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
