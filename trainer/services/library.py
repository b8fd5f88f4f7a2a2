"""The scenario library as trainers author it and trainees practise it.

Every scenario key has stored versions (table ``Scenario``). A built-in file in
``trainer/scenarios/`` is stored as a new version whenever it changes, until a trainer saves
a version of that key; from then on the trainer's versions are the scenario. Saving never
changes a stored version, it adds the next one, so every attempt keeps the version it was
made on. Trainees practise the newest version of every enabled key; a trainer may also try
a disabled one (that is how a new scenario is tested before trainees see it).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from scoring.errors import CodedError
from scoring.transcript import CUSTOMER, Utterance
from scoring.validation import Problem
from trainer.config import Settings
from trainer.domain import roles, simulator
from trainer.domain.scenario import (
    SCENARIO_DIR,
    TEMPLATE_DIR,
    Scenario,
    load_library,
    load_scenario_text,
    validate_scenario_text,
)
from trainer.errors import CallcoachError, Err
from trainer.services import access
from trainer.services.accounts import CurrentUser
from trainer.services.edits import EditRejectedError, check_size
from trainer.speech import voice
from trainer.storage import db, library_queries, repositories
from trainer.storage.models import ScenarioVersion

AUTHOR = "author scenarios"
EDIT_SOURCE = "edit"  # how validation names text that is not a file yet
MAX_TRIED_ANSWERS = 40  # more than any scenario's max_turns


@dataclass(frozen=True)
class LibraryEntry:
    """One scenario in the trainer's list: its newest version and how it is used."""

    key: str
    version: int
    title: str
    language: str
    difficulty: int | None
    customer_type: str | None
    enabled: bool
    edited_by: str | None  # who saved the newest version; None: the built-in file
    attempts: int  # by every trainee, on every version
    source_yaml: str


@dataclass(frozen=True)
class SavedScenario:
    key: str
    version: int
    created: bool  # False: the text is the newest version already, nothing was added


@dataclass(frozen=True)
class PlayableLine:
    """A customer line of a scenario, ready to play (or why it cannot be)."""

    node: str
    text: str
    audio_path: Path | None
    problem: str | None


def list_library(*, settings: Settings, actor: CurrentUser) -> list[LibraryEntry]:
    """Every scenario key with its newest version, enabled or not (trainers and admins)."""
    access.require_permission(settings, actor, AUTHOR)
    with db.session_scope(settings.database_url) as session:
        sync_builtin(session=session)
        rows = library_queries.newest_versions(session=session)
        attempts = library_queries.attempts_per_key(session=session)
        authors = {row.author_id for row in rows if row.author_id is not None}
        names = library_queries.display_names(session=session, user_ids=authors)
    entries = [_entry(row, attempts.get(row.key, 0), names) for row in rows]
    return sorted(entries, key=lambda e: (e.language, e.difficulty or 0, e.key))


def _entry(row: ScenarioVersion, attempts: int, names: dict[int, str]) -> LibraryEntry:
    return LibraryEntry(
        key=row.key,
        version=row.version,
        title=row.title,
        language=row.language,
        difficulty=row.difficulty,
        customer_type=row.customer_type,
        enabled=row.enabled,
        edited_by=names.get(row.author_id) if row.author_id is not None else None,
        attempts=attempts,
        source_yaml=row.source_yaml,
    )


@dataclass(frozen=True)
class StoredVersion:
    """One stored version of a scenario, for its history."""

    version: int
    created_at: datetime
    edited_by: str | None  # None: the built-in file
    source_yaml: str


@dataclass(frozen=True)
class TriedAnswer:
    """What the simulated customer made of one answer, and why (the "Try it" debug panel)."""

    answer: str
    node: str  # the customer line the answer replied to
    detected: tuple[str, ...]  # behaviour tags found in the answer
    reaction: int  # which reaction of the node fired (0-based)
    next_node: str
    reasons: tuple[str, ...]  # each rule's "why", with its patience change
    patience: int  # after the answer
    customer_line: str
    outcome: str | None  # set once the call ended


def new_scenario_template(language: str) -> str:
    """The text a new scenario starts from: a working scenario to change, with a guide."""
    path = TEMPLATE_DIR / f"{language}.yaml"
    if language not in {"en", "ru"}:
        raise CallcoachError(Err.UNKNOWN_LANGUAGE, language=language, choices="en, ru")
    return path.read_text(encoding="utf-8")


