"""`callcoach batch`: score a folder of recordings on worker processes or Ray, resumable, into
JSON Lines and a CSV summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.console import err, out, ready_settings, settings


def batch_command(
    source: Annotated[
        str, typer.Argument(help="A folder (searched recursively) or a quoted glob of recordings")
    ],
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes [1]; with --ray, actors [1 per GPU or 2 CPUs]"),
    ] = None,
    results: Annotated[
        Path, typer.Option("--out", help="JSON Lines results; the CSV summary goes beside it")
    ] = Path("results.jsonl"),
    trainee: Annotated[
        str | None, typer.Option(help="Also store each call as a real call of this trainee")
    ] = None,
    language: Annotated[str | None, typer.Option(help="en or ru; detected if left out")] = None,
    channels: Annotated[
        str, typer.Option(help="Stereo calls: speaker of the left,right channel")
    ] = "agent,customer",
    ray: Annotated[
        str | None,
        typer.Option(
            metavar="[ADDRESS]",
            help="Run on Ray: alone, a local Ray; HEAD:6379 (or auto) joins that cluster",
        ),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option(help="Process again the files whose last line is an error")
    ] = False,
) -> None:
    """Score a folder of recorded calls on N workers or Ray; resumes where it stopped.

    Writes one JSON line per file (an error line for a bad one) and a CSV summary.
    Example: callcoach batch calls/ --jobs 2 --out results.jsonl
    """
    from trainer.batch import driver as batch
    from trainer.batch.files import find_recordings
    from trainer.batch.work import WorkerOptions
    from trainer.speech import transcription

    current = ready_settings() if trainee else settings()
    transcription.choose(current, None, None, language)  # a bad language fails before workers
    options = WorkerOptions(
        settings=current, language=language, channels=transcription.parse_channels(channels)
    )
    job = batch.Batch(
        recordings=find_recordings(source),
        runner=batch.make_runner(options, jobs=jobs, ray_address=ray),
        out=results,
        settings=current,
        trainee=trainee,
        store=batch.trainee_store(current, trainee) if trainee else None,
        retry_failed=retry_failed,
        console=err,
    )
    report = job.run()
    out.print(report.line(), markup=False, highlight=False, soft_wrap=True)
    batch.check_failures(report, results)
