"""The --out JSON Lines results file, what it says is done already, and its CSV summary."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from trainer.batch.files import FoundRecording
from trainer.batch.work import Failure, Work
from trainer.speech.analysis import CallAnalysis, processing_key
from trainer.speech.audio import file_sha256


class ResultsFile:
    """The --out JSON Lines file: what is done already, and one appended line per file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records = self._read_and_repair()
        self._handle: IO[str] | None = None

    def _read_and_repair(self) -> list[dict[str, Any]]:
        """Every whole record; a half-written last line (a killed run) is cut off."""
        if not self.path.exists():
            return []
        data = self.path.read_bytes()
        cut = data.rfind(b"\n") + 1  # the end of the last whole line
        parsed = [_parse(line) for line in data[:cut].splitlines()]
        tail = data[cut:]
        if tail.strip() and (last := _parse(tail)) is not None:
            parsed.append(last)  # whole, only its newline is missing
            with self.path.open("ab") as handle:
                handle.write(b"\n")
        elif tail:
            with self.path.open("r+b") as handle:
                handle.truncate(cut)
        return [record for record in parsed if record is not None]

    def __enter__(self) -> ResultsFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def append(self, record: dict[str, Any]) -> None:
        """Write one line and push it to disk before the next file is counted done."""
        assert self._handle is not None, "use ResultsFile as a context manager"
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.records.append(record)


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) and "file" in record else None


def result_record(work: Work, analysis: CallAnalysis, trainee: str | None) -> dict[str, Any]:
    """A result line: CallAnalysis.to_json() plus what resuming needs."""
    record = {**analysis.to_json(), **_identity(work.recording, work.sha256)}
    if trainee is not None:
        record["stored_for"] = trainee
    return record


def error_record(recording: FoundRecording, sha256: str | None, failure: Failure) -> dict[str, Any]:
    """An error line: ``{"file", "error": {"code", "message"}}`` plus what resuming needs."""
    identity = _identity(recording, sha256) if sha256 else {"file": recording.file}
    return {**identity, "error": failure.to_json()}


def _identity(recording: FoundRecording, sha256: str) -> dict[str, Any]:
    return {
        "file": recording.file,
        "sha256": sha256,
        "size_bytes": recording.size_bytes,
        "mtime_ns": recording.mtime_ns,
    }


# -- what is done already --------------------------------------------------------------------


@dataclass(frozen=True)
class DoneTest:
    """Which lines of the results file count as done for this run."""

    key: Callable[[str], str]  # sha256 → processing key of this run's engine, model, rubric
    trainee: str | None = None
    retry_failed: bool = False

    def __call__(self, record: dict[str, Any]) -> bool:
        """An error line counts unless retried; a result must match the model and trainee."""
        if "error" in record:
            return not self.retry_failed
        if self.trainee is not None and record.get("stored_for") != self.trainee:
            return False
        return _record_key(record) == self.key(record["sha256"])


def _record_key(record: dict[str, Any]) -> str:
    return processing_key(
        record["sha256"],
        engine=record.get("engine", ""),
        model=record.get("model", ""),
        rubric_version=record.get("rubric_version", ""),
    )


@dataclass
class DoneIndex:
    """The latest line for each file, found by path+size+mtime or else by SHA-256."""

    by_stamp: dict[tuple[str, int, int], dict[str, Any]] = field(default_factory=dict)
    by_sha: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, records: list[dict[str, Any]]) -> DoneIndex:
        """Index the records; later lines win."""
        index = cls()
        for record in records:
            if "size_bytes" in record and "mtime_ns" in record:
                stamp = str(Path(record["file"]).resolve())
                index.by_stamp[stamp, record["size_bytes"], record["mtime_ns"]] = record
            if "sha256" in record:
                index.by_sha[record["sha256"]] = record
        return index

    def find(self, recording: FoundRecording, done: DoneTest) -> dict[str, Any] | None:
        """The line that makes this recording done, if there is one (hashing only if needed)."""
        record = self.by_stamp.get(recording.stamp)
        if record is not None and done(record):
            return record
        if not self.by_sha:
            return None
        try:
            sha256 = file_sha256(Path(recording.file))
        except OSError:  # gone or unreadable: not done; reading it for the work says why
            return None
        record = self.by_sha.get(sha256)
        return record if record is not None and done(record) else None


# -- the CSV summary -------------------------------------------------------------------------

CSV_HEAD = ("file", "duration_s", "language", "overall")
CSV_TAIL = ("scorable", "error")


def write_summary(records: list[dict[str, Any]], path: Path) -> None:
    """One row per file (its latest line): overall, each criterion, scorable, error code."""
    latest = {record["file"]: record for record in records}
    criteria = list(
        dict.fromkeys(
            name
            for record in latest.values()
            for name in record.get("scorecard", {}).get("criteria", {})
        )
    )
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CSV_HEAD, *criteria, *CSV_TAIL])
        for record in latest.values():
            writer.writerow(_summary_row(record, criteria))
    partial.replace(path)


def _summary_row(record: dict[str, Any], criteria: list[str]) -> list[Any]:
    if "error" in record:
        return [record["file"], "", "", "", *([""] * len(criteria)), "", record["error"]["code"]]
    card = record["scorecard"]
    scores = [card["criteria"].get(name, {}).get("score", "") for name in criteria]
    overall = "" if card["overall"] is None else card["overall"]
    scorable = "no" if "unscorable" in card else "yes"
    return [
        record["file"],
        record["duration_s"],
        record["language"],
        overall,
        *scores,
        scorable,
        "",
    ]


def summary_path(out: Path) -> Path:
    """results.jsonl → results.csv, beside it."""
    return out.with_suffix(".csv")