def scenario_versions(*, settings: Settings, actor: CurrentUser, key: str) -> list[StoredVersion]:
    """Every stored version of a scenario, newest first."""
    access.require_permission(settings, actor, AUTHOR)
    with db.session_scope(settings.database_url) as session:
        sync_builtin(session=session)
        rows = library_queries.versions(session=session, key=key)
        if not rows:
            raise _not_found(session, key)
        authors = {row.author_id for row in rows if row.author_id is not None}
        names = library_queries.display_names(session=session, user_ids=authors)
    return [
        StoredVersion(
            row.version,
            row.created_at,
            names.get(row.author_id) if row.author_id is not None else None,
            row.source_yaml,
        )
        for row in rows
    ]


def version_diff(*, settings: Settings, actor: CurrentUser, key: str, old: int, new: int) -> str:
    """A unified diff from version ``old`` to version ``new`` ('' when they are the same)."""
    texts = {
        v.version: v.source_yaml for v in scenario_versions(settings=settings, actor=actor, key=key)
    }
    for version in (old, new):
        if version not in texts:
            known = ", ".join(f"v{number}" for number in sorted(texts))
            raise CallcoachError(
                Err.SCENARIO_VERSION_NOT_FOUND, scenario=key, version=version, known=known
            )
    lines = difflib.unified_diff(
        texts[old].splitlines(keepends=True),
        texts[new].splitlines(keepends=True),
        fromfile=f"{key} v{old}",
        tofile=f"{key} v{new}",
    )
    return "".join(lines)


def try_answers(
    *, settings: Settings, actor: CurrentUser, text: str, answers: Sequence[str]
) -> list[TriedAnswer]:
    """Play typed answers against scenario YAML (an unsaved edit too) and say, per answer,
    which behaviours were detected, which reaction fired and why. Stores nothing."""
    access.require_permission(settings, actor, AUTHOR)
    if len(answers) > MAX_TRIED_ANSWERS:
        raise CallcoachError(Err.TOO_MANY_ANSWERS, count=len(answers), limit=MAX_TRIED_ANSWERS)
    check_size(len(text.encode()), name="the scenario")
    problems = validate_scenario_text(text, source=EDIT_SOURCE)
    if problems:
        raise EditRejectedError(Err.SCENARIO_INVALID, problems)
    scenario = load_scenario_text(text, source=EDIT_SOURCE)
    state, line = simulator.start_call(scenario)
    history = [Utterance(CUSTOMER, line.text)]
    tried = []
    for answer in answers:
        if state.ended:
            break
        reaction = simulator.respond(scenario, state, answer, history=history)
        tried.append(_tried(scenario, state.node, answer, reaction))
        history = simulator.extend_history(history, answer, reaction)
        state = reaction.state
    return tried


def _tried(scenario: Scenario, node: str, answer: str, reaction: simulator.Reaction) -> TriedAnswer:
    rules = scenario.nodes[node].reactions
    fired = next(i for i, rule in enumerate(rules) if rule.matches(reaction.detected))
    return TriedAnswer(
        answer=answer,
        node=node,
        detected=tuple(sorted(reaction.detected)),
        reaction=fired,
        next_node=reaction.state.node,
        reasons=reaction.reasons,
        patience=reaction.state.patience,
        customer_line=reaction.line.text,
        outcome=reaction.state.outcome,
    )


def check_scenario(text: str) -> list[Problem]:
    """Every problem of scenario YAML, each at its line; the example call is played too."""
    check_size(len(text.encode()), name="the scenario")
    return validate_scenario_text(text, source=EDIT_SOURCE)


def save_scenario(*, settings: Settings, actor: CurrentUser, text: str) -> SavedScenario:
    """Store valid YAML as the next version of its scenario (a new id starts a new one).

    Invalid YAML raises EditRejectedError (E501) with every problem and stores nothing.
    """
    access.require_permission(settings, actor, AUTHOR)
    problems = check_scenario(text)
    if problems:
        raise EditRejectedError(Err.SCENARIO_INVALID, problems)
    scenario = load_scenario_text(text, source=EDIT_SOURCE)
    sha256 = hashlib.sha256(text.encode()).hexdigest()
    with db.session_scope(settings.database_url) as session:
        sync_builtin(session=session)
        newest = repositories.newest_version(session=session, key=scenario.id)
        if newest is not None and newest.sha256 == sha256:
            return SavedScenario(scenario.id, newest.version, created=False)
        row = library_queries.add_edited_version(
            session=session, edit=_stored(scenario, text, sha256, actor.id)
        )
        return SavedScenario(row.key, row.version, created=True)


def _stored(scenario: Scenario, text: str, sha256: str, author_id: int) -> ScenarioVersion:
    return ScenarioVersion(
        key=scenario.id,
        title=scenario.title,
        language=scenario.language,
        source_yaml=text,
        sha256=sha256,
        customer_type=scenario.customer.type,
        difficulty=scenario.difficulty,
        author_id=author_id,
    )


