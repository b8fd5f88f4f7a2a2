"""What one call's score says, the same on every screen and export.

The automatic overall and, beside it, the overall a team lead's corrections give (the same
formula, :func:`scoring.scorecard.weighted_overall`); passed or not against the rubric's one
pass mark; and an auto-fail in plain words, which fails the call whatever its number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.scorecard import HUNG_UP, OUT_OF_TURNS


@dataclass(frozen=True)
class Verdict:
    """A scored call's overall (automatic, and corrected when a lead corrected it) and result."""

    automatic: float | None  # None: not scored (yet, or unscorable)
    corrected: float | None  # None: nobody corrected a criterion of it
    passed: bool
    failures: tuple[str, ...] = ()  # why it failed automatically, in plain words

    @property
    def overall(self) -> float | None:
        """The overall that counts: the corrected one where there is one."""
        return self.automatic if self.corrected is None else self.corrected

    def text(self, language: str) -> str:
        """One cell of a list or an export: "66 — failed: …", "78 → 85 (corrected)"."""
        if self.automatic is None:
            return "—"
        words = _WORDS.get(language, _WORDS["en"])
        shown = f"{self.automatic:.0f}"
        if self.corrected is not None:
            shown = words["corrected"].format(automatic=shown, corrected=f"{self.corrected:.0f}")
        if self.failures:
            return words["failed"].format(score=shown, reasons="; ".join(self.failures))
        return shown


def verdict(
    *,
    automatic: float | None,
    corrected: float | None,
    auto_fail: Sequence[Mapping[str, Any]],
    pass_mark: float,
    language: str,
) -> Verdict:
    """The verdict of a call: an auto-fail fails it; else the overall that counts must reach
    the pass mark."""
    failures = tuple(dict.fromkeys(failure_reason(f, language) for f in auto_fail))
    shown = automatic if corrected is None else corrected
    passed = shown is not None and shown >= pass_mark and not failures
    return Verdict(automatic, corrected, passed, failures)


def failure_reason(failure: Mapping[str, Any], language: str) -> str:
    """An auto-fail entry of a scorecard (``{"rule", "text", ...}``) in plain words."""
    reasons = _REASONS.get(language, _REASONS["en"])
    rule, text = str(failure.get("rule", "")), str(failure.get("text", ""))
    if rule == "call.outcome":
        return reasons.get(f"outcome.{text}", reasons["outcome"])
    if rule == "scenario.required_stage":
        return reasons[rule].format(stage=_STAGES.get(language, _STAGES["en"]).get(text, text))
    return reasons.get(rule, reasons["other"])


_WORDS = {
    "en": {
        "failed": "{score} — failed: {reasons}",
        "corrected": "{automatic} → {corrected} (corrected)",
    },
    "ru": {
        "failed": "{score} — незачёт: {reasons}",
        "corrected": "{automatic} → {corrected} (исправлено)",
    },
}
_REASONS = {
    "en": {
        "prof.abuse": "rude or abusive words to the customer",
        "scenario.required_stage": "the call left out a required stage ({stage})",
        "scenario.escalation": "the call needed a hand-over to the second line",
        f"outcome.{HUNG_UP}": "the customer hung up",
        f"outcome.{OUT_OF_TURNS}": "the call ran out of time without a solution",
        "outcome": "the call ended without its goal",
        "other": "a rule the rubric never lets pass",
    },
    "ru": {
        "prof.abuse": "грубые или оскорбительные слова клиенту",
        "scenario.required_stage": "в звонке пропущен обязательный этап ({stage})",
        "scenario.escalation": "звонок нужно было передать второй линии",
        f"outcome.{HUNG_UP}": "клиент положил трубку",
        f"outcome.{OUT_OF_TURNS}": "время звонка вышло, а решения нет",
        "outcome": "звонок закончился, не достигнув цели",
        "other": "нарушено правило, при котором звонок не засчитывается",
    },
}
_STAGES = {
    "en": {
        "greeting": "greeting",
        "needs_discovery": "needs discovery",
        "solution_offer": "solution offer",
        "follow_up": "follow-up",
    },
    "ru": {
        "greeting": "приветствие",
        "needs_discovery": "выявление потребностей",
        "solution_offer": "предложение решения",
        "follow_up": "завершение разговора",
    },
}
