"""The practice call as it is stored and as the call screen shows it.

A call is read in one short transaction (`StoredCall`: the attempt, the scenario version it
started on, its turns and their recordings, and its score once it ended) and turned into a
`CallView` for the page, with the customer's voice for each line. The checks that the actor
may see the call, or answer it (their own, still in progress), live here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlmodel import Session

from scoring.errors import CodedError
from scoring.vocabulary import AGENT
from trainer.config import Settings
from trainer.domain.scenario import Scenario
from trainer.errors import CallcoachError, Err
from trainer.services import access, library
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.speech import voice
from trainer.storage import db, repositories
from trainer.storage.models import Attempt, AttemptStatus, Recording, Score, Turn, TurnStatus


@dataclass(frozen=True)
class TurnView:
    position: int
    speaker: str
    text: str
    status: str
    error: str | None
    audio_path: Path | None
    details: dict[str, Any]


@dataclass(frozen=True)
class CallView:
    """Everything the call screen and the scorecard show about one attempt."""

    attempt_id: int
    trainee_id: int
    scenario: Scenario
    status: str
    outcome: str | None
    patience: int
    turns: list[TurnView]
    scorecard: dict[str, Any] | None = None
    score_id: int | None = None
    notices: list[CodedError] = field(default_factory=list)  # e.g. a voice that cannot speak

    @property
    def ended(self) -> bool:
        return self.status != AttemptStatus.IN_PROGRESS

    @property
    def waiting_for_retry(self) -> bool:
        """The last answer is stored but has no text yet: it must be transcribed again."""
        return bool(self.turns) and self.turns[-1].status != TurnStatus.DONE


@dataclass(frozen=True)
class StoredCall:
    """A call as it is stored, read in one short transaction."""

    attempt: Attempt
    scenario: Scenario
    turns: list[Turn]
    recordings: dict[int, Recording]
    score: Score | None = None

    @property
    def attempt_id(self) -> int:
        assert self.attempt.id is not None
        return self.attempt.id

    def adding(self, turn: Turn, recording: Recording) -> StoredCall:
        """The call with one more (recorded) turn."""
        assert recording.id is not None
        return replace(
            self, turns=[*self.turns, turn], recordings={**self.recordings, recording.id: recording}
        )


def get_call(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallView:
    """One attempt as its trainee (or a trainer, their team lead, an admin) may see it."""
    return view_of(settings, stored_call(settings, actor, attempt_id))


def stored_call(settings: Settings, actor: CurrentUser, attempt_id: int) -> StoredCall:
    """The call as the actor may see it, whatever its status."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        return call_of(session, access.attempt(session, who, Action.READ_CALL, attempt_id))


def open_call(settings: Settings, actor: CurrentUser, attempt_id: int) -> StoredCall:
    """The actor's own call, refused (E110, E111) unless it is still in progress."""
    with db.session_scope(settings.database_url) as session:
        return call_of(session, own_open_attempt(session, actor, attempt_id))


def call_of(session: Session, attempt: Attempt) -> StoredCall:
    assert attempt.id is not None
    turns = list(repositories.turns_of(session=session, attempt_id=attempt.id))
    recordings = repositories.recordings_by_id(
        session=session, ids=[t.recording_id for t in turns if t.recording_id is not None]
    )
    score = (
        repositories.latest_score(session=session, attempt_id=attempt.id)
        if attempt.status != AttemptStatus.IN_PROGRESS
        else None  # scored when it ends
    )
    return StoredCall(attempt, _scenario_of(session, attempt), turns, recordings, score)


def own_open_attempt(session: Session, actor: CurrentUser, attempt_id: int) -> Attempt:
    access.current(session, actor)  # a deactivated trainee stops at their next answer
    attempt = repositories.get_attempt(session=session, attempt_id=attempt_id)
    if attempt is None or attempt.trainee_id != actor.id:
        raise CallcoachError(Err.ATTEMPT_NOT_FOUND, attempt_id=attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise CallcoachError(Err.ATTEMPT_FINISHED, attempt_id=attempt_id)
    return attempt


def view_of(settings: Settings, call: StoredCall) -> CallView:
    notices: list[CodedError] = []
    views = [
        _turn_view(settings, call.scenario, turn, call.recordings, notices) for turn in call.turns
    ]
    return CallView(
        attempt_id=call.attempt_id,
        trainee_id=call.attempt.trainee_id,
        scenario=call.scenario,
        status=call.attempt.status,
        outcome=call.attempt.outcome,
        patience=_patience(call.turns, call.scenario),
        turns=views,
        scorecard=call.score.card if call.score else None,
        score_id=call.score.id if call.score else None,
        notices=notices,
    )


def _scenario_of(session: Session, attempt: Attempt) -> Scenario:
    """The scenario exactly as it was when this attempt started."""
    assert attempt.scenario_id is not None
    row = repositories.get_scenario_row(session=session, scenario_id=attempt.scenario_id)
    return library.stored_scenario(row)


def _patience(turns: Sequence[Turn], scenario: Scenario) -> int:
    for turn in reversed(turns):
        if "patience" in turn.details:
            return int(turn.details["patience"])
    return scenario.customer.patience


def _turn_view(
    settings: Settings,
    scenario: Scenario,
    turn: Turn,
    recordings: dict[int, Recording],
    notices: list[CodedError],
) -> TurnView:
    if turn.speaker == AGENT:
        recording = recordings.get(turn.recording_id) if turn.recording_id else None
        path = settings.recordings_dir / recording.path if recording else None
    else:
        path = _customer_audio(settings, scenario, turn, notices)
    return TurnView(
        turn.position, turn.speaker, turn.text, turn.status, turn.error, path, turn.details
    )


def _customer_audio(
    settings: Settings, scenario: Scenario, turn: Turn, notices: list[CodedError]
) -> Path | None:
    """The customer's voice for a line; a missing voice leaves the subtitles, with a notice."""
    try:
        recorded = turn.details.get("audio")
        clip = voice.customer_voice(
            turn.text,
            language=scenario.language,
            cache_dir=settings.voice_cache(),
            recorded=Path(recorded) if recorded else None,
            gender=scenario.customer.gender,
            pace=scenario.customer.pace,
        )
    except CodedError as error:
        if all(str(error) != str(notice) for notice in notices):
            notices.append(error)
        return None
    return clip.path