def set_enabled(*, settings: Settings, actor: CurrentUser, key: str, enabled: bool) -> bool:
    """Show a scenario to trainees again, or hide it from practice (every version)."""
    access.require_permission(settings, actor, AUTHOR)
    with db.session_scope(settings.database_url) as session:
        sync_builtin(session=session)
        if not library_queries.set_enabled(session=session, key=key, enabled=enabled):
            raise _not_found(session, key)
    return enabled


def customer_lines(*, settings: Settings, actor: CurrentUser, key: str) -> list[PlayableLine]:
    """Every customer line of the newest version, rendered to audio (cached by content)."""
    access.require_permission(settings, actor, AUTHOR)
    with db.session_scope(settings.database_url) as session:
        _, scenario = version_to_practise(session=session, actor=actor, key=key)
    lines = [(name, node.say, node.audio) for name, node in scenario.nodes.items()]
    lines.append(("hangup", scenario.hangup_line, scenario.hangup_audio))
    return [_line(settings, scenario, *line) for line in lines]


def _line(
    settings: Settings, scenario: Scenario, node: str, text: str, audio: str | None
) -> PlayableLine:
    try:
        clip = voice.customer_voice(
            text,
            language=scenario.language,
            cache_dir=settings.voice_cache(),
            recorded=scenario.audio_path(audio),
            gender=scenario.customer.gender,
            pace=scenario.customer.pace,
        )
    except CodedError as error:
        return PlayableLine(node, text, None, str(error))
    return PlayableLine(node, text, clip.path, None)


def practice_library(*, settings: Settings) -> list[Scenario]:
    """What trainees practise: the newest version of every enabled scenario."""
    with db.session_scope(settings.database_url) as session:
        sync_builtin(session=session)
        rows = [row for row in library_queries.newest_versions(session=session) if row.enabled]
    scenarios = [scenario for row in rows if (scenario := _loadable(row)) is not None]
    return sorted(scenarios, key=lambda s: (s.language, s.difficulty, s.id))


def version_to_practise(
    *, session: Session, actor: CurrentUser, key: str
) -> tuple[ScenarioVersion, Scenario]:
    """The newest version of a scenario; a disabled one only for those who author scenarios."""
    sync_builtin(session=session)
    row = repositories.newest_version(session=session, key=key)
    if row is None:
        raise _not_found(session, key)
    if not row.enabled and access.current(session, actor).role not in roles.PERMISSIONS[AUTHOR]:
        raise CallcoachError(Err.SCENARIO_DISABLED, scenario=key)
    return row, stored_scenario(row)


def sync_builtin(*, session: Session) -> None:
    """Store each changed built-in file as a new version, unless a trainer took the key over.

    Call it before anything else in ``session``. It commits in a transaction of its own, so
    two first visits at the same moment do not clash: the one that loses the race to store a
    version finds the other's rows on a second look.
    """
    files = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(SCENARIO_DIR.glob("*.yaml")))
    builtin = _builtin(files)
    for last_try in (False, False, True):
        try:
            with Session(session.get_bind()) as own, own.begin():
                edited = library_queries.edited_keys(session=own)
                for scenario in builtin:
                    if scenario.id not in edited:
                        repositories.library_version(session=own, scenario=scenario)
            return
        except IntegrityError:
            if last_try:
                raise


@lru_cache(maxsize=1)
def _builtin(_files: tuple[tuple[str, int], ...]) -> list[Scenario]:
    """The built-in files, checked once per change of any of them (checking takes ~0.3 s)."""
    return load_library()


@dataclass(frozen=True)
class _Version:
    """A stored version as the parse cache knows it: by id and content hash, not by text."""

    id: int
    sha256: str
    text: str = field(compare=False)
    source: str = field(compare=False)


def stored_scenario(row: ScenarioVersion) -> Scenario:
    """A stored version's scenario; a version never changes, so each is parsed once."""
    assert row.id is not None, "a stored version has its id"
    return _parse(_Version(row.id, row.sha256, row.source_yaml, f"{row.key} v{row.version}"))


@lru_cache(maxsize=256)
def _parse(version: _Version) -> Scenario:
    """Parsing and checking a version takes ~50 ms; the cache holds the 256 last used."""
    return load_scenario_text(version.text, source=version.source)


def _loadable(row: ScenarioVersion) -> Scenario | None:
    """None for a stored version this code no longer accepts (Validate shows why)."""
    try:
        return stored_scenario(row)
    except CallcoachError:
        return None


def _not_found(session: Session, key: str) -> CallcoachError:
    known = ", ".join(sorted(r.key for r in library_queries.newest_versions(session=session)))
    return CallcoachError(
        Err.SCENARIO_NOT_FOUND, scenario=key, folder="the library", known=known or "none"
    )
