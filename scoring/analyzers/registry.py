"""The analyzer registry: each analyzer module decorates its function with :func:`register`."""

from __future__ import annotations

from collections.abc import Callable

from scoring.call import Call, Hit

Analyzer = Callable[[Call, list[Hit]], list[Hit]]
ANALYZERS: dict[str, Analyzer] = {}


def register(name: str) -> Callable[[Analyzer], Analyzer]:
    """Decorator: add an analyzer to the registry under name."""

    def add(analyzer: Analyzer) -> Analyzer:
        ANALYZERS[name] = analyzer
        return analyzer

    return add


def run_all(call: Call) -> list[Hit]:
    """Every analyzer's hits, in registration order."""
    hits: list[Hit] = []
    for analyzer in ANALYZERS.values():
        hits.extend(analyzer(call, hits))
    return hits
