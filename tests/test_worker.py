"""The job queue (claim, lease, fail, retry) on SQLite and PostgreSQL, and `callcoach worker`."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.audio_samples import encode
from tests.cli_runner import CALLCOACH, run_cli, settings_env
from tests.test_scoring_audio import TURNS, call_channels
from trainer import services
from trainer.config import Settings
from trainer.errors import restored
from trainer.services import calls, review
from trainer.speech.analysis import CHECK_SPEAKERS, analyse_call
from trainer.storage import db, jobs
from trainer.storage.models import Attempt, Job, Score, Turn

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FAST = {"CALLCOACH_ASR_MODEL": "tiny.en"}  # English test calls: the small model is enough


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Settings:
    """The same tests on both databases."""
    name = "settings" if request.param == "sqlite" else "pg_settings"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def add_jobs(settings: Settings, count: int, max_attempts: int = 2) -> list[int]:
    """`count` pending jobs, oldest first."""
    ids = []
    with db.session_scope(settings.database_url) as session:
        for index in range(count):
            job, _ = jobs.enqueue(
                session=session,
                kind="test",
                key=f"key-{index}",
                payload={"n": index},
                max_attempts=max_attempts,
            )
            session.flush()
            assert job.id is not None
            ids.append(job.id)
    return ids


def claim(settings: Settings, worker: str, at: datetime, lease_s: float = 10) -> int | None:
    with db.session_scope(settings.database_url) as session:
        job = jobs.claim(session=session, worker=worker, lease_s=lease_s, now=at)
        return job.id if job else None


def state(settings: Settings, job_id: int) -> tuple[str, int, str | None, str | None]:
    """(status, attempts, locked_by, last_error) of a job."""
    with db.session_scope(settings.database_url) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.status, job.attempts, job.locked_by, job.last_error


def test_enqueue_is_idempotent_on_the_key(backend: Settings) -> None:
    """The same key twice gives the same job, added once."""
    with db.session_scope(backend.database_url) as session:
        first, added = jobs.enqueue(session=session, kind="test", key="k", payload={"a": 1})
        second, again = jobs.enqueue(session=session, kind="test", key="k", payload={"a": 2})
        assert (True, False, first.id, {"a": 1}) == (added, again, second.id, second.payload)


def test_claim_takes_the_oldest_pending_job_once(backend: Settings) -> None:
    """Each worker gets a different job, oldest first; with none left, None."""
    first, second = add_jobs(backend, 2)
    claims = [claim(backend, worker, T0) for worker in ("w1", "w2", "w3")]
    assert [first, second, None] == claims
    assert ("running", 1, "w1", None) == state(backend, first)


def test_an_expired_lease_is_taken_over_and_the_old_worker_stores_nothing(
    backend: Settings,
) -> None:
    """A live lease (extended by heartbeats) keeps the job; once it runs out another worker
    takes it, and the first worker can neither extend, finish nor fail it any more."""
    [job_id] = add_jobs(backend, 1, max_attempts=3)
    claim(backend, "w1", T0)
    with db.session_scope(backend.database_url) as session:
        extended = jobs.heartbeat(
            session=session, job_id=job_id, worker="w1", lease_s=10, now=T0 + timedelta(seconds=8)
        )
    early = claim(backend, "w2", T0 + timedelta(seconds=15))
    late = claim(backend, "w2", T0 + timedelta(seconds=19))
    with db.session_scope(backend.database_url) as session:
        lost = (
            jobs.heartbeat(session=session, job_id=job_id, worker="w1", lease_s=10),
            jobs.finish(session=session, job_id=job_id, worker="w1"),
            jobs.fail(session=session, job_id=job_id, worker="w1", error="late"),
        )
    with db.session_scope(backend.database_url) as session:
        done = jobs.finish(session=session, job_id=job_id, worker="w2", result={"ok": 1})
    assert (True, None, job_id, (False, False, None), True) == (extended, early, late, lost, done)
    assert ("done", 2, None, None) == state(backend, job_id)


def test_failures_return_to_the_queue_until_the_last_start(backend: Settings) -> None:
    """A failed try goes back to pending while starts remain, then fails; Retry resets it."""
    [job_id] = add_jobs(backend, 1, max_attempts=2)
    seen = []
    for error in ("first", "second"):
        claim(backend, "w1", T0)
        with db.session_scope(backend.database_url) as session:
            jobs.fail(session=session, job_id=job_id, worker="w1", error=error)
        seen.append(state(backend, job_id))
    with db.session_scope(backend.database_url) as session:
        job = session.get(Job, job_id)
        assert job is not None
        jobs.retry(session=session, job=job)
    seen.append(state(backend, job_id))
    assert [
        ("pending", 1, None, "first"),
        ("failed", 2, None, "second"),
        ("pending", 0, None, "second"),
    ] == seen


def test_a_job_that_kills_every_worker_ends_failed(backend: Settings) -> None:
    """Started max_attempts times without ever finishing, a job is failed, not retried forever."""
    [job_id] = add_jobs(backend, 1, max_attempts=2)
    claims = [claim(backend, f"w{n}", T0 + timedelta(seconds=20 * n), lease_s=5) for n in range(3)]
    status, attempts, locked_by, error = state(backend, job_id)
    assert ([job_id, job_id, None], ("failed", 2, None)) == (claims, (status, attempts, locked_by))
    kept = restored(error)
    assert kept is not None and (kept.code, kept.details) == ("E010", {"attempts": 2})


def test_racing_workers_never_share_a_job(backend: Settings) -> None:
    """Four workers claiming at once take every job exactly once."""
    ids = add_jobs(backend, 12)
    taken: list[int] = []
    lock = threading.Lock()

    def work(worker: str) -> None:
        while (job_id := claim(backend, worker, datetime.now(UTC), lease_s=60)) is not None:
            with lock:
                taken.append(job_id)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ids) == sorted(taken)


# -- the real worker process ----------------------------------------------------------------


@pytest.fixture(scope="module")
def call_wav() -> bytes:
    """The synthesised two-speaker stereo call (35 s) as 8 kHz telephone WAV."""
    samples, rate = call_channels(TURNS)
    return encode(samples, rate, "wav", out_rate=8000)


@pytest.fixture
def queued(settings: Settings, call_wav: bytes) -> calls.UploadResult:
    """The call uploaded by Team North's lead for anna, waiting for a worker."""
    services.seed_demo(settings=settings)
    lead = services.authenticate(
        settings=settings, username="lead", password=services.DEMO_PASSWORD
    )
    [result] = calls.upload_calls(
        settings=settings.model_copy(update={"asr_model": "tiny.en"}),
        actor=lead,
        trainee_username="anna",
        files=[("call.wav", call_wav)],
    )
    return result


