"""`callcoach transcribe`: recordings to transcripts with word timestamps, printed as text or
JSON, a stereo call split into speakers by channel."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from trainer.cli.console import err, out, settings


def transcribe(
    audio: Annotated[list[Path], typer.Argument(help="WAV, MP3, M4A, OGG/Opus, WebM or FLAC")],
    engine: Annotated[
        str | None, typer.Option(help="faster-whisper or openai-whisper [CALLCOACH_ASR_ENGINE]")
    ] = None,
    model: Annotated[str | None, typer.Option(help="base, small or tiny.en")] = None,
    language: Annotated[str | None, typer.Option(help="en or ru; detected if left out")] = None,
    channels: Annotated[
        str, typer.Option(help="Stereo calls: speaker of the left,right channel")
    ] = "agent,customer",
    speaker: Annotated[str, typer.Option(help="Mono recordings: who speaks")] = "agent",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file")] = False,
) -> None:
    """Transcribe recordings with word timestamps; stereo calls are split by channel.

    Example: callcoach transcribe call.wav answer.webm --language en --json
    """
    from trainer.speech import transcription

    current = settings()
    mapping = transcription.parse_channels(channels)
    for path in _transcribe_each(audio, show_progress=len(audio) > 1):
        transcript = transcription.transcribe_file(
            path,
            settings=current,
            engine=engine,
            model=model,
            language=language,
            channels=mapping,
            speaker=speaker,
        )
        for warning in transcript["warnings"]:
            err.print(f"warning: {path}: {warning}", markup=False, highlight=False)
        if as_json:
            typer.echo(json.dumps(transcript, ensure_ascii=False, allow_nan=False))
        else:
            _print_transcript(transcript)


def _transcribe_each(paths: list[Path], *, show_progress: bool) -> Iterator[Path]:
    """The paths in order, with a progress bar on stderr when there are several."""
    if not show_progress:
        yield from paths
        return
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Transcribing", total=len(paths))
        for path in paths:
            progress.update(task, description=f"Transcribing {path.name}")
            yield path
            progress.advance(task)


def _print_transcript(transcript: dict[str, Any]) -> None:
    out.print(
        f"[bold]{transcript['file']}[/] — {transcript['engine']} {transcript['model']}, "
        f"{transcript['language']}, {transcript['duration_s']:.1f} s",
        soft_wrap=True,
    )
    for segment in transcript["segments"]:
        span = f"{_clock(segment['start'])}–{_clock(segment['end'])}"
        out.print(f"[dim]{span}[/] [bold]{segment['speaker']}:[/] ", end="")
        out.print(segment["text"], markup=False, highlight=False)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:04.1f}"
