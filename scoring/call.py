"""One call prepared for the analyzers: utterances, their spaCy docs and where each sits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scoring import nlp
from scoring.lexicon import Lexicon
from scoring.rubric import Rubric
from scoring.scenario import ScoringScenario
from scoring.transcript import Utterance

if TYPE_CHECKING:  # spaCy loads in ~3 s; only scoring needs it, not every import
    from spacy.tokens import Doc, Span

OPENING_SHARE = 0.15
CLOSING_SHARE = 0.2
EDGE_TURNS = 2
WHOLE_CALL = -1  # Hit.utterance of evidence about the whole call (delivery)


@dataclass(frozen=True)
class Hit:
    """Evidence: a rule matched (or was derived) in one utterance, with the words that show it."""

    rule: str
    utterance: int
    text: str
    sentence: int = 0  # token offset of the sentence in the utterance's doc


@dataclass
class Call:
    """Everything analyzers read about one call."""

    utterances: list[Utterance]
    language: str
    lexicon: Lexicon
    scenario: ScoringScenario
    rubric: Rubric
    docs: dict[int, Doc] = field(default_factory=dict)
    agent_order: list[int] = field(default_factory=list)
    duration_s: float | None = None
    outcome: str | None = None  # how a practice call ended (see scorecard.OUTCOME_FAILS)

    def position(self, index: int) -> set[str]:
        """'opening' and/or 'closing' for an agent utterance, from its rank among agent turns."""
        rank, total = self.agent_order.index(index), len(self.agent_order)
        places = {"any"}
        if rank < max(EDGE_TURNS, round(OPENING_SHARE * total)):
            places.add("opening")
        if rank >= total - max(EDGE_TURNS, round(CLOSING_SHARE * total)):
            places.add("closing")
        return places

    def agent_docs(self) -> list[tuple[int, Doc]]:
        """(utterance index, doc) for every agent utterance, in call order."""
        return [(index, self.docs[index]) for index in self.agent_order]

    def customer_docs(self) -> list[tuple[int, Doc]]:
        """(utterance index, doc) for every customer utterance, in call order."""
        return [(i, self.docs[i]) for i, turn in enumerate(self.utterances) if not turn.is_agent]


def prepare(
    utterances: list[Utterance],
    *,
    language: str,
    lexicon: Lexicon,
    scenario: ScoringScenario,
    rubric: Rubric,
    duration_s: float | None = None,
    agent_docs: list[Doc] | None = None,
    outcome: str | None = None,
) -> Call:
    """Run the pipeline: full analysis for agent turns, tokens only for customer turns.

    ``agent_docs`` are the agent turns already analysed (batch scoring pipes many calls);
    ``outcome`` is how the practice simulator ended the call, if it did.
    """
    agent_order = [index for index, turn in enumerate(utterances) if turn.is_agent]
    if agent_docs is None:
        agent_docs = nlp.analyse(language, [utterances[index].text for index in agent_order])
    docs = dict(zip(agent_order, agent_docs, strict=True))
    for index, turn in enumerate(utterances):
        if not turn.is_agent:
            docs[index] = nlp.tokenize(language, turn.text)
    return Call(
        utterances, language, lexicon, scenario, rubric, docs, agent_order, duration_s, outcome
    )


def is_question(sentence: Span, lexicon: Lexicon) -> bool:
    """A question by its mark, its first word (what, can you...) or a particle (ли)."""
    tokens = [token for token in sentence if not token.is_space]
    if not tokens:
        return False
    if tokens[-1].text == "?" or any(lexicon.is_a(t.lower_, "question_particles") for t in tokens):
        return True
    if tokens[-1].text in {".", "!"}:
        return False
    first = tokens[0].lower_
    if lexicon.is_a(first, "question_words"):
        return True
    inverted = len(tokens) > 1 and lexicon.is_a(tokens[1].lower_, "pronoun")
    return lexicon.is_a(first, "question_openers") and inverted
