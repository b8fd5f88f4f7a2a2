"""`callcoach batch`: JSON Lines and CSV, error lines, resuming, --trainee, and Ray."""

from __future__ import annotations

import csv
import json
import os
import pickle
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.audio_samples import encode, two_sided_call
from tests.cli_runner import CALLCOACH, run_cli, settings_env
from tests.conftest import make_settings
from trainer import services
from trainer.batch.files import FoundRecording, find_recordings
from trainer.batch.ray import ActorPlan, plan_actors
from trainer.batch.results import DoneIndex, DoneTest, ResultsFile
from trainer.batch.work import Failure
from trainer.cli import with_optional_values
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import calls
from trainer.speech.analysis import processing_key

TINY = {"CALLCOACH_ASR_MODEL": "tiny.en"}  # English calls: the fastest model
CALL_ONE = [
    ("agent", "Hello, thank you for calling Northwind, my name is Anna. How can I help you?"),
    ("customer", "Hi, my order has not arrived and it is two weeks late."),
    ("agent", "I am sorry about that. I will send a replacement today. Anything else?"),
]
CALL_TWO = [
    ("agent", "Good morning, this is Tom from Northwind support. What can I do for you?"),
    ("customer", "My internet keeps dropping every evening."),
    ("agent", "Could you restart the router for me? I will check the line while it restarts."),
]


# -- fast: no model -------------------------------------------------------------------------


def write_lines(path: Path, records: list[dict[str, object]], tail: str = "") -> None:
    path.write_text("".join(json.dumps(record) + "\n" for record in records) + tail)


def test_half_written_last_line_is_cut_off(tmp_path: Path) -> None:
    """A line a killed run left half-written is dropped and the file ends whole again."""
    out = tmp_path / "results.jsonl"
    write_lines(out, [{"file": "a.wav"}, {"file": "b.wav"}], tail='{"file": "c.wa')
    results = ResultsFile(out)
    assert [{"file": "a.wav"}, {"file": "b.wav"}] == results.records
    assert '{"file": "a.wav"}\n{"file": "b.wav"}\n' == out.read_text()


def test_whole_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    """A complete last record that only lacks its newline counts, and gets the newline."""
    out = tmp_path / "results.jsonl"
    write_lines(out, [{"file": "a.wav"}], tail='{"file": "b.wav"}')
    with ResultsFile(out) as results:
        results.append({"file": "c.wav"})
    expected = ['{"file": "a.wav"}', '{"file": "b.wav"}', '{"file": "c.wav"}']
    assert expected == out.read_text().splitlines()


