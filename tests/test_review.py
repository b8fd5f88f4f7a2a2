"""Team-lead review: corrections beside automatic scores, disputes, sign-offs, calibration."""

from __future__ import annotations

import pytest

from tests.builders import good_call, sign_in, user
from tests.threads import all_at_once
from trainer import services
from trainer.config import Settings
from trainer.errors import CallcoachError
from trainer.services import disputes, hand_scores, review

SCENARIO = "late-delivery"


@pytest.fixture
def scored(settings: Settings) -> int:
    """Anna's finished, scored call (typed model answers); returns its attempt id."""
    services.seed_demo(settings=settings)
    user(settings, "sam", role="team-lead", team="South")
    anna = sign_in(settings, "anna")
    return good_call(settings, anna, SCENARIO).attempt_id


def _greeting(
    settings: Settings, actor: services.CurrentUser, attempt_id: int
) -> review.CriterionView:
    views = review.criteria_of_attempt(settings=settings, actor=actor, attempt_id=attempt_id)
    return next(v for v in views if v.criterion == "greeting")


@pytest.mark.slow
def test_correction_is_kept_beside_the_automatic_score(settings: Settings, scored: int) -> None:
    """A team lead's correction records who, when and why; the automatic value stays."""
    lead = sign_in(settings, "lead")
    before = _greeting(settings, lead, scored)
    after = review.correct_criterion(
        settings=settings, actor=lead, criterion_score_id=before.id, value=9, comment="Offered help"
    )
    assert (before.automatic, 9, "Offered help", "Lena Lead") == (
        after.automatic,
        after.current,
        after.corrections[-1].comment,
        after.corrections[-1].reviewer,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("username", "value", "comment", "code"),
    [
        ("lead", 9, "  ", "E115"),
        ("lead", 11, "too high", "E116"),
        ("anna", 9, "my own call", "E105"),
        ("sam", 9, "another team", "E112"),
    ],
)
def test_bad_corrections_are_refused(
    settings: Settings, scored: int, username: str, value: float, comment: str, code: str
) -> None:
    """No comment, out of range, a trainee, or another team's lead: refused with a code."""
    criterion = _greeting(settings, sign_in(settings, "admin"), scored)
    with pytest.raises(CallcoachError) as raised:
        review.correct_criterion(
            settings=settings,
            actor=sign_in(settings, username),
            criterion_score_id=criterion.id,
            value=value,
            comment=comment,
        )
    assert code == raised.value.code


@pytest.mark.slow
@pytest.mark.parametrize(
    ("decision", "value", "expected_status", "expected_current"),
    [
        ("accepted", None, "accepted", 10),
        ("partially-accepted", 8, "partially-accepted", 8),
        ("rejected", None, "rejected", None),
    ],
)
def test_dispute_outcomes(
    settings: Settings,
    scored: int,
    decision: str,
    value: float | None,
    expected_status: str,
    expected_current: float | None,
) -> None:
    """The trainee disputes, the team lead decides, the trainee sees the outcome."""
    anna, lead = sign_in(settings, "anna"), sign_in(settings, "lead")
    criterion = _greeting(settings, anna, scored)
    disputes.dispute_criterion(
        settings=settings, actor=anna, criterion_score_id=criterion.id, reason="I offered help"
    )
    dispute = _greeting(settings, anna, scored).open_dispute
    assert dispute is not None
    disputes.resolve_dispute(
        settings=settings, actor=lead, dispute_id=dispute.id, decision=decision, value=value,
        comment="Checked the recording",
    )  # fmt: skip
    seen = _greeting(settings, anna, scored)
    current = criterion.automatic if expected_current is None else expected_current
    assert (expected_status, current, None) == (
        seen.disputes[-1].status,
        seen.current,
        seen.open_dispute,
    )


@pytest.mark.slow
def test_one_open_dispute_per_criterion(settings: Settings, scored: int) -> None:
    """A second dispute about the same criterion waits for the first one's answer."""
    anna = sign_in(settings, "anna")
    criterion = _greeting(settings, anna, scored)
    disputes.dispute_criterion(
        settings=settings, actor=anna, criterion_score_id=criterion.id, reason="first"
    )
    with pytest.raises(CallcoachError) as raised:
        disputes.dispute_criterion(
            settings=settings, actor=anna, criterion_score_id=criterion.id, reason="again"
        )
    assert "E118" == raised.value.code


@pytest.mark.slow
def test_disputes_sent_at_once_open_one(settings: Settings, scored: int) -> None:
    """Eight disputes of one criterion at the same moment: one opens, seven get E118; once it
    is answered, that answer is final (E170)."""
    anna, lead = sign_in(settings, "anna"), sign_in(settings, "lead")
    criterion = _greeting(settings, anna, scored)
    opened, refused = all_at_once(
        lambda i: disputes.dispute_criterion(
            settings=settings, actor=anna, criterion_score_id=criterion.id, reason=f"take {i}"
        ),
        8,
    )
    codes = [error.code if isinstance(error, CallcoachError) else repr(error) for error in refused]
    assert (1, ["E118"] * 7) == (len(opened), codes)
    dispute = _greeting(settings, anna, scored).open_dispute
    assert dispute is not None
    disputes.resolve_dispute(
        settings=settings, actor=lead, dispute_id=dispute.id, decision="rejected", comment="No"
    )
    with pytest.raises(CallcoachError) as raised:
        disputes.dispute_criterion(
            settings=settings, actor=anna, criterion_score_id=criterion.id, reason="a new point"
        )
    assert "E170" == raised.value.code


@pytest.mark.slow
@pytest.mark.usefixtures("scored")
def test_sign_off_is_recorded_for_own_team_only(settings: Settings) -> None:
    """The team lead signs off Anna; a lead of another team cannot."""
    review.sign_off(
        settings=settings, actor=sign_in(settings, "lead"), username="anna", level="Agent"
    )
    with pytest.raises(CallcoachError) as raised:
        review.sign_off(
            settings=settings, actor=sign_in(settings, "sam"), username="anna", level="Agent"
        )
    anna = sign_in(settings, "anna")
    assert (["Agent"], "E121") == (
        review.sign_offs(settings=settings, actor=anna, username="anna"),
        raised.value.code,
    )


@pytest.mark.slow
def test_calibration_compares_hand_and_automatic(settings: Settings, scored: int) -> None:
    """A hand score becomes one pair per criterion in the agreement table."""
    lead = sign_in(settings, "lead")
    greeting = _greeting(settings, lead, scored)
    hand_scores.hand_score(
        settings=settings,
        actor=lead,
        attempt_id=scored,
        values={"greeting": greeting.automatic - 1},
    )
    table = hand_scores.calibration(settings=settings, actor=lead)
    assert [("greeting", 1, 1.0)] == [(a.criterion, a.pairs, a.mean_abs_difference) for a in table]


@pytest.mark.parametrize(
    ("pairs", "kappa"),
    [
        ([(1, 1), (2, 2), (3, 3), (4, 4)], 1.0),  # perfect agreement
        ([(1, 2), (2, 1), (1, 2), (2, 1)], -1.0),  # systematic disagreement
        ([(1, 1), (1, 2), (2, 1), (2, 2)], 0.0),  # agreement no better than chance
        ([(5, 5), (5, 5)], None),  # one category only: chance agreement is certain
    ],
)
def test_cohens_kappa(pairs: list[tuple[int, int]], kappa: float | None) -> None:
    """Cohen's kappa on a table of hand-checked cases."""
    assert kappa == hand_scores.cohens_kappa(pairs)
