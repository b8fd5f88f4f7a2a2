"""The black-box probe of the CLI: every bad input ends in one `error[CODE]: … — …` line.

Most cases run `trainer.cli.main` in this process (the console script's entry point, with
its exit code and its output); one runs the real console script to pin the whole path.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import pytest

from scoring.errors import ScoreErr
from tests.cli_runner import run_cli, settings_env
from tests.conftest import make_settings
from trainer import cli
from trainer.config import Settings, get_settings
from trainer.errors import CallcoachError, Err
from trainer.services import scenarios as scenario
from trainer.speech import transcription

ERROR_LINE = re.compile(r"^error\[E\d{3}\]: .+ — .+$")
BOMB = "\n".join(
    ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    + [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
)


def write_inputs(folder: Path) -> None:
    """The probe's hostile files."""
    binary = bytes(range(256)) * 4
    for name in ("binary.txt", "binary.json", "binary.yaml"):
        (folder / name).write_bytes(binary)
    for name in ("utf16.txt", "utf16.yaml"):
        (folder / name).write_text("Agent: Hello, my name is Anna.", encoding="utf-16")
    (folder / "nan.json").write_text(
        '{"turns": [{"speaker": "agent", "text": "Hello", "start": NaN}]}', encoding="utf-8"
    )
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "long.txt").write_text("Agent: " + "word " * 2_000_000, encoding="utf-8")
    (folder / "call.txt").write_text("Agent: Hello.\nCustomer: Hi.\n", encoding="utf-8")
    (folder / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    (folder / "notdb.db").write_text("this is not an SQLite database\n" * 100, encoding="utf-8")


def database(kind: str, folder: Path, migrated: Settings) -> Settings:
    """Settings whose database is the migrated one, not SQLite, in a missing folder, or new."""
    urls = {
        "not-sqlite": f"sqlite:///{folder}/notdb.db",
        "missing-folder": f"sqlite:///{folder}/nowhere/callcoach.db",
        "never-migrated": f"sqlite:///{folder}/never.db",
    }
    return make_settings(folder, urls[kind]) if kind in urls else migrated


def run_main(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: Settings,
    *args: str,
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `callcoach ARGS` run through the entry point here."""
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["callcoach", *args])
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main()
    finally:
        get_settings.cache_clear()
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def code_of(err: Err | ScoreErr) -> str:
    return str(err.value[0])


PROBE = [
    ("missing transcript", "migrated", ["score", "{dir}/missing.json"], "E430"),
    ("binary transcript", "migrated", ["score", "{dir}/binary.txt"], "E430"),
    ("binary JSON transcript", "migrated", ["score", "{dir}/binary.json"], "E430"),
    ("UTF-16 transcript", "migrated", ["score", "{dir}/utf16.txt"], "E430"),
    ("NaN in a transcript", "migrated", ["score", "{dir}/nan.json"], "E401"),
    ("JSON nested 100,000 deep", "migrated", ["score", "{dir}/deep.json"], "E401"),
    ("10 MB utterance", "migrated", ["score", "{dir}/long.txt"], "E432"),
    ("binary rubric", "migrated", ["score", "--rubric", "{dir}/binary.yaml", "x.txt"], "E410"),
    ("missing rubric", "migrated", ["score", "--rubric", "{dir}/none.yaml", "x.txt"], "E410"),
    ("UTF-16 rubric", "migrated", ["score", "--rubric", "{dir}/utf16.yaml", "x.txt"], "E410"),
    ("bomb rubric", "migrated", ["score", "--rubric", "{dir}/bomb.yaml", "x.txt"], "E410"),
    ("binary scenario", "migrated", ["score", "--scenario", "{dir}/binary.yaml", "x"], "E501"),
    ("validate binary", "migrated", ["scenarios", "validate", "{dir}/binary.yaml"], "E503"),
    ("validate UTF-16", "migrated", ["scenarios", "validate", "{dir}/utf16.yaml"], "E503"),
    ("validate alias bomb", "migrated", ["scenarios", "validate", "{dir}/bomb.yaml"], "E503"),
    ("validate missing", "migrated", ["scenarios", "validate", "{dir}/none.yaml"], "E503"),
    ("upgrade a non-database", "not-sqlite", ["db", "upgrade"], "E006"),
    ("users of a non-database", "not-sqlite", ["users", "list"], "E006"),
    ("missing database folder", "missing-folder", ["users", "list"], "E202"),
    ("never-migrated database", "never-migrated", ["users", "list"], "E202"),
    ("unknown progress language", "migrated", ["progress", "anna", "--language", "xx"], "E009"),
    ("batch --jobs 0", "migrated", ["batch", "{dir}", "--jobs", "0"], "E003"),
    ("worker --poll 0", "migrated", ["worker", "--poll", "0"], "E003"),
    ("unknown command", "migrated", ["nosuch"], "E003"),
    ("unknown option", "migrated", ["score", "--nosuch", "x.txt"], "E003"),
    ("score without input", "migrated", ["score"], "E003"),
    (
        "missing audio",
        "migrated",
        ["transcribe", "{dir}/none.wav"],
        code_of(Err.AUDIO_FILE_MISSING),
    ),
    (
        "half a seed plan",
        "migrated",
        ["demo", "seed", "--trainees", "3"],
        code_of(Err.SEED_HALF_PLAN),
    ),
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("db_kind", "args", "code"), [case[1:] for case in PROBE], ids=[case[0] for case in PROBE]
)
def test_every_probe_case_ends_in_one_coded_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    settings: Settings,
    db_kind: str,
    args: list[str],
    code: str,
) -> None:
    """Each bad input of the probe exits 2 with its code on one stderr line, no traceback."""
    write_inputs(tmp_path)
    chosen = database(db_kind, tmp_path, settings)
    filled = [arg.format(dir=tmp_path) for arg in args]
    status, _, stderr = run_main(monkeypatch, capsys, chosen, *filled)
    last = stderr.strip().splitlines()[-1]
    assert (2, code, True, False) == (
        status,
        last[6:10],
        bool(ERROR_LINE.match(last)),
        "Traceback" in stderr,
    )


@pytest.mark.parametrize("kind", ["missing-folder", "never-migrated"])
def test_refused_database_paths_leave_nothing_behind(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    settings: Settings,
    kind: str,
) -> None:
    """users list and doctor on a database that does not exist create no file or folder."""
    chosen = database(kind, tmp_path, settings)
    before = sorted(tmp_path.iterdir())
    run_main(monkeypatch, capsys, chosen, "users", "list")
    run_main(monkeypatch, capsys, chosen, "doctor")
    assert before == sorted(tmp_path.iterdir())


def test_doctor_names_a_file_that_is_not_a_database(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    settings: Settings,
) -> None:
    """doctor on a non-SQLite file reports the database as missing, without a traceback."""
    write_inputs(tmp_path)
    status, stdout, stderr = run_main(
        monkeypatch, capsys, database("not-sqlite", tmp_path, settings), "doctor"
    )
    assert (1, True, "") == (status, "not an SQLite database" in stdout, stderr)


def test_an_unexpected_error_is_a_coded_line_with_a_logged_reference(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    settings: Settings,
) -> None:
    """A bug prints E004 with a reference; the traceback is in the log under it."""

    def broken_library() -> None:  # a bug: the edge no input can reach
        raise RuntimeError("a bug")

    monkeypatch.setattr(scenario, "load_library", broken_library)  # the CLI imports it per call
    monkeypatch.setattr(cli, "ERROR_LOG", tmp_path / "errors.log")
    logger = logging.getLogger("callcoach")
    handlers = list(logger.handlers)
    try:
        status, _, stderr = run_main(monkeypatch, capsys, settings, "scenarios", "list")
    finally:
        for handler in set(logger.handlers) - set(handlers):
            handler.close()
            logger.removeHandler(handler)
    found = re.search(r"reference ([0-9a-f]{8})", stderr)
    assert found is not None, stderr
    log = (tmp_path / "errors.log").read_text(encoding="utf-8")
    assert (2, "E004", True, True) == (
        status,
        stderr[6:10],
        f"reference {found[1]}" in log,
        "RuntimeError: a bug" in log,
    )


def test_a_missing_engine_is_e002(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An engine whose Python package is not installed is E002, not ModuleNotFoundError."""
    monkeypatch.setitem(sys.modules, "whisper", None)  # `import whisper` now fails
    chosen = make_settings(tmp_path).model_copy(
        update={"asr_engine": "openai-whisper", "asr_device": "cpu"}
    )
    with pytest.raises(CallcoachError) as raised:
        transcription.load_engine(chosen)
    assert ("E002", "The openai-whisper engine (Python module 'whisper') is missing") == (
        raised.value.code,
        raised.value.what,
    )


@pytest.mark.slow
def test_score_json_is_valid_json_for_infinite_times(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    settings: Settings,
) -> None:
    """Times that JSON cannot hold (1e999) are dropped, so the output is strict JSON."""
    transcript = tmp_path / "call.json"
    transcript.write_text(
        '{"turns": [{"speaker": "agent", "text": "Hello, my name is Anna.", '
        '"start": 1e999, "end": 1e999}, {"speaker": "customer", "text": "Hi."}]}',
        encoding="utf-8",
    )
    status, stdout, _ = run_main(monkeypatch, capsys, settings, "score", str(transcript), "--json")

    def refuse(name: str) -> None:
        raise ValueError(name)

    card = json.loads(stdout, parse_constant=refuse)
    assert (0, None) == (status, card["utterances"][0]["start"])


def test_the_console_script_prints_one_coded_line(settings: Settings, tmp_path: Path) -> None:
    """The installed `callcoach` maps a missing transcript to E430, exit 2, no traceback."""
    result = run_cli("score", str(tmp_path / "missing.json"), settings=settings)
    assert (2, "E430", "") == (result.returncode, result.stderr.strip()[6:10], result.stdout)


def test_every_error_code_is_unique() -> None:
    """No two coded errors share a code, across the application's and the engine's catalogues."""
    codes = [member.value[0] for catalogue in (Err, ScoreErr) for member in catalogue]
    assert [] == sorted({code for code in codes if codes.count(code) > 1})
