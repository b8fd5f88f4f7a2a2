"""Uploaded real calls: checks before storing, who may upload, once per file, the page."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlmodel import func, select
from streamlit.testing.v1 import AppTest

from scoring.errors import ScoreErr, ScoringError
from tests.audio_samples import encode, noise, two_sided_call
from tests.conftest import MODELS_DIR, make_settings
from tests.test_app import app_env, sign_in  # noqa: F401 - app_env is a fixture
from tests.test_transcription import recorded_prompts
from trainer import errors, services
from trainer.config import Settings
from trainer.errors import CallcoachError, Err
from trainer.services import calls
from trainer.speech import transcription
from trainer.speech.analysis import STEREO_METHOD, CallAnalysis, score_call
from trainer.storage import db
from trainer.storage.models import Attempt, Job, Recording, Score
from trainer.ui.scorecard import escape

AGENT_LINES = [
    "Good morning, thank you for calling Northwind, my name is Anna. How can I help you?",
    "I am sorry to hear that. Could you give me your order number, please?",
    "Thank you. I can send a replacement today; it will arrive tomorrow.",
    "Is there anything else I can help you with? Thank you for calling, goodbye.",
]
CUSTOMER_LINES = [
    "My parcel has not arrived and I need it for a trip on Friday.",
    "Yes, it is four four seven one.",
    "That is great, thank you.",
]
BOOM = CallcoachError(Err.UNEXPECTED, kind="RuntimeError", reference="0f0f0f0f", log="a log")
BAD_AUDIO = ScoringError(ScoreErr.TRANSCRIPT_EMPTY, source="bad.wav")


def tone(seconds: float, rate: int = 8000, channels: int = 1) -> np.ndarray:
    """A quiet noise clip: decodable audio that is quick to make (upload checks only)."""
    clip = noise(seconds, rate, level=0.05)
    return np.stack([clip] * channels) if channels == 2 else clip


def audio_bytes(fmt: str = "wav", seconds: float = 1.0, channels: int = 2) -> bytes:
    return encode(tone(seconds, 8000, channels), 8000, fmt, out_rate=8000)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file with the demo accounts and carl of Team South, made once."""
    folder = tmp_path_factory.mktemp("seeded")
    template = make_settings(folder)
    db.upgrade(template.database_url)
    services.seed_demo(settings=template)
    services.create_user(
        settings=template, username="carl", role="trainee", password="carl-password", team="South"
    )
    db.get_engine(template.database_url).dispose()  # closes the WAL into the file
    return folder / "callcoach.db"


@pytest.fixture
def settings(tmp_path: Path, seeded: Path) -> Settings:
    """A copy of the seeded database for each test (argon2 hashing once, not per test)."""
    shutil.copy(seeded, tmp_path / "callcoach.db")
    return make_settings(tmp_path)


@pytest.fixture
def people(settings: Settings) -> dict[str, services.CurrentUser]:
    """Team North: lead, anna, boris; trainer, admin; carl of Team South."""
    everyone = services.list_users(settings=settings, actor=services.COMMAND_LINE)
    return {user.username: user for user in everyone}


def stored(settings: Settings) -> tuple[int, int, int, list[Path]]:
    """(recordings, attempts, jobs, files in the store): what an upload left behind."""
    with db.session_scope(settings.database_url) as session:
        counts = tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Recording, Attempt, Job)
        )
    files = sorted(p for p in settings.recordings_dir.rglob("*") if p.is_file())
    return counts[0], counts[1], counts[2], files


