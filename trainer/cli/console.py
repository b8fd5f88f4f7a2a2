"""What every command shares: the stdout and stderr consoles and the settings (migrated first
for the commands that need the database)."""

from __future__ import annotations

from rich.console import Console

from trainer.config import Settings, get_settings

out = Console()
err = Console(stderr=True)


def settings() -> Settings:
    return get_settings()


def ready_settings() -> Settings:
    """Settings for commands that need a migrated database."""
    from trainer import services

    current = settings()
    services.ensure_ready(current)
    return current
