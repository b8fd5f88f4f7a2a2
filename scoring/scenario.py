"""What a practice scenario asks of the scoring: a plain object, no application import.

The practice flow passes its scenario (a dict, a pydantic model or any object with these
attributes); scoring reads only the fields below and ignores the rest.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from scoring.errors import ScoreErr, ScoringError
from scoring.validation import describe
from scoring.vocabulary import Stage

# Conditions a rubric item may depend on (``only_if``): scenario flags, then call facts.
SCENARIO_CONDITIONS = ("escalation_expected", "limits_expected", "alternative_expected")
CALL_CONDITIONS = ("offer_refused", "customer_name_known")
CONDITIONS = SCENARIO_CONDITIONS + CALL_CONDITIONS


class ScoringScenario(BaseModel):
    """Scenario requirements for scoring one call."""

    model_config = ConfigDict(extra="ignore", from_attributes=True, frozen=True)

    id: str | None = None
    version: str | None = None
    customer_name: str | None = None
    company: str | None = None
    agent_name: str | None = None  # the trainee's name: feedback examples introduce them
    reference: str | None = None  # the case's number as read back ("order 58213")
    forbidden_promises: tuple[str, ...] = ()
    required_stages: tuple[Stage, ...] = ()
    escalation_expected: bool = False
    limits_expected: bool = False
    alternative_expected: bool = False
    weights: dict[str, float] = {}

    def flags(self) -> set[str]:
        """The scenario conditions that are switched on."""
        return {name for name in SCENARIO_CONDITIONS if getattr(self, name)}


def as_scenario(source: Any) -> ScoringScenario:
    """Validate a scenario given as None, a mapping or an object with the fields above."""
    if source is None:
        return ScoringScenario()
    if isinstance(source, ScoringScenario):
        return source
    try:
        if isinstance(source, dict):
            return ScoringScenario.model_validate(source)
        return ScoringScenario.model_validate(source, from_attributes=True)
    except ValidationError as error:
        raise ScoringError(ScoreErr.SCENARIO_INVALID, problems=describe(error)) from error
