"""Practice calls: start, answer (voice or text), retry, resume, abandon, score.

Nothing is lost: an answer's audio is stored (content-addressed) and linked to its turn in a
committed transaction before transcription starts; a kill before that commit leaves a note
(see `recording_store.note_answer`) from which the turn is made again when the call is
reopened. A transcript is committed together with the customer's reaction to it, so a kill
never leaves an answer without its reply. An answer says which turn it is for, so one sent
twice (a double-click) is received once.

The call's state is what is stored: each customer line records the node and patience the
call stands at after it, so an answer is one simulator step from there. An answer reads the
call once (checks first, nothing stored before they pass), and its text and the customer's
reply are committed in one transaction; transcription runs outside any transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from scoring.errors import CodedError
from scoring.scorecard import Scorecard, score_transcript
from scoring.transcript import Utterance, Word
from scoring.vocabulary import AGENT, CUSTOMER
from trainer.config import Settings
from trainer.domain import simulator
from trainer.domain.scenario import Scenario
from trainer.errors import CallcoachError, Err
from trainer.services import access, library, scoring_files
from trainer.services.access import Action
from trainer.services.accounts import CurrentUser
from trainer.speech import audio, transcription, voice
from trainer.storage import attempts, db, recording_store, repositories
from trainer.storage.attempts import Line
from trainer.storage.models import (
    Attempt,
    AttemptKind,
    AttemptStatus,
    Recording,
    Score,
    Turn,
    TurnStatus,
)

WORDS_PER_SECOND = 2.5  # speaking pace assumed for a customer line with no audio


@dataclass(frozen=True)
class ScenarioCard:
    """One scenario in the picker, with what this trainee did with it before."""

    scenario: Scenario
    attempts: int
    best_score: float | None


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
    notices: list[str] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.status != AttemptStatus.IN_PROGRESS

    @property
    def waiting_for_retry(self) -> bool:
        """The last answer is stored but has no text yet: it must be transcribed again."""
        return bool(self.turns) and self.turns[-1].status != TurnStatus.DONE


def list_scenarios(*, settings: Settings, actor: CurrentUser) -> list[ScenarioCard]:
    """The enabled library with this user's attempts and best score per scenario."""
    with db.session_scope(settings.database_url) as session:
        access.permitted(session, actor, "practise")
        done = repositories.attempts_per_scenario(session=session, trainee_id=actor.id)
    return [
        ScenarioCard(scenario, *done.get(scenario.id, (0, None)))
        for scenario in library.practice_library(settings=settings)
    ]


def start_practice(*, settings: Settings, actor: CurrentUser, scenario_id: str) -> CallView:
    """Open a new call on the scenario's newest version; the customer speaks first."""
    # Asked in a session of its own: the library sync below opens one beside this session,
    # and a session that had already read would hold a second connection meanwhile.
    access.require_permission(settings, actor, "practise")
    with db.session_scope(settings.database_url) as session:
        version, scenario = library.version_to_practise(
            session=session, actor=actor, key=scenario_id
        )
        state, line = simulator.start_call(scenario)
        attempt = attempts.add_attempt(
            session=session,
            trainee_id=actor.id,
            kind=AttemptKind.PRACTICE,
            scenario_version=version.id,
            first=_customer_line(0, line, {"patience": state.patience}),
        )
        assert attempt.id is not None
        attempt_id = attempt.id
    if settings.prerender_voices:
        prerender_voices(settings, scenario)
    return get_call(settings=settings, actor=actor, attempt_id=attempt_id)


def prerender_voices(settings: Settings, scenario: Scenario) -> threading.Thread:
    """Render every customer line into the voice cache in the background while the call runs.

    Rendering a line takes ~0.5 s; done ahead, the customer's reply is ready as soon as the
    answer is understood. A line that fails here is rendered (or reported) when it is needed.
    """
    lines = [(node.say, scenario.audio_path(node.audio)) for node in scenario.nodes.values()]
    lines.append((scenario.hangup_line, scenario.audio_path(scenario.hangup_audio)))

    def render_all() -> None:
        for text, recorded in lines:
            with contextlib.suppress(CodedError):
                voice.customer_voice(
                    text,
                    language=scenario.language,
                    cache_dir=settings.data_dir / "voices",
                    recorded=recorded,
                    gender=scenario.customer.gender,
                    pace=scenario.customer.pace,
                )

    worker = threading.Thread(target=render_all, name=f"voices-{scenario.id}", daemon=True)
    worker.start()
    return worker