def test_folders_are_searched_recursively_for_audio(tmp_path: Path) -> None:
    """A folder yields its audio files at any depth, sorted; other files are left out."""
    for name in ("b.wav", "sub/a.MP3", "sub/deeper/c.opus", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [Path(r.file).relative_to(tmp_path).as_posix() for r in find_recordings(str(tmp_path))]
    assert ["b.wav", "sub/a.MP3", "sub/deeper/c.opus"] == found


def test_a_glob_selects_recordings(tmp_path: Path) -> None:
    """A quoted glob (with ** for any depth) selects only the matching files."""
    for name in ("x/one.wav", "x/two.flac", "y/three.wav"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = find_recordings(f"{tmp_path}/**/*.wav")
    assert ["one.wav", "three.wav"] == [Path(r.file).name for r in found]


def test_nothing_found_is_a_coded_error(tmp_path: Path) -> None:
    """A folder without recordings stops the batch with E950."""
    with pytest.raises(CallcoachError) as raised:
        find_recordings(str(tmp_path))
    assert "E950" == raised.value.code


def test_a_failure_crosses_processes_with_its_message() -> None:
    """A worker's coded error comes back pickled with the same code and message."""
    error = CallcoachError(Err.AUDIO_TOO_LONG, name="long.wav", duration_s=7000.0, limit_s=5400.0)
    failure = pickle.loads(pickle.dumps(Failure.of(error)))
    expected = {"code": "E305", "message": f"{error.what} — {error.todo}"}
    assert (expected, str(error)) == (failure.to_json(), str(failure.error()))


def done_test(*, trainee: str | None = None, retry_failed: bool = False) -> DoneTest:
    return DoneTest(
        key=lambda sha: processing_key(sha, engine="fw", model="tiny.en", rubric_version="1"),
        trainee=trainee,
        retry_failed=retry_failed,
    )


def result_line(recording: FoundRecording, sha256: str, **extra: object) -> dict[str, object]:
    return {
        "file": recording.file,
        "sha256": sha256,
        "size_bytes": recording.size_bytes,
        "mtime_ns": recording.mtime_ns,
        "engine": "fw",
        "model": "tiny.en",
        "rubric_version": "1",
        **extra,
    }


@pytest.fixture
def audio_file(tmp_path: Path) -> FoundRecording:
    path = tmp_path / "call.wav"
    path.write_bytes(b"some audio")
    return FoundRecording.at(path)


@pytest.mark.parametrize(
    ("line", "test", "expected"),
    [
        ({}, done_test(), True),
        ({"model": "base"}, done_test(), False),  # another model: not done for this one
        ({"error": {"code": "E301"}}, done_test(), True),
        ({"error": {"code": "E301"}}, done_test(retry_failed=True), False),
        ({}, done_test(trainee="anna"), False),  # not stored for anna yet
        ({"stored_for": "anna"}, done_test(trainee="anna"), True),
    ],
)
def test_which_lines_count_as_done(
    audio_file: FoundRecording, line: dict[str, object], test: DoneTest, expected: bool
) -> None:
    """A result counts for the same model (and trainee); an error line unless retried."""
    index = DoneIndex.of([result_line(audio_file, "sha", **line)])
    assert expected == (index.find(audio_file, test) is not None)


def test_a_moved_file_is_known_by_its_sha256(tmp_path: Path, audio_file: FoundRecording) -> None:
    """A file found under another path (or touched) is still done when its content is."""
    import hashlib

    sha = hashlib.sha256(b"some audio").hexdigest()
    moved = tmp_path / "elsewhere" / "renamed.wav"
    moved.parent.mkdir()
    shutil.copy(audio_file.file, moved)
    index = DoneIndex.of([result_line(audio_file, sha)])
    assert index.find(FoundRecording.at(moved), done_test()) is not None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["batch", "calls", "--ray"], ["batch", "calls", "--ray", "local"]),
        (
            ["batch", "calls", "--ray", "--jobs", "2"],
            ["batch", "calls", "--ray", "local", "--jobs", "2"],
        ),
        (["batch", "calls", "--ray", "head:6379"], ["batch", "calls", "--ray", "head:6379"]),
        (["batch", "calls", "--ray=auto"], ["batch", "calls", "--ray=auto"]),
    ],
)
def test_ray_without_an_address_means_local(args: list[str], expected: list[str]) -> None:
    """`--ray` alone becomes `--ray local`; an address after it is kept."""
    assert expected == with_optional_values(args)


@pytest.mark.parametrize(
    ("cpus", "gpus", "jobs", "use_gpu", "expected"),
    [
        (2, 0, 2, False, ActorPlan(actors=2, cpus=1.0, gpus=0.0)),
        (16, 0, None, False, ActorPlan(actors=8, cpus=2.0, gpus=0.0)),
        (2, 0, 4, False, ActorPlan(actors=4, cpus=0.5, gpus=0.0)),
        (32, 4, None, True, ActorPlan(actors=4, cpus=8.0, gpus=1.0)),
        (8, 1, 2, True, ActorPlan(actors=2, cpus=4.0, gpus=0.5)),
        (32, 0, 1, False, ActorPlan(actors=1, cpus=16.0, gpus=0.0)),  # a node has 16
    ],
)
def test_actor_plan_shares_the_cluster(
    cpus: float, gpus: float, jobs: int | None, use_gpu: bool, expected: ActorPlan
) -> None:
    """--jobs actors, or one per GPU or per 2 CPUs; never more CPUs than one node has."""
    plan = plan_actors(cpus, gpus, largest_node_cpus=16, jobs=jobs, use_gpu=use_gpu)
    assert expected == plan


