"""The analyzer registry: each analyzer module decorates its function with :func:`register`."""

from __future__ import annotations

from collections.abc import Callable

from scoring.call import Call, Hit
from scoring.registry import Registry

Analyzer = Callable[[Call, list[Hit]], list[Hit]]
ANALYZERS: Registry[Analyzer] = Registry("analyzer")
register = ANALYZERS.register


def run_all(call: Call) -> list[Hit]:
    """Every analyzer's hits, in registration order."""
    hits: list[Hit] = []
    for analyzer in ANALYZERS.entries():
        hits.extend(analyzer(call, hits))
    return hits
