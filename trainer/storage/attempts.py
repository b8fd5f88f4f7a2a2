"""Writes of calls: attempts, their turns and scorecards, one keyword-only function each.

Callers pass the session, so a use case commits what belongs together in one transaction.
A turn whose position is taken already raises IntegrityError (unique attempt and position):
the same answer sent twice is kept once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from scoring.scorecard import Scorecard
from scoring.vocabulary import AGENT
from trainer.storage import recording_store, repositories
from trainer.storage.models import (
    Attempt,
    AttemptStatus,
    CriterionRow,
    Recording,
    Score,
    Turn,
    TurnStatus,
    utcnow,
)


@dataclass(frozen=True)
class Line:
    """One line of a call as a use case hands it over; `turn_id` names a stored turn."""

    position: int
    speaker: str
    text: str
    details: dict[str, Any] = field(default_factory=dict)
    recording_id: int | None = None
    turn_id: int | None = None


def add_attempt(
    *,
    session: Session,
    trainee_id: int,
    kind: str,
    status: str = AttemptStatus.IN_PROGRESS,
    scenario_version: int | None = None,
    first: Line | None = None,
    drill_of: tuple[int, int] | None = None,
) -> Attempt:
    """A new call, with its first line when there is one (a practice call's opening);
    ``drill_of`` is (the call, the customer line) a drill replays from."""
    attempt = Attempt(trainee_id=trainee_id, scenario_id=scenario_version, kind=kind, status=status)
    if drill_of is not None:
        attempt.drill_of_id, attempt.drill_from = drill_of
    session.add(attempt)
    session.flush()
    assert attempt.id is not None
    if first is not None:
        add_line(session=session, attempt_id=attempt.id, line=first)
    return attempt


def add_line(*, session: Session, attempt_id: int, line: Line) -> Turn:
    """Insert a finished line, or finish the stored turn `line.turn_id` names with it."""
    turn = session.get(Turn, line.turn_id) if line.turn_id is not None else None
    if turn is None:
        turn = Turn(
            attempt_id=attempt_id,
            position=line.position,
            speaker=line.speaker,
            recording_id=line.recording_id,
        )
    turn.text, turn.details = line.text, line.details
    turn.status, turn.error = TurnStatus.DONE, None
    session.add(turn)
    session.flush()
    return turn


def add_recorded_answer(
    *,
    session: Session,
    attempt_id: int,
    position: int,
    sha256: str,
    audio_format: str,
    size_bytes: int,
) -> tuple[Turn, Recording]:
    """The row of a stored answer's audio and its turn, waiting for a transcript."""
    recording = recording_store.register(
        session=session, sha256=sha256, audio_format=audio_format, size_bytes=size_bytes
    )
    turn = Turn(
        attempt_id=attempt_id,
        position=position,
        speaker=AGENT,
        recording_id=recording.id,
        status=TurnStatus.RECORDED,
    )
    session.add(turn)
    session.flush()
    return turn, recording


def mark_failed(*, session: Session, turn: Turn, error: str) -> Turn:
    """The turn, its transcription failed with `error` (it can be retried)."""
    turn.status, turn.error = TurnStatus.FAILED, error
    session.add(turn)
    return turn


def end_attempt(
    *, session: Session, attempt: Attempt, status: str, outcome: str | None = None
) -> Attempt:
    """The call ended now: completed with its outcome, or abandoned."""
    attempt.status, attempt.outcome, attempt.ended_at = status, outcome, utcnow()
    session.add(attempt)
    return attempt


def add_scorecard(
    *,
    session: Session,
    attempt: Attempt,
    card: Scorecard,
    engine: tuple[str | None, str | None],
    drill: dict[str, Any] | None = None,
) -> Score:
    """The scorecard of the call and a row per criterion; `engine` is (engine, model);
    `drill` is a drill's comparison of its answer with the original, kept with the card."""
    contract = card.to_json()
    if drill is not None:
        contract["drill"] = drill
    unscorable = contract.get("unscorable")
    assert attempt.id is not None
    score = Score(
        attempt_id=attempt.id,
        overall=card.overall,
        passed=card.passed,
        scorable=unscorable is None,
        unscorable_reason=unscorable["message"] if unscorable else None,
        language=card.language,
        rubric_version=card.rubric_version,
        scenario_version=attempt.scenario_id,
        engine=engine[0],
        model=engine[1],
        auto_fail=card.auto_fail,
        delivery=contract["delivery"],
        card=contract,
    )
    criteria = [
        CriterionRow(
            score_id=0,  # add_score sets it once the score row exists
            criterion=name,
            value=criterion["score"],
            max_value=criterion["max"],
            evidence=criterion["evidence"],
            missed=criterion["missed"],
            feedback=criterion["feedback"],
        )
        for name, criterion in contract["criteria"].items()
    ]
    return repositories.add_score(session=session, score=score, criteria=criteria)


def set_status(*, session: Session, attempt_id: int, status: str) -> Attempt | None:
    """The attempt, now in `status` (None when there is no such attempt)."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is not None:
        attempt.status = status
        session.add(attempt)
    return attempt


def add_segment_turns(
    *, session: Session, attempt_id: int, recording_id: int, segments: list[dict[str, Any]]
) -> None:
    """One turn per transcript segment of a real call, each timed in its recording."""
    for position, segment in enumerate(segments):
        session.add(
            Turn(
                attempt_id=attempt_id,
                position=position,
                speaker=segment["speaker"],
                text=segment["text"],
                recording_id=recording_id,
                start_s=segment["start"],
                end_s=segment["end"],
                details={"words": segment.get("words", [])},
            )
        )


def relabel_speaker(*, session: Session, turn: Turn, speaker: str, by: str) -> Turn:
    """The turn said by `speaker`, as the user named `by` corrected it."""
    turn.speaker = speaker
    turn.details = {**turn.details, "speaker_set_by": by}
    session.add(turn)
    return turn
