"""Every benchmark still imports: they are not run in the suite, so a renamed name would rot there."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCHMARKS = sorted(
    p.stem
    for p in (Path(__file__).resolve().parents[1] / "benchmarks").glob("*.py")
    if p.stem != "__init__"
)


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_imports(name: str) -> None:
    """The benchmark module (or a helper of one) imports."""
    assert f"benchmarks.{name}" == importlib.import_module(f"benchmarks.{name}").__name__
