"""Hostile input ends within seconds with a coded error: YAML bombs, path escapes, huge and
many uploads, a hung job, files read before their size is known."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from scoring.errors import CodedError
from scoring.lexicon import LEXICON_DIR, load_lexicon
from scoring.rubric import load_rubric
from tests.audio_samples import encode, silence
from trainer import services
from trainer.config import Settings
from trainer.domain.ladder import parse_ladder
from trainer.domain.scenario import SCENARIO_DIR, load_scenario, load_scenario_text
from trainer.errors import restored
from trainer.services import calls, library
from trainer.services.scoring_files import ScoringFile, check_scoring_file
from trainer.speech import audio
from trainer.storage import db, recording_store
from trainer.storage.models import Job, Recording
from trainer.worker import Worker

# ~400 bytes that expand to 9**9 (387 million) values when walked
BOMB = "\n".join(
    ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    + [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
)
DEEP = "a: " + "[" * 100_000 + "]" * 100_000
SELF_ALIAS = "a: &a [*a]"
TOO_BIG = "a: " + "x" * 600 * 1024
HOSTILE_YAML = {"bomb": BOMB, "deep": DEEP, "self": SELF_ALIAS, "big": TOO_BIG}
PROBLEMS = {
    "bomb": "more than 200,000 values once aliases are expanded",
    "deep": "nested deeper than 50 levels",
    "self": "an alias refers to itself",
    "big": "over the 512 KB limit",
}


def yaml_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(action: Callable[[], Any]) -> CodedError:
    with pytest.raises(CodedError) as raised:
        action()
    return raised.value


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", sorted(HOSTILE_YAML))
@pytest.mark.parametrize(
    ("reader", "code"),
    [
        ("rubric", "E410"),
        ("lexicon", "E411"),
        ("scenario", "E501"),
        ("stored scenario", "E501"),
        ("ladder", "E701"),
    ],
)
def test_hostile_yaml_files_are_refused_at_once(
    tmp_path: Path, kind: str, reader: str, code: str
) -> None:
    """Every YAML file reader refuses a bomb, deep nesting, a self-alias and oversize text."""
    text = HOSTILE_YAML[kind]
    path = yaml_file(tmp_path, "hostile.yaml", text)
    readers: dict[str, Callable[[], Any]] = {
        "rubric": lambda: load_rubric(path),
        "lexicon": lambda: load_lexicon("en", path),
        "scenario": lambda: load_scenario(path),
        "stored scenario": lambda: load_scenario_text(text, source="stored"),
        "ladder": lambda: parse_ladder(text, source="ladder"),
    }
    error = refusal(readers[reader])
    assert (code, True) == (error.code, PROBLEMS[kind] in error.what)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", ["bomb", "deep", "self"])
@pytest.mark.parametrize("editor", ["rubric", "en lexicon", "scenario"])
def test_editors_list_hostile_yaml_as_a_problem(settings: Settings, kind: str, editor: str) -> None:
    """The rubric, lexicon and scenario editors answer a hostile edit with one problem line."""
    text = HOSTILE_YAML[kind]
    if editor == "scenario":
        problems = library.check_scenario(text)
    else:
        problems = check_scoring_file(settings=settings, file=ScoringFile(editor), text=text)
    assert [("yaml", True)] == [(p.key, PROBLEMS[kind] in p.message) for p in problems]


COSTLY = " ... ".join(["we", *["can"] * 6])  # six gaps, over the bound of three


def test_a_costly_scenario_phrase_is_named_at_its_line() -> None:
    """A forbidden promise over the matching bounds is a problem at its own line in the
    editor, not an E440 when the first call is scored."""
    source = (SCENARIO_DIR / "late-delivery.yaml").read_text(encoding="utf-8")
    edited = source.replace('"arrive by saturday"]', f'"arrive by saturday", "{COSTLY}"]')
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if COSTLY in text)
    assert [(line, "forbidden_promises[3]", True)] == [
        (p.line, p.key, "at most 3 are allowed" in p.message)
        for p in library.check_scenario(edited)
    ]


def test_a_costly_lexicon_phrase_is_named_at_its_line(settings: Settings) -> None:
    """The lexicon editor names a phrase over the bounds at its line and key, not line 1."""
    source = (LEXICON_DIR / "en.yaml").read_text(encoding="utf-8")
    edited = source.replace("  greet.hello: [hello,", f'  greet.hello: ["{COSTLY}", hello,', 1)
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if COSTLY in text)
    problems = check_scoring_file(settings=settings, file=ScoringFile("en lexicon"), text=edited)
    assert [(line, "rules.greet.hello[0]", True)] == [
        (p.line, p.key, "at most 3 are allowed" in p.message) for p in problems
    ]


def test_editors_refuse_oversize_text() -> None:
    """An edit over the size limit is refused (E133) before it is parsed."""
    error = refusal(lambda: library.check_scenario(TOO_BIG))
    assert "E133" == error.code


def scenario_with_audio(audio_path: str) -> str:
    source = (SCENARIO_DIR / "late-delivery.yaml").read_text(encoding="utf-8")
    return source.replace("hangup_line:", f"hangup_audio: {audio_path}\nhangup_line:", 1)


@pytest.mark.parametrize(
    "escape", ["../../../../../../../../etc/passwd", "/etc/passwd", "../scoring/rubric.py"]
)
def test_scenario_audio_cannot_leave_the_library(escape: str) -> None:
    """An `audio:` path leading out of the scenario folder is a problem and is never served."""
    text = scenario_with_audio(escape)
    error = refusal(lambda: load_scenario_text(text, source="edit"))
    assert ("E501", True) == (error.code, "leads out of the scenario folder" in error.what)


def test_scenario_audio_path_outside_resolves_to_nothing() -> None:
    """`audio_path` gives None for an escaping path and the file for one beside the scenario."""
    scenario = load_scenario(SCENARIO_DIR / "late-delivery.yaml")
    inside = scenario.audio_path("late-delivery.yaml")
    assert (None, SCENARIO_DIR.resolve() / "late-delivery.yaml") == (
        scenario.audio_path("../../../etc/passwd"),
        inside,
    )


class Endless(io.RawIOBase):
    """A stream of zeros that never ends (an upload larger than any limit)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = bytes(len(buffer))
        return len(buffer)


