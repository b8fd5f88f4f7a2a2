"""The stage model: shipped files match their data, evidence per label, rule-only mode, rebuilds."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from scoring.errors import ScoringError
from scoring.scorecard import score_transcript
from scoring.stages import decide, rule_stages
from scoring.training import model
from scoring.training.dialogues import (
    DATA,
    SCRIPTS,
    Dialogue,
    DialogueTurn,
    read_dialogues,
    read_script,
    script_files,
)
from scoring.training.train import analyse, fit, rows_of
from scoring.transcript import AGENT, CUSTOMER, Utterance

LANGUAGES = ("en", "ru")
MAX_MODEL_BYTES = 20 * 1024 * 1024


def _source(name: str) -> Path:
    return SCRIPTS / Path(name).name if name.startswith("benchmarks/") else DATA / name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_model_was_trained_on_the_committed_data(language: str) -> None:
    """Each source in the model's card is committed with the hash and dialogue count recorded."""
    sources = model.load(language).card["sources"]
    actual = {}
    for name in sources:
        path = _source(name)
        dialogues = read_script(path) if name.startswith("benchmarks/") else read_dialogues(path)
        actual[name] = (hashlib.sha256(path.read_bytes()).hexdigest(), len(dialogues))
    assert {n: (s["sha256"], s["dialogues"]) for n, s in sources.items()} == actual


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_cards_state_the_counts_the_model_was_trained_on(language: str) -> None:
    """A corpus source's dialogue and agent-turn counts are written in its folder's data card."""
    sources = model.load(language).card["sources"]
    for name, source in sources.items():
        if name.startswith("benchmarks/"):
            continue
        card = (DATA / name).parent.joinpath("DATACARD.md").read_text(encoding="utf-8")
        assert (True, True) == (
            f"{source['dialogues']:,}" in card,
            f"{source['agent_turns']:,}" in card,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_model_is_small(language: str) -> None:
    """A language's model file stays within 20 MB."""
    assert model.model_path(language).stat().st_size <= MAX_MODEL_BYTES


def test_the_same_data_gives_the_same_model() -> None:
    """Fitting twice on the same rows gives identical weights (seeded, deterministic)."""
    calls = read_script(script_files("en", "tune")[0])[:4]
    rows = rows_of(calls, "en", 1.0)
    first, second = fit(rows, "en"), fit(rows, "en")
    assert (True, True, first.vocabulary) == (
        np.array_equal(first.weights, second.weights),
        np.array_equal(first.bias, second.bias),
        second.vocabulary,
    )


def _dialogue(turns: list[Utterance]) -> Dialogue:
    return Dialogue("t", [DialogueTurn("A" if u.is_agent else "C", u.text, []) for u in turns])


def _call(lines: list[tuple[str, str]]) -> list[Utterance]:
    return [Utterance(AGENT if who == "A" else CUSTOMER, text) for who, text in lines]


# STAGES.md's own examples of informing: facts asked for, good news or bad, things done
INFORMING = [
    ("en", "Is there a table tonight?", "We have a table at 7."),
    ("en", "How much is left on my card?", "Your balance is 4,447."),
    ("en", "Can I stay from the 3rd to the 6th?", "There is no room left on those dates."),
    ("en", "Please book it.", "I've booked it."),
    ("en", "Where is my taxi?", "Your driver is 4 minutes away."),
    ("ru", "Оформите, пожалуйста.", "Бронь оформлена."),
]


@pytest.mark.parametrize(("language", "ask", "answer"), INFORMING)
def test_informing_the_customer_is_a_solution_offer(language: str, ask: str, answer: str) -> None:
    """An answer that informs or reports a result is labelled solution_offer by the model."""
    opening = {"en": "Hello, how can I help?", "ru": "Здравствуйте, чем могу помочь?"}[language]
    turns = _call([("A", opening), ("C", ask), ("A", answer)])
    assert "solution_offer" in score_transcript(turns, language=language).stages[2]


# A turn that informs in one sentence and asks in the next does both (STAGES.md)
INFORM_THEN_ASK = [
    (
        "en",
        "I need a hotel for Friday.",
        "There are six hotels like that. Any price range in mind?",
    ),
    ("ru", "Мне нужен рейс на пятницу.", "Я нашёл пять рейсов на этот день. Во сколько вылететь?"),
]


@pytest.mark.parametrize(("language", "ask", "answer"), INFORM_THEN_ASK)
def test_a_turn_that_informs_then_asks_has_both_stages(
    language: str, ask: str, answer: str
) -> None:
    """Each sentence of a longer turn is read too: the fact is an offer, the question discovery."""
    opening = {"en": "Hello, how can I help?", "ru": "Здравствуйте, чем могу помочь?"}[language]
    turns = _call([("A", opening), ("C", ask), ("A", answer)])
    found = score_transcript(turns, language=language).stages[2]
    assert ["needs_discovery", "solution_offer"] == [s for s in found if s != "follow_up"]


def test_every_label_carries_its_reason_in_the_json() -> None:
    """stage_evidence gives the rule phrase where one fired, else the weightiest words."""
    turns = _call(
        [
            ("A", "Hello, how can I help?"),
            ("C", "Where is my taxi?"),
            ("A", "Your driver is 4 minutes away."),
        ]
    )
    utterances = score_transcript(turns, language="en").to_json()["utterances"]
    greeting, customer, informing = (u["stage_evidence"] for u in utterances)
    assert ("greet.hello", "Hello", [], "solution_offer") == (
        greeting[0]["rule"],
        greeting[0]["phrase"],
        customer,
        informing[0]["stage"],
    )
    assert (True, True) == (
        bool(informing[0]["words"]),
        0.5 <= informing[0]["probability"] <= 1.0,
    )


def test_rule_only_mode_gives_the_rule_labels() -> None:
    """mode='rules' labels a turn with the stage of every stage-carrying hit, nothing else."""
    turns = _call([("A", "Hello, how can I help?"), ("C", "Hi."), ("A", "Anything else?")])
    [(call, hits)] = analyse([_dialogue(turns)], "en")
    assert rule_stages(call, hits) == decide(call, hits, mode="rules").stages


def test_an_unknown_mode_is_a_coded_error() -> None:
    """A stage mode other than model or rules fails with E436."""
    turns = _call([("A", "Hello.")])
    [(call, hits)] = analyse([_dialogue(turns)], "en")
    with pytest.raises(ScoringError) as error:
        decide(call, hits, mode="guess")
    assert "E436" == error.value.code


@pytest.fixture
def no_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Model files looked for in an empty folder, the cache cleared before and after."""
    monkeypatch.setattr(model, "MODELS", tmp_path)
    model.load.cache_clear()
    yield
    model.load.cache_clear()


@pytest.mark.usefixtures("no_models")
def test_a_missing_model_is_a_coded_error() -> None:
    """Scoring without the model file fails with E435, naming the rebuild command."""
    with pytest.raises(ScoringError) as error:
        model.load("en")
    assert ("E435", True) == (error.value.code, "python -m scoring.training" in str(error.value))
