"""Hand scores for calibration, and how well people and the automatic score agree.

Hand scores are kept apart from corrections: they change no verdict. Agreement per
criterion is the mean absolute difference and Cohen's kappa on whole points, over the calls
the actor calibrates (a team lead their team's, trainers and admins everyone's).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.config import Settings
from trainer.services import access
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.review import check_value
from trainer.storage import db, repositories, reviews
from trainer.storage.models import HandScore


@dataclass(frozen=True)
class Agreement:
    """How close people and the automatic score are on one criterion."""

    criterion: str
    pairs: int
    mean_abs_difference: float
    kappa: float | None  # Cohen's kappa on whole points; None when undefined


def hand_score(
    *, settings: Settings, actor: CurrentUser, attempt_id: int, values: dict[str, float]
) -> None:
    """Calibration: score an attempt by hand; kept apart from corrections."""
    with db.session_scope(settings.database_url) as session:
        access.attempt(session, access.current(session, actor), Action.CORRECT, attempt_id)
        score = repositories.latest_score(session=session, attempt_id=attempt_id)
        assert score is not None and score.id is not None
        for criterion in reviews.criteria_of_score(session=session, score_id=score.id):
            if criterion.criterion in values:
                check_value(criterion, values[criterion.criterion])
                reviews.save(
                    session=session,
                    row=HandScore(
                        score_id=score.id,
                        criterion=criterion.criterion,
                        value=values[criterion.criterion],
                        max_value=criterion.max_value,
                        scorer_id=actor.id,
                    ),
                )


def calibration(*, settings: Settings, actor: CurrentUser) -> list[Agreement]:
    """Agreement between hand scores and automatic scores, per criterion, over the calls the
    actor calibrates: a team lead their team's, trainers and admins everyone's."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        access.require_grant(who, Action.CALIBRATION)
        scope = access.scope(who, Action.CALIBRATION)
        pairs = reviews.hand_scores_with_automatic(session=session, scope=scope)
    by_criterion: dict[str, list[tuple[float, float]]] = {}
    for hand, automatic in pairs:
        by_criterion.setdefault(hand.criterion, []).append((hand.value, automatic.value))
    return [agreement(name, values) for name, values in sorted(by_criterion.items())]


def agreement(criterion: str, pairs: Sequence[tuple[float, float]]) -> Agreement:
    """Mean absolute difference and Cohen's kappa (categories: whole points)."""
    differences = [abs(hand - auto) for hand, auto in pairs]
    return Agreement(
        criterion=criterion,
        pairs=len(pairs),
        mean_abs_difference=round(sum(differences) / len(pairs), 3),
        kappa=cohens_kappa([(round(h), round(a)) for h, a in pairs]),
    )


def cohens_kappa(pairs: Sequence[tuple[int, int]]) -> float | None:
    """(observed − chance agreement) / (1 − chance agreement); None when chance is certain."""
    total = len(pairs)
    observed = sum(1 for first, second in pairs if first == second) / total
    firsts, seconds = Counter(f for f, _ in pairs), Counter(s for _, s in pairs)
    chance = sum(firsts[c] * seconds[c] for c in firsts) / (total * total)
    if chance == 1:
        return None
    return round((observed - chance) / (1 - chance), 3)
