"""Score a call: hits → criteria scores with evidence and feedback → :class:`Scorecard`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring import analyzers, context, nlp
from scoring.analyzers.names import customer_name_keys
from scoring.call import WHOLE_CALL, Call, Hit, prepare
from scoring.delivery import Delivery, has_timings, measure
from scoring.lexicon import Lexicon, load_lexicon
from scoring.rubric import DEFAULT_RUBRIC, Criterion, Item, Rubric, load_rubric
from scoring.scenario import as_scenario
from scoring.stages import decide
from scoring.transcript import Utterance, detect_language
from scoring.unscorable import Unscorable, unscorable_reason

EVIDENCE_PER_RULE = 3
REPLY_OPENING_TOKENS = 3  # a refusal or acceptance opens a reply: "No, ...", "Okay, ..."
HUNG_UP = "hung_up"  # simulator outcomes that end a practice call without its goal
OUT_OF_TURNS = "max_turns"
ESCALATED = "escalated"


@dataclass(frozen=True)
class CriterionScore:
    """One criterion's score with the evidence behind it and advice for what was missed."""

    score: int
    max: int
    evidence: list[dict[str, Any]]
    missed: list[str]
    feedback: str


@dataclass
class Scorecard:
    """The result of scoring one call; ``to_json()`` is the CLI contract of DESIGN.md."""

    language: str
    utterances: list[Utterance]
    stages: dict[int, list[str]]
    delivery: Delivery
    stage_evidence: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    criteria: dict[str, CriterionScore] = field(default_factory=dict)
    overall: float | None = None
    passed: bool = False
    auto_fail: list[dict[str, Any]] = field(default_factory=list)
    unscorable: Unscorable | None = None
    rubric_version: str = ""
    scenario_version: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract object; an unscorable call adds ``unscorable`` (see unscorable.py)."""
        result: dict[str, Any] = {
            "overall": self.overall,
            "passed": self.passed,
            "language": self.language,
            "auto_fail": self.auto_fail,
            "criteria": {name: vars(score) for name, score in self.criteria.items()},
            "utterances": [self._utterance_json(i) for i in range(len(self.utterances))],
            "delivery": self.delivery.to_json(),
        }
        if self.unscorable is not None:
            result["unscorable"] = self.unscorable.to_json()
        return result

    def _utterance_json(self, index: int) -> dict[str, Any]:
        turn = self.utterances[index]
        return {
            "index": index,
            "speaker": turn.speaker,
            "text": turn.text,
            "start": turn.start,
            "end": turn.end,
            "stages": self.stages.get(index, []),
            "stage_evidence": self.stage_evidence.get(index, []),
        }


def score_transcript(
    turns: list[Utterance],
    *,
    language: str | None = None,
    rubric: Rubric | Path | None = None,
    lexicon: Lexicon | None = None,
    scenario: Any = None,
    duration_s: float | None = None,
    source: str = "transcript",
    outcome: str | None = None,
) -> Scorecard:
    """Score one call.

    ``language`` None detects it from the text; ``rubric`` is a loaded rubric or a path
    (default: the packaged one); ``lexicon`` a loaded lexicon of the call's language
    (default: the packaged one); ``scenario`` is a dict or object with the fields of
    :class:`scoring.scenario.ScoringScenario`; ``duration_s`` is the recording's length;
    ``outcome`` is how the practice simulator ended the call (resolved, escalated, hung_up,
    max_turns): a hang-up, running out of turns or a missing required escalation fails it.
    """
    language = detect_language(turns, stated=language, source=source)
    call = prepare(
        turns,
        language=language,
        lexicon=lexicon or load_lexicon(language),
        scenario=as_scenario(scenario),
        rubric=_rubric(rubric),
        duration_s=duration_s,
        outcome=outcome,
    )
    return scorecard(call, analyzers.run_all(call))


def score_batch(
    calls: list[list[Utterance]],
    *,
    language: str,
    rubric: Rubric | Path | None = None,
    scenario: Any = None,
) -> list[Scorecard]:
    """Score many calls of one language, analysing all their agent turns in one ``nlp.pipe``."""
    texts = [[turn.text for turn in turns if turn.is_agent] for turns in calls]
    docs = iter(nlp.analyse(language, [text for call in texts for text in call]))
    lexicon, requirements, current = load_lexicon(language), as_scenario(scenario), _rubric(rubric)
    cards = []
    for turns, agent_texts in zip(calls, texts, strict=True):
        call_docs = [next(docs) for _ in agent_texts]
        call = prepare(
            turns,
            language=language,
            lexicon=lexicon,
            scenario=requirements,
            rubric=current,
            agent_docs=call_docs,
        )
        cards.append(scorecard(call, analyzers.run_all(call)))
    return cards


def _rubric(rubric: Rubric | Path | None) -> Rubric:
    return rubric if isinstance(rubric, Rubric) else load_rubric(rubric or DEFAULT_RUBRIC)


def scorecard(call: Call, hits: list[Hit]) -> Scorecard:
    """Turn a prepared call and its hits into a scorecard (or an unscorable result)."""
    labels = decide(call, hits)
    card = Scorecard(
        language=call.language,
        utterances=call.utterances,
        stages=labels.stages,
        delivery=measure(call.utterances, call.docs, call.lexicon),
        stage_evidence=labels.evidence,
        rubric_version=call.rubric.version,
        scenario_version=call.scenario.version,
    )
    card.unscorable = unscorable_reason(call)
    if card.unscorable is not None:
        return card
    conditions = call_conditions(call, hits)
    credited = context.credited(call, hits)
    for name, criterion in call.rubric.criteria.items():
        if _applies(criterion, call, conditions):
            card.criteria[name] = score_criterion(
                name, criterion, credited, conditions, call.lexicon, example_words(call)
            )
    card.overall = overall(card.criteria, criterion_weights(call.rubric, call.scenario.weights))
    card.auto_fail = auto_failures(call, hits, card.stages)
    card.passed = card.overall >= call.rubric.pass_mark and not card.auto_fail
    return card


def call_conditions(call: Call, hits: list[Hit]) -> set[str]:
    """Scenario flags plus facts of this call that make rubric items applicable."""
    conditions = call.scenario.flags()
    if customer_name_keys(call):
        conditions.add("customer_name_known")
    if offer_refused(call, hits):
        conditions.add("offer_refused")
    return conditions


def offer_refused(call: Call, hits: list[Hit]) -> bool:
    """True when the customer answers a solution offer with a refusal ("no", "нет")."""
    offers = {hit.utterance for hit in hits if hit.rule == "solve.offer"}
    for index in offers:
        reply = _reply_to_offer(call, index)
        if reply is not None and _opens_with_refusal(call, reply):
            return True
    return False


def _reply_to_offer(call: Call, index: int) -> int | None:
    """The customer's next turn, unless the agent asks something first: then the customer
    answers that question ("Anything else?" "No, that's all"), not the offer."""
    for later in range(index + 1, len(call.utterances)):
        if not call.utterances[later].is_agent:
            return later
        if "?" in call.utterances[later].text:
            return None
    return None


def _opens_with_refusal(call: Call, reply: int) -> bool:
    """The first refusal or acceptance among the reply's first words is a refusal: "No, ..."
    refuses, "Okay, that sounds fine" and "Да, так даже лучше" accept."""
    for token in call.docs[reply][:REPLY_OPENING_TOKENS]:
        if call.lexicon.is_a(token.lower_, "acceptances"):
            return False
        if token.lower_ in call.lexicon.words("refusals"):
            return True
    return False


def _applies(criterion: Criterion, call: Call, conditions: set[str]) -> bool:
    if criterion.requires == "timings" and not has_timings(call.utterances):
        return False
    return any(_item_applies(item, conditions) for item in criterion.items.values())


def _item_applies(item: Item, conditions: set[str]) -> bool:
    return item.only_if is None or item.only_if in conditions


def example_words(call: Call) -> dict[str, str]:
    """What feedback examples say for the agent, company, customer and case: the call's own
    (its scenario's and trainee's), else the lexicon's stand-ins."""
    scenario = call.scenario
    own = {
        "agent": scenario.agent_name,
        "company": scenario.company,
        "customer": scenario.customer_name,
        "reference": scenario.reference,
    }
    return call.lexicon.data.examples | {name: value for name, value in own.items() if value}


