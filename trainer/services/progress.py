"""Readiness of one trainee against the career ladder, for whoever may see it.

A trainee reads their own readiness, a team lead their team's, trainers and admins
anyone's; anyone else gets "no such trainee" (E121), so existence is not revealed.
A team lead's newest correction of a criterion counts instead of the automatic value,
and the overall is recomputed from the corrected criteria with the same weights.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from sqlmodel import Session

from scoring.rubric import load_rubric
from trainer import progress
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.scenario import SCENARIO_DIR, load_library
from trainer.services.accounts import CurrentUser
from trainer.storage import db, progress_queries, repositories
from trainer.storage.models import Role, User
from trainer.storage.progress_queries import ScoredAttemptRow


def readiness_for(
    *, settings: Settings, actor: CurrentUser, username: str, language: str | None = None
) -> progress.Readiness:
    """Where ``username`` stands on the ladder; sentences in ``language`` (the actor's)."""
    with db.session_scope(settings.database_url) as session:
        trainee = _readable_trainee(session, actor, username)
        assert trainee.id is not None
        rows = progress_queries.scored_attempts(session=session, trainee_id=trainee.id)
        signed = progress_queries.signed_levels(session=session, trainee_id=trainee.id)
    readiness = progress.evaluate(
        [_scored(row) for row in rows],
        progress.load_ladder(),
        signed,
        _scenarios_for(trainee.language),
        language=language or actor.language,
    )
    return replace(readiness, trainee=trainee.username)


def _readable_trainee(session: Session, actor: CurrentUser, username: str) -> User:
    user = repositories.get_user(session=session, username=username)
    if user is None or not _may_read(actor, user):
        raise CallcoachError(Err.TRAINEE_NOT_FOUND, username=username)
    return user


def _may_read(actor: CurrentUser, user: User) -> bool:
    if user.id == actor.id or actor.role in (Role.ADMIN, Role.TRAINER):
        return True
    same_team = actor.team_id is not None and user.team_id == actor.team_id
    return actor.role is Role.TEAM_LEAD and same_team


def _scored(row: ScoredAttemptRow) -> progress.ScoredAttempt:
    return progress.ScoredAttempt(
        attempt_id=row.attempt_id,
        ended_at=row.ended_at,
        overall=_corrected_overall(row) if row.corrected else row.overall,
        scenario=row.scenario_key,
        difficulty=row.difficulty,
        customer_type=row.customer_type,
        criteria=row.criteria,
        auto_fail=row.auto_fail,
        kind=row.kind,
    )


def _corrected_overall(row: ScoredAttemptRow) -> float:
    """The overall as scoring computes it (weighted % of each criterion's max), corrected."""
    weights = {name: c.weight for name, c in load_rubric().criteria.items()}
    weights |= {k: v for k, v in row.scenario_weights.items() if k in weights}
    scored = {name: points for name, points in row.criteria.items() if name in weights}
    total = sum(weights[name] for name in scored)
    if not total:
        return row.overall
    earned = sum(weights[name] * score / maximum for name, (score, maximum) in scored.items())
    return round(100 * earned / total, 1)


def _scenarios_for(language: str) -> list[progress.ScenarioInfo]:
    """The library in the trainee's language (all of it when none is in that language)."""
    files = sorted(SCENARIO_DIR.glob("*.yaml"))
    library = _library(tuple((path.name, path.stat().st_mtime_ns) for path in files))
    return [s for s in library if s.language == language] or list(library)


@lru_cache(maxsize=1)
def _library(stamp: tuple[tuple[str, int], ...]) -> tuple[progress.ScenarioInfo, ...]:
    """The library, read again only when a file is added, removed or changed (``stamp``)."""
    del stamp  # only the cache key
    return tuple(progress.ScenarioInfo.of(scenario) for scenario in load_library())
