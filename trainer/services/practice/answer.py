"""Answering the customer: a typed or a spoken answer, a transcription retried, a call resumed.

A spoken answer's audio is stored and linked to its turn in a committed transaction before
it is transcribed; a kill before that commit leaves a note that `current_practice` turns
into the turn again. An answer says which turn it is for, so one sent twice is received
once. Once an answer has its text, `step.react_once` commits it with the customer's reply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from scoring.errors import CodedError
from scoring.vocabulary import AGENT, CUSTOMER
from trainer.config import Settings
from trainer.errors import CallcoachError, Err, stored
from trainer.services import access
from trainer.services.accounts import CurrentUser
from trainer.services.practice.call import (
    CallView,
    StoredCall,
    call_of,
    get_call,
    open_call,
    view_of,
)
from trainer.services.practice.step import react_once
from trainer.speech import audio, transcription
from trainer.storage import attempts, db, recording_store, repositories
from trainer.storage.attempts import Line
from trainer.storage.models import Recording, Turn, TurnStatus


def current_practice(*, settings: Settings, actor: CurrentUser) -> CallView | None:
    """The call this user left in progress (browser refresh, crash), to resume it."""
    with db.session_scope(settings.database_url) as session:
        access.current(session, actor)
        attempt = repositories.open_attempt(session=session, trainee_id=actor.id)
        call = call_of(session, attempt) if attempt is not None else None
    if call is None:
        return None
    return view_of(settings, _resume(settings, actor, call))


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
    call = open_call(settings, actor, attempt_id)
    turn = _free_position(call.turns, position)
    if turn is None:
        return view_of(settings, call)
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
    return view_of(settings, _transcribe_and_continue(settings, actor, call.adding(*received)))


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
    call = open_call(settings, actor, attempt_id)
    turn = _free_position(call.turns, position)
    if turn is not None:
        call = react_once(settings, actor, call, Line(turn, AGENT, text.strip()))
    return view_of(settings, call)


def retry_transcription(*, settings: Settings, actor: CurrentUser, attempt_id: int) -> CallView:
    """Transcribe the stored answer again after a failure or an interruption."""
    call = _resume(settings, actor, open_call(settings, actor, attempt_id))
    return view_of(settings, _transcribe_and_continue(settings, actor, call))


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


def _resume(settings: Settings, actor: CurrentUser, call: StoredCall) -> StoredCall:
    """Finish what a kill interrupted: a stored answer without its turn, an answer without
    the customer's reaction (written by a version that committed them apart)."""
    if _receive_noted_answers(settings, call.attempt_id):
        call = open_call(settings, actor, call.attempt_id)
    last = call.turns[-1] if call.turns else None
    if last is not None and last.speaker == AGENT and last.status == TurnStatus.DONE:
        return react_once(settings, actor, call, _line_of(last))
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


def _transcribe_and_continue(
    settings: Settings, actor: CurrentUser, call: StoredCall
) -> StoredCall:
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
            failed = attempts.mark_failed(session=session, turn=pending, error=stored(error))
        return replace(call, turns=[*turns[:-1], failed])
    return react_once(settings, actor, call, _transcribed(pending, result))


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


def _check_answer_length(text: str, limit: int) -> None:
    """No turn is one essay: a pasted page would be scored as if it were said."""
    length = len(text.strip())
    if length > limit:
        raise CallcoachError(Err.ANSWER_TOO_LONG, length=length, limit=limit)


def _refuse_when_waiting(turns: Sequence[Turn]) -> None:
    if turns and turns[-1].status != TurnStatus.DONE:
        raise CallcoachError(Err.ANSWER_PENDING)