def score_criterion(
    name: str,
    criterion: Criterion,
    hits: list[Hit],
    conditions: set[str],
    lexicon: Lexicon,
    examples: dict[str, str] | None = None,
) -> CriterionScore:
    """Checklist score: max × earned / possible points, with evidence and feedback (its
    examples naming ``examples``' agent, company, customer and case)."""
    items = {key: item for key, item in criterion.items.items() if _item_applies(item, conditions)}
    earned, evidence, missed = 0, [], []
    for key, item in items.items():
        item_hits = [hit for hit in hits if hit.rule in item.rules]
        if bool(item_hits) == (item.expect == "present"):
            earned += item.points
        else:
            missed.append(key)
        evidence += _evidence(item_hits)
    possible = sum(item.points for item in items.values())
    words = lexicon.data.examples | (examples or {})
    feedback = " ".join(lexicon.data.feedback[f"{name}.{key}"].format_map(words) for key in missed)
    score = round(criterion.max * earned / possible)
    return CriterionScore(score, criterion.max, _unique(evidence), missed, feedback)


def _evidence(hits: list[Hit]) -> list[dict[str, Any]]:
    shown: dict[str, int] = {}
    evidence = []
    for hit in hits:
        shown[hit.rule] = shown.get(hit.rule, 0) + 1
        if shown[hit.rule] <= EVIDENCE_PER_RULE:
            evidence.append(evidence_json(hit))
    return evidence