# -- slow: the real command on synthesised calls ---------------------------------------------


@pytest.fixture(scope="module")
def calls_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two short stereo calls (WAV, and FLAC in a subfolder) and one file that is not audio."""
    folder = tmp_path_factory.mktemp("calls")
    (folder / "team-b").mkdir()
    (folder / "one.wav").write_bytes(encode(two_sided_call(CALL_ONE, "en"), 16_000, "wav"))
    two = encode(two_sided_call(CALL_TWO, "en"), 16_000, "flac")
    (folder / "team-b" / "two.flac").write_bytes(two)
    (folder / "broken.mp3").write_bytes(b"this is not an mp3 " * 50)
    return folder


def run_batch(
    folder: Path, out: Path, settings: Settings, *args: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "batch", str(folder), "--out", str(out), *args, settings=settings, extra_env=TINY
    )


def read_lines(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.fixture(scope="module")
def first_run(
    calls_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path, Settings]:
    """The batch run once over the folder with two workers."""
    tmp = tmp_path_factory.mktemp("first-run")
    current = make_settings(tmp)
    out = tmp / "results.jsonl"
    return run_batch(calls_folder, out, current, "--jobs", "2"), out, current


@pytest.mark.slow
def test_batch_writes_a_line_per_file_and_fails_for_the_bad_one(
    first_run: tuple[subprocess.CompletedProcess[str], Path, Settings],
) -> None:
    """Two scored calls and one error line; the exit status says a file failed."""
    result, out, _ = first_run
    lines = {Path(str(line["file"])).name: line for line in read_lines(out)}
    assert 2 == result.returncode, result.stderr
    assert {"broken.mp3", "one.wav", "two.flac"} == set(lines)
    assert "E301" == lines["broken.mp3"]["error"]["code"]  # type: ignore[index]
    assert {"en"} == {lines[name]["language"] for name in ("one.wav", "two.flac")}
    assert "3 files: 2 processed, 0 already done, 1 failed" in result.stdout
    assert "error[E953]: 1 of 3 recordings failed" in result.stderr


@pytest.mark.slow
def test_batch_writes_a_csv_summary(
    first_run: tuple[subprocess.CompletedProcess[str], Path, Settings],
) -> None:
    """results.csv has a row per file: overall and criteria, or the error code."""
    _, out, _ = first_run
    rows = {Path(row["file"]).name: row for row in csv.DictReader(out.with_suffix(".csv").open())}
    assert ("", "", "E301") == (
        rows["broken.mp3"]["overall"],
        rows["broken.mp3"]["scorable"],
        rows["broken.mp3"]["error"],
    )
    assert ("yes", "") == (rows["one.wav"]["scorable"], rows["one.wav"]["error"])
    assert float(rows["one.wav"]["overall"]) > 0
    assert rows["one.wav"]["greeting"] != ""


@pytest.mark.slow
def test_a_second_run_processes_nothing(
    first_run: tuple[subprocess.CompletedProcess[str], Path, Settings],
    calls_folder: Path,
    tmp_path: Path,
) -> None:
    """Every file has its line already: nothing is processed, the failure still counts."""
    _, first_out, current = first_run
    out = tmp_path / "results.jsonl"
    shutil.copy(first_out, out)
    again = run_batch(calls_folder, out, current)
    assert "3 of 3 files already done, 0 to process" in again.stderr
    assert "3 files: 0 processed, 3 already done, 1 failed (1 in an earlier run)" in again.stdout
    assert first_out.read_text() == out.read_text()


@pytest.mark.slow
def test_a_lost_line_is_processed_again_alone(
    first_run: tuple[subprocess.CompletedProcess[str], Path, Settings],
    calls_folder: Path,
    tmp_path: Path,
) -> None:
    """With one call's line deleted and a half-written line, only that call is processed."""
    _, first_out, current = first_run
    kept = [line for line in first_out.read_text().splitlines() if "two.flac" not in line]
    out = tmp_path / "results.jsonl"
    out.write_text("\n".join(kept) + '\n{"file": "' + str(calls_folder / "team-b"))
    again = run_batch(calls_folder, out, current)
    assert "3 files: 1 processed, 2 already done" in again.stdout
    assert ["broken.mp3", "one.wav", "two.flac"] == sorted(
        Path(str(line["file"])).name for line in read_lines(out)
    )