class Held(io.BytesIO):
    """An upload whose first read waits until the test lets it go (a slow client)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reading = threading.Event()
        self.release = threading.Event()

    def read(self, size: int | None = -1) -> bytes:
        self.reading.set()
        self.release.wait(20)
        return super().read(size)


@pytest.fixture
def lead(settings: Settings) -> services.CurrentUser:
    services.seed_demo(settings=settings)
    return services.authenticate(
        settings=settings, username="lead", password=services.DEMO_PASSWORD
    )


def wav(seconds: float = 1.0) -> bytes:
    return encode(silence(seconds), 16_000, "wav")


def stored_recordings(settings: Settings) -> int:
    with db.session_scope(settings.database_url) as session:
        return len(session.exec(select(Recording)).all())


@pytest.mark.timeout(30)
def test_an_endless_upload_is_refused_while_it_is_read(
    settings: Settings, lead: services.CurrentUser
) -> None:
    """A stream larger than the limit stops at the limit with E111; nothing is stored."""
    small = settings.model_copy(update={"max_upload_mb": 1})
    error = refusal(
        lambda: calls.upload_calls(
            settings=small,
            actor=lead,
            trainee_username="anna",
            files=[("huge.wav", io.BufferedReader(Endless()))],
        )
    )
    refused = (error.code, getattr(error, "file", None), stored_recordings(settings))
    assert ("E111", "huge.wav", 0) == refused


@pytest.mark.timeout(30)
def test_one_upload_too_many_is_refused_at_once(
    settings: Settings, lead: services.CurrentUser
) -> None:
    """While the only upload slot is held, a second upload gets E007 and the first succeeds."""
    one = settings.model_copy(update={"max_parallel_uploads": 1})
    slow = Held(wav())
    results: list[list[calls.UploadResult]] = []
    first = threading.Thread(
        target=lambda: results.append(
            calls.upload_calls(
                settings=one, actor=lead, trainee_username="anna", files=[("slow.wav", slow)]
            )
        )
    )
    first.start()
    assert slow.reading.wait(20)
    error = refusal(
        lambda: calls.upload_calls(
            settings=one, actor=lead, trainee_username="anna", files=[("next.wav", wav(2))]
        )
    )
    slow.release.set()
    first.join(20)
    assert ("E007", [calls.QUEUED]) == (error.code, [r.outcome for r in results[0]])


def test_an_upload_stream_is_stored_with_its_hash(
    settings: Settings, lead: services.CurrentUser
) -> None:
    """A streamed upload is stored under the SHA-256 of its bytes, with its size."""
    data = wav()
    [result] = calls.upload_calls(
        settings=settings, actor=lead, trainee_username="anna", files=[("a.wav", io.BytesIO(data))]
    )
    with db.session_scope(settings.database_url) as session:
        row = session.exec(select(Recording)).one()
        stored = (settings.recordings_dir / row.path).read_bytes()
    expected = hashlib.sha256(data).hexdigest()
    assert (expected, expected, len(data), data) == (
        result.sha256,
        row.sha256,
        row.size_bytes,
        stored,
    )


@pytest.mark.timeout(20)
def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path, settings: Settings) -> None:
    """load_audio and measure_audio refuse a file over the limit by its size (E111)."""
    huge = tmp_path / "huge.wav"
    with huge.open("wb") as file:
        file.truncate(4 * 1024**3)  # 4 GB, sparse: reading it whole would not fit in memory
    codes = [
        refusal(lambda: audio.load_audio(huge, settings=settings)).code,
        refusal(lambda: audio.measure_audio(huge, settings=settings)).code,
    ]
    assert ["E111", "E111"] == codes


def test_measure_audio_matches_a_full_decode(tmp_path: Path, settings: Settings) -> None:
    """The bounded-memory measure gives the codec and length a full decode gives."""
    path = tmp_path / "call.wav"
    path.write_bytes(wav(3.0))
    decoded = audio.load_audio(path, settings=settings)
    assert (decoded.codec, decoded.duration_s) == audio.measure_audio(path, settings=settings)


def test_a_stored_file_is_streamed_into_the_store(tmp_path: Path, settings: Settings) -> None:
    """Storing a file gives the same row and bytes as storing its bytes."""
    source = tmp_path / "call.wav"
    source.write_bytes(wav())
    with db.session_scope(settings.database_url) as session:
        from_file = recording_store.store_recording(
            source, session=session, recordings_dir=settings.recordings_dir, audio_format="wav"
        )
        from_bytes = recording_store.store_recording(
            source.read_bytes(),
            session=session,
            recordings_dir=settings.recordings_dir,
            audio_format="wav",
        )
        stored = (settings.recordings_dir / from_file.path).read_bytes()
    assert (from_file.id, audio.file_sha256(source), source.read_bytes()) == (
        from_bytes.id,
        from_file.sha256,
        stored,
    )


@pytest.mark.timeout(60)
def test_a_hung_job_fails_after_the_maximum_run_time(
    settings: Settings, lead: services.CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job that never returns fails with E008 after CALLCOACH_WORKER_MAX_RUN_S."""
    [queued] = calls.upload_calls(
        settings=settings, actor=lead, trainee_username="anna", files=[("call.wav", wav())]
    )
    failed = threading.Event()

    def never_returns(**_: Any) -> Any:  # a decoder stuck on a file: the edge a test cannot reach
        failed.wait(30)
        raise RuntimeError("released by the test")

    monkeypatch.setattr(calls, "analyse_claimed", never_returns)
    quick = settings.model_copy(update={"worker_max_run_s": 1.0, "worker_lease_s": 1.0})
    lines: list[str] = []
    worker = Worker(quick, say=lines.append, name="test-worker")
    thread = threading.Thread(target=worker.work_one)
    thread.start()
    status, error = wait_for_failed(settings, queued.job_id)
    failed.set()
    thread.join(30)
    kept = restored(error)
    assert ("failed", "E008") == (status, kept.code if kept else error)


