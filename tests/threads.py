"""Run the same work on many threads released at one moment, to race real requests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def all_at_once(work: Callable[[int], T], count: int) -> tuple[list[T], list[BaseException]]:
    """Run work(0..count-1) on threads released together; the results and any exceptions."""
    gate = threading.Barrier(count)
    results: list[T] = []
    errors: list[BaseException] = []

    def one(index: int) -> None:
        gate.wait()
        try:
            results.append(work(index))
        except BaseException as error:  # every failure is the test's finding
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
