"""Run the real `callcoach` console script in a subprocess with chosen settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from trainer.config import Settings

CALLCOACH = Path(sys.executable).parent / "callcoach"


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process use `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLCOACH_")}
    env.update(
        CALLCOACH_DATABASE_URL=settings.database_url,
        CALLCOACH_DATA_DIR=str(settings.data_dir),
        CALLCOACH_RECORDINGS_DIR=str(settings.recordings_dir),
        CALLCOACH_MODELS_DIR=str(settings.models_dir),
        CALLCOACH_PRERENDER_VOICES=str(settings.prerender_voices).lower(),
        COLUMNS="200",  # rich wraps tables at the terminal width; keep lines whole
    )
    if settings.voices_dir is not None:
        env["CALLCOACH_VOICES_DIR"] = str(settings.voices_dir)
    return env


def run_cli(
    *args: str, settings: Settings, stdin: str = "", extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = settings_env(settings) | (extra_env or {})
    return subprocess.run(
        [str(CALLCOACH), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
