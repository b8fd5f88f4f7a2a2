"""The scenario library for the runners and pages: the domain's loader and validator, reached
through the services layer (runners and pages import no domain module themselves)."""

from trainer.domain.scenario import (
    SCENARIO_DIR,
    Scenario,
    load_library,
    resolve_scenario,
    validate_scenario_files,
)

__all__ = [
    "SCENARIO_DIR",
    "Scenario",
    "load_library",
    "resolve_scenario",
    "validate_scenario_files",
]
