"""The one registry type: analyzers, recognition engines and voices are picked from it by name."""

from __future__ import annotations

import pytest

from scoring.analyzers.registry import ANALYZERS
from scoring.registry import Registry
from trainer.speech import engines, voice


def test_entries_keep_their_order_and_a_name_is_taken_once() -> None:
    """The order of adding is the order of use; a second claim on a name fails loudly."""
    shelf: Registry[int] = Registry("number")
    shelf.add("two", 2)
    shelf.register("one")(1)
    with pytest.raises(ValueError, match="a number named 'two' is registered already"):
        shelf.add("two", 3)
    assert (["two", "one"], [2, 1], 2, "one" in shelf, "three" in shelf) == (
        shelf.names(),
        shelf.entries(),
        shelf["two"],
        True,
        False,
    )


def test_analyzers_engines_and_voices_share_the_registry_type() -> None:
    """Every pick-by-name place in the app is the same type, filled at import."""
    registries = [ANALYZERS, engines.ENGINES, voice.ENGINES, voice.VOICES]
    assert [True] * 4 == [isinstance(r, Registry) and len(r) > 0 for r in registries]
    assert {"faster-whisper", "openai-whisper"} <= set(engines.ENGINES)