def wait_for_failed(settings: Settings, job_id: int) -> tuple[str, str]:
    """The job's status and error once it has failed (or after 30 s)."""
    done = threading.Event()
    for _ in range(300):
        with db.session_scope(settings.database_url) as session:
            job = session.get(Job, job_id)
            assert job is not None
            if job.status == "failed":
                return str(job.status), job.last_error or ""
        done.wait(0.1)
    return "not failed", ""


def page_that_fails(kind: str) -> None:
    """A page whose action raises: a coded error, or a bug."""
    from trainer.errors import CallcoachError as Coded
    from trainer.errors import Err
    from trainer.ui.errors import shown_errors

    with shown_errors():
        if kind == "coded":
            raise Coded(Err.UPLOAD_NO_FILES)
        raise KeyError("a bug")


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        ("coded", "No recording was chosen"),
        ("bug", "Something went wrong (KeyError); reference "),
    ],
)
def test_a_page_shows_errors_as_one_message(kind: str, start: str) -> None:
    """The page handler shows a coded error's words, and a bug as E004 with a reference."""
    app = AppTest.from_function(page_that_fails, args=(kind,)).run()
    shown = app.error[0].value.replace("\\", "")  # the message is escaped markdown
    assert ([], True) == (list(app.exception), shown.startswith(start))


def test_unexpected_errors_are_logged_with_their_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The traceback of an unexpected error goes to the log under the reference it shows."""
    from trainer.errors import unexpected

    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as bug:
        shown = unexpected(bug, log="the server log")
    reference = shown.details["reference"]
    record = caplog.records[-1]
    assert (f"unexpected error, reference {reference}", ZeroDivisionError) == (
        record.getMessage(),
        record.exc_info[0] if record.exc_info else None,
    )