def start_worker(settings: Settings, lease_s: float = 3) -> subprocess.Popen[str]:
    env = settings_env(settings) | FAST | {"CALLCOACH_WORKER_LEASE_S": str(lease_s)}
    return subprocess.Popen(
        [str(CALLCOACH), "worker", "--poll", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition: Callable[[], bool], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def counts(settings: Settings, attempt_id: int) -> tuple[int, int]:
    """(scores, turns) stored for an attempt."""
    with db.session_scope(settings.database_url) as session:
        scores = session.exec(
            select(func.count()).select_from(Score).where(Score.attempt_id == attempt_id)
        ).one()
        turns = session.exec(
            select(func.count()).select_from(Turn).where(Turn.attempt_id == attempt_id)
        ).one()
    return scores, turns


@pytest.mark.slow
def test_a_killed_worker_loses_nothing(settings: Settings, queued: calls.UploadResult) -> None:
    """SIGKILL mid-job: nothing half-stored; after the lease runs out a second worker does it."""
    first = start_worker(settings)
    wait_for(lambda: state(settings, queued.job_id)[0] == "running")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert queued.attempt_id is not None
    after_kill = (state(settings, queued.job_id)[:3], counts(settings, queued.attempt_id))
    time.sleep(3.5)  # the killed worker's lease (3 s) runs out
    second = run_cli("worker", "--once", settings=settings, extra_env=FAST)
    with db.session_scope(settings.database_url) as session:
        attempt = session.get(Attempt, queued.attempt_id)
        assert attempt is not None
        status = attempt.status
    scores, turns = counts(settings, queued.attempt_id)
    assert 0 == second.returncode, second.stdout + second.stderr
    assert (("running", 1, f"{os.uname().nodename}:{first.pid}"), (0, 0)) == after_kill
    assert (("done", 2, None, None), "completed", 1) == (
        state(settings, queued.job_id),
        status,
        scores,
    )
    assert turns >= 5 and "done in" in second.stdout


@pytest.mark.slow
def test_sigterm_finishes_the_current_job_then_stops(
    settings: Settings, queued: calls.UploadResult
) -> None:
    """SIGTERM while a job runs: the job is finished and stored, then the worker exits 0."""
    worker = start_worker(settings, lease_s=30)
    wait_for(lambda: state(settings, queued.job_id)[0] == "running")
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=180)
    assert (0, "done", "Stopped after 1 job(s).") == (
        worker.returncode,
        state(settings, queued.job_id)[0],
        output.strip().splitlines()[-1],
    )


@pytest.mark.slow
def test_an_uploaded_stereo_call_becomes_a_scored_real_call(
    settings: Settings, queued: calls.UploadResult, call_wav: bytes
) -> None:
    """Upload → worker --once → a scored real call in anna's history, with both speakers,
    its provenance, and not counted by readiness; the same file again is not processed again."""
    done = run_cli("worker", "--once", settings=settings, extra_env=FAST)
    assert 0 == done.returncode, done.stdout + done.stderr
    anna = services.authenticate(settings=settings, username="anna", password="callcoach-demo")
    [row] = review.recent_attempts(settings=settings, actor=anna, username="anna")
    assert queued.attempt_id is not None
    view = calls.real_call(settings=settings, actor=anna, attempt_id=queued.attempt_id)
    assert view is not None and view.scorecard is not None
    card = view.scorecard
    with db.session_scope(settings.database_url) as session:
        score = session.exec(select(Score).where(Score.attempt_id == row.id)).one()
        provenance = (score.engine, score.model, score.scenario_version)
    readiness = services.readiness_for(settings=settings, actor=anna, username="anna")
    assert ("real-call", "completed", card["overall"]) == (row.kind, row.status, row.overall)
    assert (
        ("faster-whisper", "tiny.en", None),
        "stereo: left = agent, right = customer",
        ["agent", "customer"],
        "agent",
        0,
    ) == (
        provenance,
        view.speaker_method,
        sorted({turn.speaker for turn in view.turns}),
        view.turns[0].speaker,
        readiness.attempts_counted,
    )
    assert 0 in {item["utterance"] for item in card["criteria"]["greeting"]["evidence"]}
    lead = services.authenticate(settings=settings, username="lead", password="callcoach-demo")
    [again] = calls.upload_calls(
        settings=settings.model_copy(update={"asr_model": "tiny.en"}),
        actor=lead,
        trainee_username="anna",
        files=[("same-call.wav", call_wav)],
    )
    idle = run_cli("worker", "--once", settings=settings, extra_env=FAST)
    assert ("already-uploaded", queued.attempt_id) == (again.outcome, again.attempt_id)
    assert "Stopped after 0 job(s)." in idle.stdout


@pytest.mark.slow
def test_a_mono_call_says_how_its_speakers_were_found(settings: Settings, tmp_path: Path) -> None:
    """Mono audio goes through speaker assignment: a mono method, a confidence, and a warning
    to check the speakers when that confidence is low (one synthetic voice plays both sides)."""
    samples, rate = call_channels(TURNS)
    mono = tmp_path / "mono.mp3"
    mono.write_bytes(encode(samples.sum(axis=0), rate, "mp3", out_rate=8000))
    analysis = analyse_call(mono, settings=settings.model_copy(update={"asr_model": "tiny.en"}))
    assert (1, True, "mono.mp3") == (
        analysis.channels,
        analysis.speaker_method.startswith("mono call:"),
        Path(analysis.file).name,
    )
    expected = CHECK_SPEAKERS.format(confidence=analysis.speaker_confidence)
    assert analysis.speakers_uncertain == (expected in analysis.warnings)
    assert analysis.to_json()["scorecard"] == analysis.scorecard.to_json()
