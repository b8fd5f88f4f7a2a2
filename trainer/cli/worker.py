"""`callcoach worker`: the loop that transcribes and scores uploaded calls from the job queue."""

from __future__ import annotations

from typing import Annotated

import typer

from trainer.cli.console import out, ready_settings


def worker_command(
    once: Annotated[
        bool, typer.Option("--once", help="Work the jobs waiting now, then exit")
    ] = False,
    poll: Annotated[
        float, typer.Option("--poll", min=0.1, help="Seconds between looks for new jobs")
    ] = 2.0,
) -> None:
    """Transcribe and score uploaded calls: works the job queue in the database.

    Run one or more beside the app (`make run` starts one); SIGTERM or Ctrl+C finishes the
    current job, then stops. A killed worker's job is retried by the next worker.
    Example: callcoach worker --poll 5
    """
    from trainer.worker import run_worker  # loads Whisper: only this command needs it

    worked = run_worker(ready_settings(), once=once, poll_s=poll, say=_say)
    out.print(f"Stopped after {worked} job(s).")


def _say(line: str) -> None:
    out.print(line, markup=False, highlight=False, soft_wrap=True)
