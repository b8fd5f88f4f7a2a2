"""The review page's side of a real call: the call as it was scored, and correcting who
spoke a turn (which scores it again: a new score, the earlier one kept)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from scoring.transcript import parse_mapping
from scoring.vocabulary import SPEAKERS
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import access, scoring_files
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.services.calls.common import (
    SpeakerFacts,
    lexicon_in_use,
)
from trainer.speech.analysis import (
    score_call,
)
from trainer.storage import attempts, db, jobs, repositories
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Turn,
)


@dataclass(frozen=True)
class RealTurn:
    position: int
    speaker: str
    text: str
    start_s: float | None
    end_s: float | None
    speaker_set_by: str | None  # who corrected the speaker, if anyone


@dataclass(frozen=True)
class RealCallView(SpeakerFacts):
    """An uploaded call as the review page shows it."""

    attempt_id: int
    file: str
    status: str  # the attempt's: pending, completed, failed
    speaker_method: str | None
    speaker_confidence: float | None
    turns: list[RealTurn]
    audio_path: Path | None
    scorecard: dict[str, Any] | None
    may_correct: bool

    @property
    def scored(self) -> bool:
        return self.status == AttemptStatus.COMPLETED and self.scorecard is not None


def real_call(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> RealCallView | None:
    """An uploaded call as whoever may read it sees it; None for a practice call."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        attempt = access.attempt(session, who, Action.READ_CALL, attempt_id)
        if attempt.kind != AttemptKind.REAL_CALL:
            return None
        return _real_view(session, settings, who, attempt)


def _real_view(
    session: Session, settings: Settings, actor: access.Actor, attempt: Attempt
) -> RealCallView:
    assert attempt.id is not None
    job = jobs.job_of_attempt(session=session, attempt_id=attempt.id)
    payload = job.payload if job else {}
    result = payload.get("result", {})
    recording = repositories.get_recording(
        session=session, recording_id=payload.get("recording_id", 0)
    )
    score = repositories.latest_score(session=session, attempt_id=attempt.id)
    trainee = repositories.get_user_by_id(session=session, user_id=attempt.trainee_id)
    turns = repositories.turns_of(session=session, attempt_id=attempt.id)
    return RealCallView(
        attempt_id=attempt.id,
        file=str(payload.get("file", "")),
        status=attempt.status,
        speaker_method=result.get("speaker_method"),
        speaker_confidence=result.get("speaker_confidence"),
        turns=[_real_turn(turn) for turn in turns],
        audio_path=settings.recordings_dir / recording.path if recording else None,
        scorecard=score.card if score else None,
        may_correct=trainee is not None and access.may(actor, Action.RELABEL_SPEAKERS, trainee),
    )


def _real_turn(turn: Turn) -> RealTurn:
    return RealTurn(
        turn.position,
        turn.speaker,
        turn.text,
        turn.start_s,
        turn.end_s,
        turn.details.get("speaker_set_by"),
    )


def set_turn_speaker(
    *, settings: Settings, actor: CurrentUser, attempt_id: int, position: int, speaker: str
) -> RealCallView:
    """Say who spoke a turn of an uploaded call; the call is scored again (a new score)."""
    if speaker not in SPEAKERS:
        raise CallcoachError(Err.UNKNOWN_SPEAKER, speaker=speaker)
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        attempt = _correctable(session, who, attempt_id)
        turns = list(repositories.turns_of(session=session, attempt_id=attempt_id))
        turn = next((turn for turn in turns if turn.position == position), None)
        if turn is None:
            raise CallcoachError(Err.TURN_NOT_FOUND, attempt_id=attempt_id, position=position)
        if turn.speaker != speaker:
            attempts.relabel_speaker(session=session, turn=turn, speaker=speaker, by=actor.username)
            _rescore(session, settings, attempt, turns)
        return _real_view(session, settings, who, attempt)


def _correctable(session: Session, actor: access.Actor, attempt_id: int) -> Attempt:
    """A scored real call whose speakers ``actor`` may relabel (never their own)."""
    attempt = access.attempt(session, actor, Action.RELABEL_SPEAKERS, attempt_id)
    if attempt.kind != AttemptKind.REAL_CALL:
        raise CallcoachError(Err.NOT_A_REAL_CALL, attempt_id=attempt_id)
    if attempt.status != AttemptStatus.COMPLETED:
        raise CallcoachError(Err.REAL_CALL_NOT_SCORED, attempt_id=attempt_id, status=attempt.status)
    return attempt


def _rescore(session: Session, settings: Settings, attempt: Attempt, turns: list[Turn]) -> None:
    """Score the call again from its turns as they are now; the earlier score stays."""
    assert attempt.id is not None
    previous = repositories.latest_score(session=session, attempt_id=attempt.id)
    job = jobs.job_of_attempt(session=session, attempt_id=attempt.id)
    assert previous is not None and job is not None, "a completed real call has both"
    segments = [
        {
            "speaker": turn.speaker,
            "text": turn.text,
            "start": turn.start_s,
            "end": turn.end_s,
            "words": turn.details.get("words", []),
        }
        for turn in turns
    ]
    source = f"call {attempt.id}"
    card = score_call(
        parse_mapping(
            {
                "segments": segments,
                "language": previous.language,
                "duration_s": job.payload.get("result", {}).get("duration_s"),
            },
            source=source,
        ),
        rubric=scoring_files.rubric_in_use(settings),
        lexicon=lexicon_in_use(settings, previous.language),
        source=source,
    )
    attempts.add_scorecard(
        session=session, attempt=attempt, card=card, engine=(previous.engine, previous.model)
    )