@pytest.mark.parametrize("fmt", ["wav", "mp3", "ogg", "m4a", "flac"])
def test_each_format_at_8_khz_is_queued(
    fmt: str, settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """WAV, MP3, OGG, M4A and FLAC phone audio is stored with a pending real call and a job."""
    data = audio_bytes(fmt)
    [result] = calls.upload_calls(
        settings=settings, actor=people["lead"], trainee_username="anna", files=[(f"c.{fmt}", data)]
    )
    with db.session_scope(settings.database_url) as session:
        attempt = session.get(Attempt, result.attempt_id)
        job = session.get(Job, result.job_id)
        assert attempt is not None and job is not None
        facts = (attempt.kind, attempt.status, attempt.trainee_id, job.status, job.attempts)
    recording_file = settings.recordings_dir / hashlib.sha256(data).hexdigest()[:2]
    assert ("queued", ("real-call", "pending", people["anna"].id, "pending", 0)) == (
        result.outcome,
        facts,
    )
    assert [f"{result.sha256}.{fmt}"] == [p.name for p in recording_file.iterdir()]


@pytest.mark.parametrize(
    ("name", "make", "limits", "code"),
    [
        ("empty.wav", lambda: b"", {}, "E110"),
        ("notes.wav", lambda: b"these are meeting notes, not audio\n" * 40, {}, "E301"),
        ("huge.wav", lambda: audio_bytes("wav", 40.0), {"max_upload_mb": 1}, "E111"),
        ("long.flac", lambda: audio_bytes("flac", 6.0), {"max_audio_s": 5.0}, "E305"),
    ],
)
def test_bad_file_refuses_the_whole_upload(
    name: str,
    make: object,
    limits: dict[str, float],
    code: str,
    settings: Settings,
    people: dict[str, services.CurrentUser],
) -> None:
    """A bad file (empty, not audio, too large, too long) is named, coded, and nothing is kept."""
    assert callable(make)
    limited = settings.model_copy(update=limits)
    files = [("good.wav", audio_bytes()), (name, make())]
    with pytest.raises(calls.FileRefusedError) as refused:
        calls.upload_calls(
            settings=limited, actor=people["lead"], trainee_username="anna", files=files
        )
    assert (name, code, (0, 0, 0, [])) == (refused.value.file, refused.value.code, stored(settings))


def test_no_file_is_an_error(settings: Settings, people: dict[str, services.CurrentUser]) -> None:
    """Pressing Upload with nothing chosen says so (E150)."""
    with pytest.raises(CallcoachError, match=r"error\[E150\]"):
        calls.upload_calls(
            settings=settings, actor=people["anna"], trainee_username="anna", files=[]
        )


@pytest.mark.parametrize(
    ("actor", "trainee", "allowed"),
    [
        ("anna", "anna", True),
        ("anna", "boris", False),
        ("lead", "boris", True),
        ("lead", "carl", False),
        ("trainer", "carl", True),
        ("admin", "carl", True),
        ("lead", "nobody", False),
    ],
)
def test_who_may_upload_for_whom(
    actor: str,
    trainee: str,
    allowed: bool,
    settings: Settings,
    people: dict[str, services.CurrentUser],
) -> None:
    """Trainees upload their own calls, team leads their team's, trainers and admins anyone's."""
    upload = [("call.wav", audio_bytes())]
    try:
        calls.upload_calls(
            settings=settings, actor=people[actor], trainee_username=trainee, files=upload
        )
    except CallcoachError as error:
        assert ("E121", (0, 0, 0, [])) == (error.code, stored(settings))
        assert not allowed
    else:
        assert allowed


def test_upload_targets_follow_the_same_rule(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """The trainee picker offers exactly the trainees the service accepts."""
    targets = {
        name: [t.username for t in calls.upload_targets(settings=settings, actor=people[name])]
        for name in ("anna", "lead", "trainer")
    }
    expected = {"anna": ["anna"], "lead": ["anna", "boris"], "trainer": ["anna", "boris", "carl"]}
    assert expected == targets


def test_the_same_file_is_queued_once(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """Uploading a file again (or twice at once) links the first call instead of a new one."""
    data = audio_bytes()
    first = calls.upload_calls(
        settings=settings,
        actor=people["lead"],
        trainee_username="anna",
        files=[("a.wav", data), ("copy.wav", data)],
    )
    again = calls.upload_calls(
        settings=settings, actor=people["anna"], trainee_username="anna", files=[("b.wav", data)]
    )
    outcomes = [(r.outcome, r.job_id, r.attempt_id) for r in [*first, *again]]
    job, attempt = first[0].job_id, first[0].attempt_id
    assert [
        ("queued", job, attempt),
        ("already-uploaded", job, attempt),
        ("already-uploaded", job, attempt),
    ] == outcomes
    assert (1, 1, 1) == stored(settings)[:3]


def test_channel_map_and_language_travel_with_the_job(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """left = customer and a chosen language reach the worker through the job."""
    [result] = calls.upload_calls(
        settings=settings,
        actor=people["anna"],
        trainee_username="anna",
        files=[("call.ogg", audio_bytes("ogg"))],
        channels=("customer", "agent"),
        language="ru",
    )
    with db.session_scope(settings.database_url) as session:
        job = session.get(Job, result.job_id)
        assert job is not None
        payload = job.payload
    assert (["customer", "agent"], "ru", "anna") == (
        payload["channels"],
        payload["language"],
        payload["uploaded_by"],
    )


def test_jobs_are_listed_for_whoever_may_see_them(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """A trainee sees their own uploads, a team lead the team's, a trainer all of them."""
    for index, trainee in enumerate(("anna", "boris", "carl")):
        calls.upload_calls(
            settings=settings,
            actor=people["admin"],
            trainee_username=trainee,
            files=[(f"{trainee}.wav", audio_bytes(seconds=1.0 + index / 10))],
        )
    seen = {
        name: sorted(v.file for v in calls.list_call_jobs(settings=settings, actor=people[name]))
        for name in ("anna", "lead", "trainer", "carl")
    }
    assert {
        "anna": ["anna.wav"],
        "lead": ["anna.wav", "boris.wav"],
        "trainer": ["anna.wav", "boris.wav", "carl.wav"],
        "carl": ["carl.wav"],
    } == seen


def test_retry_needs_a_failed_job_you_may_see(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """Retrying someone else's job says not found (E151); a pending job says so (E152)."""
    [result] = calls.upload_calls(
        settings=settings,
        actor=people["anna"],
        trainee_username="anna",
        files=[("a.wav", audio_bytes())],
    )
    codes = []
    for actor in ("carl", "anna"):
        with pytest.raises(CallcoachError) as refused:
            calls.retry_job(settings=settings, actor=people[actor], job_id=result.job_id)
        codes.append(refused.value.code)
    assert ["E151", "E152"] == codes


def test_a_failed_job_is_retried_and_a_failed_upload_queued_again(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """Retry (or uploading the file again) puts a failed job back in the queue, all starts anew."""
    data = audio_bytes()
    [result] = calls.upload_calls(
        settings=settings, actor=people["anna"], trainee_username="anna", files=[("a.wav", data)]
    )
    for _ in range(3):
        claimed = calls.claim_call_job(settings=settings, worker="w1")
        assert claimed is not None
        calls.fail_call_job(settings=settings, claimed=claimed, error=BOOM, retry=True)
    failed = calls.list_call_jobs(settings=settings, actor=people["anna"])[0]
    retried = calls.retry_job(settings=settings, actor=people["anna"], job_id=result.job_id)
    claimed = calls.claim_call_job(settings=settings, worker="w1")
    assert claimed is not None
    calls.fail_call_job(settings=settings, claimed=claimed, error=BAD_AUDIO, retry=False)
    [again] = calls.upload_calls(
        settings=settings, actor=people["anna"], trainee_username="anna", files=[("a.wav", data)]
    )
    boom = errors.stored(BOOM)
    assert [("failed", 3, boom), ("pending", 0, boom), "queued-again"] == [
        (failed.status, failed.attempts, failed.last_error),
        (retried.status, retried.attempts, retried.last_error),
        again.outcome,
    ]
    with db.session_scope(settings.database_url) as session:
        attempt = session.get(Attempt, result.attempt_id)
        assert attempt is not None
        assert "pending" == attempt.status


# -- calls analysed elsewhere, and correcting who spoke -------------------------------------


def text_analysis(
    file: str,
    data: bytes,
    *,
    method: str | None = None,
    confidence: float = 1.0,
    agent_lines: Sequence[str] = AGENT_LINES,
) -> CallAnalysis:
    """A CallAnalysis of a written call (no Whisper): alternating agent and customer lines."""
    pairs = zip(agent_lines, [*CUSTOMER_LINES, ""], strict=True)
    lines = [line for pair in pairs for line in pair]
    segments = [
        {"start": 4.0 * i, "end": 4.0 * i + 3.5, "speaker": ("agent", "customer")[i % 2],
         "text": text, "words": []}
        for i, text in enumerate(lines) if text
    ]  # fmt: skip
    transcript = {
        "file": file, "engine": "faster-whisper", "model": "tiny.en", "language": "en",
        "duration_s": 28.0, "text": " ".join(lines), "segments": segments, "warnings": [],
    }  # fmt: skip
    from scoring.transcript import parse_mapping

    card = score_call(parse_mapping(transcript), language="en")
    return CallAnalysis(
        file=file,
        sha256=hashlib.sha256(data).hexdigest(),
        duration_s=28.0,
        language="en",
        channels=2 if method is None else 1,
        speaker_method=method or STEREO_METHOD.format(left="agent", right="customer"),
        speaker_confidence=confidence,
        transcript=transcript,
        scorecard=card,
        engine="faster-whisper",
        model="tiny.en",
        rubric_version=card.rubric_version,
    )


@pytest.mark.slow
def test_record_analysis_stores_a_scored_call_once(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """A call analysed by `callcoach batch` is stored once per processing key."""
    data = audio_bytes()
    analysis = text_analysis("call.wav", data)
    first, second = (
        calls.record_analysis(
            settings=settings,
            actor=services.COMMAND_LINE,
            trainee_username="anna",
            source=data,
            analysis=analysis,
        )
        for _ in range(2)
    )
    view = calls.list_call_jobs(settings=settings, actor=people["anna"])[0]
    assert (True, False, first.attempt_id) == (first.created, second.created, second.attempt_id)
    assert ("done", analysis.scorecard.overall) == (view.status, view.overall)


def scored_call(
    settings: Settings,
    actor: services.CurrentUser,
    *,
    method: str | None = None,
    confidence: float = 1.0,
) -> calls.RecordedCall:
    """A written call of anna's stored as a scored real call (as `callcoach batch` does)."""
    data = audio_bytes(seconds=2.0)
    analysis = text_analysis("anna-call.wav", data, method=method, confidence=confidence)
    return calls.record_analysis(
        settings=settings,
        actor=actor,
        trainee_username="anna",
        source=data,
        analysis=analysis,
    )


def swap_first_turn(
    settings: Settings, actor: services.CurrentUser, attempt_id: int
) -> calls.RealCallView:
    return calls.set_turn_speaker(
        settings=settings, actor=actor, attempt_id=attempt_id, position=0, speaker="customer"
    )


@pytest.mark.slow
def test_swapping_a_speaker_rescores_and_keeps_the_old_score(
    settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """A swapped turn is saved with who did it; a new score is added, the first one stays."""
    stored_call = scored_call(settings, people["lead"])
    view = swap_first_turn(settings, people["lead"], stored_call.attempt_id)
    with db.session_scope(settings.database_url) as session:
        scores = session.exec(
            select(Score).where(Score.attempt_id == stored_call.attempt_id).order_by(Score.id)
        ).all()
        overalls = [score.overall for score in scores]
    assert (("customer", "lead"), 2) == (
        (view.turns[0].speaker, view.turns[0].speaker_set_by),
        len(overalls),
    )
    assert overalls[1] is not None and overalls[0] is not None and overalls[1] < overalls[0]
    assert view.scorecard is not None and overalls[1] == view.scorecard["overall"]


@pytest.mark.parametrize("actor", ["boris", "carl"])
@pytest.mark.slow
def test_only_those_in_reach_correct_speakers(
    actor: str, settings: Settings, people: dict[str, services.CurrentUser]
) -> None:
    """Another trainee cannot see anna's call, so cannot correct it either (E112)."""
    stored_call = scored_call(settings, people["lead"])
    with pytest.raises(CallcoachError) as refused:
        swap_first_turn(settings, people[actor], stored_call.attempt_id)
    assert "E112" == refused.value.code


# -- the page ------------------------------------------------------------------------------


def audio_start_s(app: AppTest) -> int:
    """Where the page's audio player starts playing, in seconds."""
    [player] = app.get("audio")
    return int(player.proto.start_time)


def open_calls_page(username: str) -> AppTest:
    app = sign_in(username)
    app.switch_page("trainer/ui/pages/calls.py").run()
    assert [] == list(app.exception)
    return app


@pytest.mark.usefixtures("app_env")
def test_page_offers_the_lead_their_team() -> None:
    """A lead gets a trainee picker with the team, the channel map, language and a send button
    whose label is not "Upload" (the file picker's own button says that)."""
    app = open_calls_page("lead")
    assert (
        "Real calls",
        ["Anna Smith", "Борис Петров"],
        ["left = agent", "left = customer"],
        ["Detect", "English", "Русский"],
        "No calls uploaded yet.",
        ["Send for scoring"],
    ) == (
        app.title[0].value,
        app.selectbox(key="calls_trainee").options,
        app.radio(key="calls_left").options,
        app.selectbox(key="calls_language").options,
        app.info[0].value,
        [button.label for button in app.button if button.label != "Sign out"],
    )


@pytest.mark.usefixtures("app_env")
def test_page_in_russian_for_a_trainee_uploads_for_themself() -> None:
    """A trainee has no trainee picker: their own calls; the page speaks the user's language."""
    app = open_calls_page("boris")
    keys = [box.key for box in app.selectbox]
    assert ("Реальные звонки", False) == (app.title[0].value, "calls_trainee" in keys)


@pytest.mark.slow
def test_page_lists_jobs_retries_and_opens_a_scored_call(
    app_env: Settings,  # noqa: F811 - the imported fixture
    people: dict[str, services.CurrentUser],
) -> None:
    """Failed jobs get Retry; a scored call opens in Calls & reviews, where a turn's timestamp
    plays the audio from there and a turn can be swapped."""
    lead = people["lead"]
    [failing] = calls.upload_calls(
        settings=app_env, actor=lead, trainee_username="boris", files=[("bad.wav", audio_bytes())]
    )
    claimed = calls.claim_call_job(settings=app_env, worker="w")
    assert claimed is not None
    calls.fail_call_job(settings=app_env, claimed=claimed, error=BAD_AUDIO, retry=False)
    mono = "mono call: 2 voices told apart by pitch and timbre; agent = the voice that greets"
    done = scored_call(app_env, lead, method=mono, confidence=0.3)
    app = open_calls_page("lead")
    warnings = [w.value for w in app.warning]
    assert any("Check the speakers" in text for text in warnings), warnings
    said = " ".join(caption.value for caption in app.caption)
    assert f"{escape('bad.wav')} contains no speech" in said and "error[" not in said  # by code
    app.selectbox(key="language").select("ru").run()
    assert f"В {escape('bad.wav')} нет речи" in " ".join(caption.value for caption in app.caption)
    app.selectbox(key="language").select("en").run()
    app.button(key=f"retry_{failing.job_id}").click().run()
    assert [] == list(app.exception)
    assert "pending" == calls.list_call_jobs(settings=app_env, actor=lead)[-1].status
    app.button(key=f"open_{done.job_id}").click().run()
    assert [] == list(app.exception)
    assert f"Real call: {escape('anna-call.wav')}" in [header.value for header in app.subheader]
    app.switch_page("trainer/ui/pages/review.py")  # AppTest stays on a page st.switch_page left
    assert 0 == audio_start_s(app)
    app.button(key=f"seek_{done.attempt_id}_1").click().run()
    assert (4, "00:04") == (audio_start_s(app), app.button(key=f"seek_{done.attempt_id}_1").label)
    app.button(key=f"swap_{done.attempt_id}_0").click().run()
    assert [] == list(app.exception)
    view = calls.real_call(settings=app_env, actor=lead, attempt_id=done.attempt_id)
    assert view is not None and ("customer", "lead") == (
        view.turns[0].speaker,
        view.turns[0].speaker_set_by,
    )


@pytest.mark.slow
def test_uploaded_calls_are_heard_with_the_team_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CALLCOACH_CALL_VOCABULARY reaches the real Whisper model as its prompt, on each side."""
    settings = make_settings(tmp_path).model_copy(
        update={"models_dir": MODELS_DIR, "call_vocabulary": "Northwind, , Anna, Northwind"}
    )
    loaded: Any = transcription.load_engine(settings)
    prompts = recorded_prompts(loaded, monkeypatch)
    turns = [("agent", AGENT_LINES[0]), ("customer", CUSTOMER_LINES[0])]
    call = encode(two_sided_call(turns, "en"), 16_000, "wav")

    analysis = calls.analyse(call, settings=settings, name="call.wav", language="en")

    assert ["Northwind, Anna."] * 2 == prompts
    assert "northwind" in analysis.transcript["text"].lower()
