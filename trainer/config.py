"""Settings from the environment (prefix CALLCOACH_) or a `.env` file, validated at start."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from scoring.vocabulary import Language
from trainer.errors import CallcoachError, Err

ENV_PREFIX = "CALLCOACH_"


class Settings(BaseSettings):
    """Everything callcoach can be configured with. Each field is CALLCOACH_<NAME>."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", validate_default=True
    )

    database_url: str = Field(
        "sqlite:///data/callcoach.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user:pw@host/db",
    )
    data_dir: Path = Field(Path("data"), description="Folder for the SQLite file and secrets")
    recordings_dir: Path = Field(Path("recordings"), description="Content-addressed audio store")
    models_dir: Path = Field(Path("models"), description="Offline Whisper models")
    voices_dir: Path | None = Field(
        None,
        description="Cache of the customer's spoken lines, named by what made them (unset: "
        "DATA_DIR/voices); several servers may share one",
    )
    asr_engine: Literal["faster-whisper", "openai-whisper"] = "faster-whisper"
    asr_model: Literal["base", "small", "tiny.en"] = "base"
    asr_device: Literal["auto", "cpu", "cuda"] = "auto"
    asr_allow_download: bool = Field(
        False,
        description="Let a Whisper engine fetch a model that is not installed from a model hub",
    )
    default_language: Language = "en"
    call_vocabulary: str = Field(
        "",
        max_length=2000,
        description="Names, products and terms uploaded real calls are transcribed with, "
        "comma-separated (e.g. 'Sunny Cycles, Northwind, BikeCare Plus')",
    )
    max_upload_mb: int = Field(50, ge=1, le=2048, description="Largest accepted upload, MB")
    max_audio_s: float = Field(
        5400.0, gt=0, le=6 * 3600, description="Longest accepted recording, seconds"
    )
    max_answer_chars: int = Field(
        2000,
        ge=100,
        le=20000,
        description="Longest typed practice answer, characters; a longer one is refused (E190)",
    )
    worker_lease_s: float = Field(
        300.0,
        ge=1,
        le=24 * 3600,
        description="How long a worker holds a job without a sign of life before another "
        "worker takes it over, seconds (extended while it works)",
    )
    worker_max_run_s: float = Field(
        3600.0,
        ge=1,
        le=48 * 3600,
        description="Longest a worker may work on one job; then the job fails (E008) and its "
        "lease is no longer extended, seconds",
    )
    prerender_voices: bool = Field(
        True,
        description="Render a started call's customer lines ahead, in the background, so each "
        "reply is ready at once (off: each line is rendered when it is needed)",
    )
    max_parallel_uploads: int = Field(
        2, ge=1, le=64, description="Uploads checked at the same time; more are refused (E007)"
    )
    worker_max_attempts: int = Field(
        3, ge=1, le=20, description="Starts of an upload job before it is marked failed"
    )
    sso_claim: str = Field(
        "email",
        min_length=1,
        description="The single sign-on claim that holds a callcoach username",
    )
    session_secret: SecretStr | None = Field(
        None, description="Secret for signing sessions; generated into data_dir when unset"
    )
    session_hours: float = Field(
        12.0, gt=0, le=24 * 30, description="How long a sign-in lasts, refreshes included, hours"
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql")):
            raise ValueError("must start with sqlite:/// or postgresql+psycopg://")
        return url

    def voice_cache(self) -> Path:
        """Where the customer's rendered lines are kept."""
        return self.voices_dir or self.data_dir / "voices"

    def call_vocabulary_terms(self) -> list[str]:
        """The call vocabulary as a list of terms, each once, in order."""
        terms = (term.strip() for term in self.call_vocabulary.split(","))
        return list(dict.fromkeys(term for term in terms if term))

    def secret(self) -> str:
        """The session secret: the configured one, or one generated once and kept."""
        if self.session_secret is not None:
            return self.session_secret.get_secret_value()
        path = self.data_dir / "session_secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()


def describe_problems(error: ValidationError) -> str:
    """One readable line per invalid setting, named as the user sets it."""
    problems = []
    for item in error.errors():
        name = ENV_PREFIX + "_".join(str(part) for part in item["loc"]).upper()
        problems.append(f"{name}: {item['msg']} (got {item.get('input')!r})")
    return "; ".join(problems)


def load_settings() -> Settings:
    """Read and validate settings, or raise one coded error listing every problem."""
    try:
        return Settings()
    except ValidationError as error:
        raise CallcoachError(Err.SETTINGS_INVALID, problems=describe_problems(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, validated once."""
    return load_settings()