@pytest.mark.slow
def test_trainee_gets_each_call_once(
    calls_folder: Path, settings: Settings, tmp_path: Path
) -> None:
    """--trainee stores each good call as a scored real call; another run adds none."""
    services.create_user(
        settings=settings, username="anna", role="trainee", password="anna-password-1"
    )
    good = calls_folder / "team-b"
    first = run_batch(good, tmp_path / "first.jsonl", settings, "--trainee", "anna")
    second = run_batch(good, tmp_path / "second.jsonl", settings, "--trainee", "anna")
    stored = calls.list_call_jobs(settings=settings, actor=services.COMMAND_LINE)
    assert (0, 0) == (first.returncode, second.returncode), second.stderr
    assert "1 processed" in second.stdout  # analysed again for the new results file ...
    assert [("two.flac", "done")] == [
        (Path(job.file).name, job.status) for job in stored
    ]  # ... stored once
    assert stored[0].overall is not None


@pytest.mark.slow
def test_an_unknown_trainee_stops_before_any_work(
    calls_folder: Path, settings: Settings, tmp_path: Path
) -> None:
    """--trainee naming nobody is E121, and no results file is written."""
    result = run_batch(
        calls_folder / "team-b", tmp_path / "out.jsonl", settings, "--trainee", "nobody"
    )
    assert (2, "error[E121]") == (result.returncode, result.stderr.strip()[:11])
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.slow
def test_ray_runs_the_same_batch(calls_folder: Path, tmp_path: Path) -> None:
    """--ray starts a local Ray (this machine's CPUs), one actor scores the call."""
    current = make_settings(tmp_path)
    out = tmp_path / "ray.jsonl"
    result = run_batch(calls_folder / "team-b", out, current, "--ray", "--jobs", "1")
    [line] = read_lines(out)
    assert 0 == result.returncode, result.stderr
    assert ("two.flac", "en", "tiny.en") == (
        Path(str(line["file"])).name,
        line["language"],
        line["model"],
    )
    assert "with 1 worker(s)" in result.stdout


def spawned_workers(pid: int) -> list[int]:
    """The worker processes (multiprocessing spawn) that process `pid` started."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_its_file_retried(
    calls_folder: Path, tmp_path: Path
) -> None:
    """Killing the worker process mid-batch loses nothing: the file is tried again."""
    out = tmp_path / "results.jsonl"
    env = settings_env(make_settings(tmp_path)) | TINY
    command = [str(CALLCOACH), "batch", str(calls_folder / "team-b"), "--out", str(out)]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as batch_run:
        deadline = time.monotonic() + 120
        while not (workers := spawned_workers(batch_run.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # loading its model, or already on the file
        os.kill(workers[0], signal.SIGKILL)
        stdout, stderr = batch_run.communicate(timeout=600)
    assert 0 == batch_run.returncode, stderr
    assert ["two.flac"] == [Path(str(line["file"])).name for line in read_lines(out)]
    assert "1 processed, 0 already done, 0 failed" in stdout


def _alive(pid: int) -> bool:
    """The process runs (a zombie nobody reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_killed_driver_leaves_no_worker_behind(calls_folder: Path, tmp_path: Path) -> None:
    """SIGKILLing `callcoach batch` ends its worker process too (none left holding a model)."""
    out = tmp_path / "results.jsonl"
    env = settings_env(make_settings(tmp_path))  # the default model: whichever is installed
    command = [str(CALLCOACH), "batch", str(calls_folder), "--out", str(out), "--jobs", "1"]
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL) as batch_run:
        deadline = time.monotonic() + 120
        while not (workers := spawned_workers(batch_run.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # loading its model, or already on a file
        batch_run.kill()
    deadline = time.monotonic() + 60  # the kernel's signal is at once; a loaded CPU is slow
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (1, []) == (len(workers), [pid for pid in workers if _alive(pid)])