def evidence_json(hit: Hit) -> dict[str, Any]:
    """One evidence entry: utterance index (null for the whole call), rule, words."""
    utterance = None if hit.utterance == WHOLE_CALL else hit.utterance
    return {"utterance": utterance, "rule": hit.rule, "text": hit.text}


def _unique(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    for entry in evidence:
        if entry not in seen:
            seen.append(entry)
    return seen


def criterion_weights(rubric: Rubric, scenario_weights: Mapping[str, float]) -> dict[str, float]:
    """Each criterion's weight in the overall: the rubric's, where the scenario sets none."""
    weights = {name: criterion.weight for name, criterion in rubric.criteria.items()}
    return weights | {k: v for k, v in scenario_weights.items() if k in weights}


def overall(criteria: dict[str, CriterionScore], weights: Mapping[str, float]) -> float:
    """Weighted percentage over the scored criteria (0..100, one decimal)."""
    return weighted_overall({name: (s.score, s.max) for name, s in criteria.items()}, weights)


def contributions(
    points: Mapping[str, tuple[float, float]], weights: Mapping[str, float]
) -> dict[str, float]:
    """Points of the 0..100 overall each criterion earned (they add up to the overall)."""
    shares, total = _shares(points, weights)
    return {name: 100 * share / total for name, share in shares.items()} if total else {}


def weighted_overall(
    points: Mapping[str, tuple[float, float]], weights: Mapping[str, float]
) -> float:
    """THE overall formula, for automatic and corrected scores alike: the weighted
    percentage over the scored criteria (``points``: criterion → (score, max)), one decimal."""
    shares, total = _shares(points, weights)
    return round(100 * sum(shares.values()) / total, 1) if total else 0.0


def _shares(
    points: Mapping[str, tuple[float, float]], weights: Mapping[str, float]
) -> tuple[dict[str, float], float]:
    """weight × score / max per criterion that has a weight, and the sum of those weights."""
    scored = {name: value for name, value in points.items() if name in weights}
    shares = {
        name: weights[name] * score / maximum if maximum else 0.0
        for name, (score, maximum) in scored.items()
    }
    return shares, sum(weights[name] for name in scored)


def auto_failures(
    call: Call, hits: list[Hit], stages: dict[int, list[str]]
) -> list[dict[str, Any]]:
    """Auto-fail rules that fired, and stages the scenario requires but the call lacks."""
    failures = [evidence_json(hit) for hit in hits if hit.rule in call.rubric.auto_fail]
    performed = {stage for labels in stages.values() for stage in labels}
    failures += [
        {"utterance": None, "rule": "scenario.required_stage", "text": stage}
        for stage in call.scenario.required_stages
        if stage not in performed
    ]
    return failures + outcome_failures(call)


def outcome_failures(call: Call) -> list[dict[str, Any]]:
    """A practice call the customer hung up on or that ran out of turns, or one that
    needed an escalation and ended otherwise, cannot pass."""
    if call.outcome is None:
        return []
    failures = []
    if call.outcome in (HUNG_UP, OUT_OF_TURNS):
        failures.append({"utterance": None, "rule": "call.outcome", "text": call.outcome})
    if call.scenario.escalation_expected and call.outcome != ESCALATED:
        failures.append({"utterance": None, "rule": "scenario.escalation", "text": call.outcome})
    return failures
