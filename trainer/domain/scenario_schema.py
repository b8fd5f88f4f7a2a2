"""The practice scenario's schema: the customer, the briefing and the graph of customer lines.

A scenario is one YAML file in ``trainer/scenarios/`` named ``<id>.yaml``: the customer
persona, the trainee's briefing, and a graph of customer lines (``nodes``). Each node's
``reactions`` pick the next node from the behaviour tags the trainee's answer shows
(:data:`BEHAVIOURS`); the first rule whose ``when`` tags were all detected wins, and the
``otherwise: true`` rule is the fallback. ``mood`` rules apply on every turn, whatever the
node, and only change patience. The call itself runs in :mod:`trainer.domain.simulator`;
the loader is :mod:`trainer.domain.scenario`, the checks :mod:`trainer.domain.scenario_checks`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, PrivateAttr, model_validator

from scoring.behaviours import TAGS
from scoring.validation import KeyPath, StrictModel
from scoring.vocabulary import Language, Stage

SCENARIO_DIR = Path(__file__).parents[1] / "scenarios"
SILENCE = "silence"  # the tag of an empty answer (nothing said, or the time ran out)
BEHAVIOURS: frozenset[str] = frozenset({*TAGS, SILENCE})
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

CustomerType = Literal["new", "regular", "key_account", "just_looking"]
Gender = Literal["female", "male"]
AgeBand = Literal["young", "adult", "elderly"]
# Temperament words (English and Russian stems) that set how fast the customer speaks.
_FAST_TEMPERS = (
    "angry",
    "impatient",
    "demanding",
    "irritated",
    "злой",
    "нетерпелив",
    "раздраж",
    "требовательн",
)
_SLOW_TEMPERS = ("confused", "растерян")
PACE = {"fast": 1.12, "slow": 0.88, "elderly": 0.85}  # speaking-rate factors, 1.0 = as voiced
_TERM_NUMBER = re.compile(r"\b\d[\d-]{2,}\d\b")  # order, account and phone numbers
End = Literal["resolved", "escalated", "hung_up"]
Skill = Literal[
    "greeting",
    "needs_discovery",
    "solution_offer",
    "follow_up",
    "empathy",
    "de_escalation",
    "personalization",
    "honesty",
    "escalation",
    "professionalism",
    "impartiality",
    "clear_communication",
    "stress_resilience",
    "efficiency",
    "proactivity",
]
FieldPath = KeyPath


class Persona(StrictModel):
    """The simulated customer."""

    name: str = Field(min_length=1)
    type: CustomerType
    temperament: str = Field(min_length=1)  # angry, confused, impatient, elderly, ...
    patience: int = Field(ge=0, le=100)  # at 0 the customer hangs up
    gender: Gender | None = None  # picks the voice; None: the language's default voice
    age: AgeBand = "adult"

    @property
    def pace(self) -> float:
        """Speaking rate for the voice: the elderly slower, angry or impatient ones faster."""
        temper = self.temperament.lower()
        if self.age == "elderly":
            return PACE["elderly"]
        if any(word in temper for word in _SLOW_TEMPERS):
            return PACE["slow"]
        return PACE["fast"] if any(word in temper for word in _FAST_TEMPERS) else 1.0


class MoodRule(StrictModel):
    """A patience change on every turn whose answer shows all the ``when`` tags."""

    when: list[str] = Field(min_length=1)
    patience: int = Field(ge=-100, le=100)
    why: str = Field(min_length=1)

    def matches(self, detected: frozenset[str]) -> bool:
        """Whether the answer showed every tag of this rule."""
        return set(self.when) <= detected


class Transition(StrictModel):
    """One reaction of a node: tags to match (or the fallback), patience change, next node."""

    when: list[str] = Field(default_factory=list)
    otherwise: bool = False
    patience: int = Field(default=0, ge=-100, le=100)
    next: str
    why: str = Field(min_length=1)

    @model_validator(mode="after")
    def _when_or_otherwise(self) -> Self:
        if bool(self.when) == self.otherwise:
            raise ValueError("give either 'when: [tags]' or 'otherwise: true'")
        return self

    def matches(self, detected: frozenset[str]) -> bool:
        """Whether this rule fires: the fallback always does, others need every tag."""
        return self.otherwise or set(self.when) <= detected


class Node(StrictModel):
    """One customer line and how the customer reacts to the trainee's answer to it."""

    say: str = Field(min_length=1)
    audio: str | None = None  # recorded line, relative to the scenario file
    end: End | None = None
    reactions: list[Transition] = Field(default_factory=list)