# a line per language, so scoring loads its pipelines, lexicon, rubric and stage model
WARM_UP_CALLS = {
    "en": [Utterance(AGENT, "Hello, this is Anna. How can I help you today?")],
    "ru": [Utterance(AGENT, "Здравствуйте, меня зовут Анна. Чем могу помочь?")],
}


def warm_up(settings: Settings) -> threading.Thread:
    """Load Whisper and the scoring pipelines in the background when the app starts.

    They load through the same cached loaders an answer uses (~5 s together), so the first
    answer does not wait for them. One that fails here is reported when an answer needs it.
    """

    def load_all() -> None:
        with contextlib.suppress(CodedError):
            transcription.load_engine(settings)
        for language, call in WARM_UP_CALLS.items():
            with contextlib.suppress(CodedError):
                score_transcript(call, language=language, source="warm-up")

    worker = threading.Thread(target=load_all, name="callcoach-warm-up", daemon=True)
    worker.start()
    return worker


def current_practice(*, settings: Settings, actor: CurrentUser) -> CallView | None:
    """The call this user left in progress (browser refresh, crash), to resume it."""
    with db.session_scope(settings.database_url) as session:
        access.current(session, actor)
        attempt = repositories.open_attempt(session=session, trainee_id=actor.id)
        call = _call_of(session, attempt) if attempt is not None else None
    if call is None:
        return None
    return _view(settings, _resume(settings, actor, call))


def answer_with_audio(
    *,
    settings: Settings,
    actor: CurrentUser,
    attempt_id: int,
    data: bytes,
    audio_format: str,
    position: int | None = None,
) -> CallView:
    """Store the spoken answer first, then transcribe it and let the customer react.

    `position` is the turn the answer is for, as the screen showed the call (None: the
    next one): an answer whose turn is taken already was received before and is not stored
    again. A silent or too-short recording is refused (E191, E192) before it is stored.
    """
    audio.check_upload(data, settings.max_upload_mb)
    call = _open_call(settings, actor, attempt_id)
    turn = _free_position(call.turns, position)
    if turn is None:
        return _view(settings, call)
    _refuse_silence(data, settings)
    note = {
        "position": turn,
        "sha256": hashlib.sha256(data).hexdigest(),
        "format": audio_format.lower(),
        "size_bytes": len(data),
    }
    name = f"{attempt_id}-{turn}"
    recording_store.note_answer(settings.recordings_dir, name, note)
    recording_store.write_file(
        data, recordings_dir=settings.recordings_dir, audio_format=audio_format
    )
    received = _add_recorded_turn(settings, attempt_id, note)
    recording_store.drop_answer_note(settings.recordings_dir, name)
    if received is None:
        return get_call(settings=settings, actor=actor, attempt_id=attempt_id)
    return _view(settings, _transcribe_and_continue(settings, actor, call.adding(*received)))


def answer_with_text(
    *,
    settings: Settings,
    actor: CurrentUser,
    attempt_id: int,
    text: str,
    position: int | None = None,
) -> CallView:
    """A typed answer (chat channel, or no microphone), saved with the customer's reaction.

    `position` works as for :func:`answer_with_audio`: a double-click is one answer. An
    answer longer than CALLCOACH_MAX_ANSWER_CHARS is refused (E190) and nothing is stored.
    """
    _check_answer_length(text, settings.max_answer_chars)
    call = _open_call(settings, actor, attempt_id)
    turn = _free_position(call.turns, position)
    if turn is not None:
        call = _react_once(settings, actor, call, Line(turn, AGENT, text.strip()))
    return _view(settings, call)


