"""Analyzers find evidence (hits) in a call; each registers itself here under a name.

Adding an analyzer is adding a module that decorates a function with :func:`register`
and importing it below. They run in registration order; a later one may read the hits
of earlier ones (the question analyzer skips sentences another stage already claimed).
"""

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


from scoring.analyzers import phrases, checks, questions, names, recap  # noqa: E402, F401, I001
from scoring import delivery  # noqa: E402, F401