class Scenario(StrictModel):
    """A practice call: persona, briefing, customer graph and what scoring should require."""

    id: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    language: Language
    channel: Literal["phone", "chat"]
    difficulty: int = Field(ge=1, le=5)
    skills: list[Skill] = Field(min_length=1)
    customer: Persona
    company: str = Field(min_length=1)
    # the case's number as the agent reads it back ("order 58213"): feedback examples use it
    reference: str | None = Field(default=None, min_length=1)
    briefing: str = Field(min_length=1)
    goal: str = Field(min_length=1)
    required_stages: list[Stage] = Field(default_factory=list)
    escalation_expected: bool = False
    limits_expected: bool = False
    alternative_expected: bool = False
    forbidden_promises: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    max_turns: int = Field(ge=1, le=50)
    hangup_line: str = Field(min_length=1)
    hangup_audio: str | None = None
    # phone calls at this difficulty or above hide the customer's text; chat never does
    hide_subtitles_from_difficulty: int | None = Field(default=4, ge=1, le=5)
    show_patience: bool = True  # the patience meter; default: shown for difficulty 1-2
    mood: list[MoodRule] = Field(default_factory=list)
    start: str
    nodes: dict[str, Node] = Field(min_length=1)
    example_good_answers: list[str] = Field(
        default_factory=list
    )  # a model call; validation plays it to the goal
    vocabulary: list[str] = Field(
        default_factory=list
    )  # product and place names recognition should expect
    _folder: Path | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _defaults_by_channel_and_difficulty(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("channel") == "chat":
            data = {"hide_subtitles_from_difficulty": None} | data
        if isinstance(data, dict) and isinstance(data.get("difficulty"), int):
            data = {"show_patience": data["difficulty"] <= 2} | data
        return data

    @property
    def subtitles(self) -> bool:
        """Whether the trainee sees the customer's lines as text."""
        threshold = self.hide_subtitles_from_difficulty
        return self.channel == "chat" or threshold is None or self.difficulty < threshold

    @property
    def expected_outcome(self) -> End:
        """How a good call ends: escalated when escalation is expected, else resolved."""
        return "escalated" if self.escalation_expected else "resolved"

    def scoring_requirements(self, agent_name: str | None = None) -> dict[str, Any]:
        """The fields scoring reads (see scoring/scenario.py); ``agent_name`` is who plays
        the agent, named in the feedback's examples."""
        return {
            "id": self.id,
            "version": str(self.version),
            "customer_name": self.customer.name,
            "company": self.company,
            "agent_name": agent_name,
            "reference": self.reference,
            "forbidden_promises": self.forbidden_promises,
            "required_stages": self.required_stages,
            "escalation_expected": self.escalation_expected,
            "limits_expected": self.limits_expected,
            "alternative_expected": self.alternative_expected,
            "weights": self.weights,
        }

    def vocabulary_terms(self, customer_line: str = "") -> list[str]:
        """What recognition of an answer should expect: the customer's last line, then the
        company, the customer's name, products and the briefing's numbers (last counts most:
        Whisper keeps the end of a long prompt)."""
        numbers = _TERM_NUMBER.findall(self.briefing)
        terms = [customer_line, self.company, self.customer.name, *self.vocabulary, *numbers]
        return list(dict.fromkeys(term.strip() for term in terms if term.strip()))

    def audio_path(self, relative: str | None) -> Path | None:
        """A recorded line's file, resolved next to the scenario file; None when there is
        none, or when the path leads out of the scenario's folder (never served)."""
        if relative is None:
            return None
        folder = (self._folder or SCENARIO_DIR).resolve()
        path = (folder / relative).resolve()
        return path if path.is_relative_to(folder) else None

    def next_transition(self, node: str, detected: frozenset[str]) -> Transition:
        """The first reaction of ``node`` that the detected tags fire."""
        return next(rule for rule in self.nodes[node].reactions if rule.matches(detected))