def retry_transcription(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallView:
    """Transcribe the stored answer again after a failure or an interruption."""
    call = _resume(settings, actor, _open_call(settings, actor, attempt_id))
    return _view(settings, _transcribe_and_continue(settings, actor, call))


def abandon_practice(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallView:
    """End the call early; what was said so far stays, marked abandoned."""
    with db.session_scope(settings.database_url) as session:
        attempt = _own_open_attempt(session, actor, attempt_id)
        attempts.end_attempt(session=session, attempt=attempt, status=AttemptStatus.ABANDONED)
    return get_call(settings=settings, actor=actor, attempt_id=attempt_id)


def get_call(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallView:
    """One attempt as its trainee (or a trainer, their team lead, an admin) may see it."""
    return _view(settings, _stored_call(settings, actor, attempt_id))


@dataclass(frozen=True)
class _Call:
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

    def adding(self, turn: Turn, recording: Recording) -> _Call:
        """The call with one more (recorded) turn."""
        assert recording.id is not None
        return replace(
            self, turns=[*self.turns, turn], recordings={**self.recordings, recording.id: recording}
        )


def _stored_call(settings: Settings, actor: CurrentUser, attempt_id: int) -> _Call:
    """The call as the actor may see it, whatever its status."""
    with db.session_scope(settings.database_url) as session:
        who = access.current(session, actor)
        return _call_of(session, access.attempt(session, who, Action.READ_CALL, attempt_id))


def _open_call(settings: Settings, actor: CurrentUser, attempt_id: int) -> _Call:
    """The actor's own call, refused (E110, E111) unless it is still in progress."""
    with db.session_scope(settings.database_url) as session:
        return _call_of(session, _own_open_attempt(session, actor, attempt_id))


def _call_of(session: Session, attempt: Attempt) -> _Call:
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
    return _Call(attempt, _scenario_of(session, attempt), turns, recordings, score)


def _view(settings: Settings, call: _Call) -> CallView:
    notices: list[str] = []
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


def _free_position(turns: Sequence[Turn], position: int | None) -> int | None:
    """The turn a new answer takes; None when the answer for `position` is in already.

    Refused (E114) before anything is stored while the last answer waits for its text.
    """
    if position is not None and position < len(turns):
        return None
    _refuse_when_waiting(turns)
    return len(turns)


def _refuse_silence(data: bytes, settings: Settings) -> None:
    """Ask for a new take of an answer with no voice in it, so the trainee checks the
    microphone now. Audio that does not decode is stored: its transcription says why."""
    try:
        clip = audio.load_audio(data, settings=settings, name="recording")
    except CodedError:
        return
    audio.check_sound(clip)


def _add_recorded_turn(
    settings: Settings, attempt_id: int, note: dict[str, Any]
) -> tuple[Turn, Recording] | None:
    """Commit the stored audio's row and its turn; None when the turn is taken already."""
    try:
        with db.session_scope(settings.database_url) as session:
            return attempts.add_recorded_answer(
                session=session,
                attempt_id=attempt_id,
                position=note["position"],
                sha256=note["sha256"],
                audio_format=note["format"],
                size_bytes=note["size_bytes"],
            )
    except IntegrityError:  # the same answer sent twice at once: the other one is kept
        return None


def _resume(settings: Settings, actor: CurrentUser, call: _Call) -> _Call:
    """Finish what a kill interrupted: a stored answer without its turn, an answer without
    the customer's reaction (written by a version that committed them apart)."""
    if _receive_noted_answers(settings, call.attempt_id):
        call = _open_call(settings, actor, call.attempt_id)
    last = call.turns[-1] if call.turns else None
    if last is not None and last.speaker == AGENT and last.status == TurnStatus.DONE:
        return _react_once(settings, actor, call, _line_of(last))
    return call


def _receive_noted_answers(settings: Settings, attempt_id: int) -> bool:
    """Make the turns of answers whose audio was stored when a kill stopped the commit;
    whether there were any."""
    notes = recording_store.answer_notes(settings.recordings_dir, prefix=f"{attempt_id}-")
    for name, note in notes.items():
        stored = recording_store.relative_path(note["sha256"], note["format"])
        if (settings.recordings_dir / stored).exists():  # else killed before: nothing to keep
            _add_recorded_turn(settings, attempt_id, note)
        recording_store.drop_answer_note(settings.recordings_dir, name)
    return bool(notes)


def _transcribe_and_continue(settings: Settings, actor: CurrentUser, call: _Call) -> _Call:
    """Transcribe the call's answer that waits for its text, then let the customer react."""
    turns = call.turns
    pending = turns[-1] if turns and turns[-1].status != TurnStatus.DONE else None
    if pending is None or pending.recording_id is None:
        return call
    path = settings.recordings_dir / call.recordings[pending.recording_id].path
    try:  # outside any transaction: a transcription takes seconds
        result = transcription.transcribe_file(
            path,
            settings=settings,
            language=call.scenario.language,
            speaker=AGENT,
            vocabulary=call.scenario.vocabulary_terms(_last_customer_line(turns)),
        )
    except CodedError as error:
        with db.session_scope(settings.database_url) as session:
            failed = attempts.mark_failed(session=session, turn=pending, error=str(error))
        return replace(call, turns=[*turns[:-1], failed])
    return _react_once(settings, actor, call, _transcribed(pending, result))


def _last_customer_line(turns: Sequence[Turn]) -> str:
    """What the customer said last: the answer being transcribed replies to it."""
    return next((t.text for t in reversed(turns) if t.speaker == CUSTOMER), "")


def _transcribed(turn: Turn, result: dict[str, Any]) -> Line:
    """The recorded answer with its transcript."""
    words = [w for segment in result["segments"] for w in segment.get("words", [])]
    details = {
        "duration_s": result["duration_s"],
        "engine": result["engine"],
        "model": result["model"],
        "words": words,
        "warnings": result.get("warnings", []),
    }
    text = result["text"].strip()
    return Line(turn.position, AGENT, text, details, turn.recording_id, turn.id)


def _line_of(turn: Turn) -> Line:
    return Line(turn.position, turn.speaker, turn.text, turn.details, turn.recording_id, turn.id)


def _react_once(settings: Settings, actor: CurrentUser, call: _Call, answer: Line) -> _Call:
    """Commit the answer with the customer's reaction (and the score when the call ends).

    One simulator step from the stored state; the reaction and the score are worked out
    before the one write transaction, so no connection or write lock is held while they
    take their time. A turn taken already means the same answer (or its transcript) was
    committed by a request sent at the same moment: that one stands.
    """
    earlier = [t for t in call.turns if t.position < answer.position]
    reaction = simulator.respond(
        call.scenario, _state_after(earlier), answer.text, history=_history(earlier)
    )
    reply = _customer_line(answer.position + 1, reaction.line, _why(reaction))
    outcome = reaction.state.outcome
    said: list[Turn | Line] = [*earlier, answer, reply]
    card = _score_call(settings, call, said, outcome, actor) if reaction.state.ended else None
    try:
        with db.session_scope(settings.database_url) as session:
            attempt = _own_open_attempt(session, actor, call.attempt_id)
            saved = [
                attempts.add_line(session=session, attempt_id=call.attempt_id, line=line)
                for line in (answer, reply)
            ]
            score = None
            if card is not None:
                attempt = attempts.end_attempt(
                    session=session,
                    attempt=attempt,
                    status=AttemptStatus.COMPLETED,
                    outcome=outcome,  # a hang-up or a missed escalation cannot pass
                )
                score = attempts.add_scorecard(
                    session=session, attempt=attempt, card=card, engine=_engine_of(said)
                )
    except IntegrityError:
        return _stored_call(settings, actor, call.attempt_id)
    return replace(call, attempt=attempt, turns=[*earlier, *saved], score=score)


def _state_after(turns: Sequence[Turn]) -> simulator.CallState:
    """Where the call stands after these turns: the customer's last line records the node
    and patience it left the call at (a call that ended is no longer answered)."""
    last = next(t for t in reversed(turns) if t.speaker == CUSTOMER)
    answered = sum(1 for t in turns if t.speaker == AGENT)
    patience = int(last.details["patience"])
    return simulator.CallState(last.details["node"], patience, answered, outcome=None)


def _history(turns: Sequence[Turn]) -> list[Utterance]:
    """The call so far as the behaviour detector reads it (a silent answer adds nothing)."""
    return [Utterance(t.speaker, t.text) for t in turns if t.text]


def _why(reaction: simulator.Reaction) -> dict[str, Any]:
    return {
        "patience": reaction.state.patience,
        "patience_change": reaction.patience_change,
        "reasons": list(reaction.reasons),
        "detected": sorted(reaction.detected),
    }


def _score_call(
    settings: Settings,
    call: _Call,
    said: Sequence[Turn | Line],
    outcome: str | None,
    agent: CurrentUser,
) -> Scorecard:
    scenario = call.scenario
    first_name = agent.display_name.split()[0] if agent.display_name.strip() else None
    return score_transcript(
        _utterances(said),
        language=scenario.language,
        rubric=scoring_files.rubric_in_use(settings),  # a trainer's edit when there is one
        lexicon=scoring_files.lexicon_in_use(settings, scenario.language),
        scenario=scenario.scoring_requirements(agent_name=first_name),
        source=f"attempt {call.attempt_id}",
        outcome=outcome,  # a hang-up or a missed escalation cannot pass
    )


def _utterances(turns: Sequence[Turn | Line]) -> list[Utterance]:
    """The call as scoring sees it, on one clock: each turn starts where the last ended.

    A typed answer has no times: pace, pauses and fillers are measured on speech only, so a
    call with a typed answer is not scored on delivery (its weight goes to the others).
    """
    clock, utterances = 0.0, []
    for turn in turns:
        if not turn.text:
            continue
        if turn.speaker == AGENT and turn.recording_id is None:
            utterances.append(Utterance(turn.speaker, turn.text))
            continue
        duration = turn.details.get("duration_s") or len(turn.text.split()) / WORDS_PER_SECOND
        words = tuple(
            Word(word=w["word"], start=clock + w["start"], end=clock + w["end"])
            for w in turn.details.get("words", [])
        )
        utterances.append(Utterance(turn.speaker, turn.text, clock, clock + duration, words))
        clock += duration
    return utterances


def _engine_of(turns: Sequence[Turn | Line]) -> tuple[str | None, str | None]:
    spoken = [t.details for t in turns if t.details.get("engine")]
    return (spoken[-1]["engine"], spoken[-1]["model"]) if spoken else (None, None)


def _customer_line(position: int, line: simulator.CustomerLine, details: dict[str, Any]) -> Line:
    recorded = {"audio": str(line.audio)} if line.audio else {}
    return Line(position, CUSTOMER, line.text, {"node": line.node, **recorded, **details})


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
    notices: list[str],
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
    settings: Settings, scenario: Scenario, turn: Turn, notices: list[str]
) -> Path | None:
    """The customer's voice for a line; a missing voice leaves the subtitles, with a notice."""
    try:
        recorded = turn.details.get("audio")
        clip = voice.customer_voice(
            turn.text,
            language=scenario.language,
            cache_dir=settings.data_dir / "voices",
            recorded=Path(recorded) if recorded else None,
            gender=scenario.customer.gender,
            pace=scenario.customer.pace,
        )
    except CodedError as error:
        if str(error) not in notices:
            notices.append(str(error))
        return None
    return clip.path


def _own_open_attempt(session: Session, actor: CurrentUser, attempt_id: int) -> Attempt:
    access.current(session, actor)  # a deactivated trainee stops at their next answer
    attempt = repositories.get_attempt(session=session, attempt_id=attempt_id)
    if attempt is None or attempt.trainee_id != actor.id:
        raise CallcoachError(Err.ATTEMPT_NOT_FOUND, attempt_id=attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise CallcoachError(Err.ATTEMPT_FINISHED, attempt_id=attempt_id)
    return attempt


def _check_answer_length(text: str, limit: int) -> None:
    """No turn is one essay: a pasted page would be scored as if it were said."""
    length = len(text.strip())
    if length > limit:
        raise CallcoachError(Err.ANSWER_TOO_LONG, length=length, limit=limit)


def _refuse_when_waiting(turns: Sequence[Turn]) -> None:
    if turns and turns[-1].status != TurnStatus.DONE:
        raise CallcoachError(Err.ANSWER_PENDING)
