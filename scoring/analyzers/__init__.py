"""Analyzers find evidence (hits) in a call; each registers itself in :mod:`.registry`.

Adding an analyzer is adding a module that decorates a function with ``register`` and
importing it below. They run in the order imported here; a later one may read the hits of
earlier ones (the question analyzer skips sentences another stage already claimed).
"""

from scoring.analyzers import phrases, checks, questions, names, recap, delivery  # noqa: F401, I001
from scoring.analyzers.registry import run_all

__all__ = ["run_all"]
