"""`callcoach score`: the JSON contract, JSON Lines for several inputs, coded errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainer.cli import app

CALL = """Agent: Good morning, Northwind, my name is Anna. How can I help you today?
Customer: Hi, my name is Tom Baker. My parcel is late.
Agent: I'm sorry, Tom. Could I have your order number, please?
Customer: 4471.
Agent: Just to confirm, your order is 4471?
Customer: Yes.
Agent: I can send a replacement today; you will receive it within 2 days.
Customer: Thanks.
Agent: Is there anything else I can help with? Thank you for calling, goodbye!
"""
CRITERION_KEYS = {"score", "max", "evidence", "missed", "feedback"}
UTTERANCE_KEYS = {"index", "speaker", "text", "start", "end", "stages", "stage_evidence"}
DELIVERY_KEYS = {"words_per_minute", "fillers_per_minute", "longest_pause_s", "agent_talk_ratio"}


@pytest.fixture
def call_file(tmp_path: Path) -> Path:
    """A plain-text call transcript."""
    path = tmp_path / "call.txt"
    path.write_text(CALL, encoding="utf-8")
    return path


def test_score_json_follows_the_contract(call_file: Path) -> None:
    """--json prints one object with the DESIGN.md keys, stages per utterance and the file."""
    result = CliRunner().invoke(app, ["score", str(call_file), "--json"])
    card = json.loads(result.stdout)
    shape = (
        set(card) >= {"file", "overall", "passed", "language", "auto_fail", "criteria",
                      "utterances", "delivery"},
        all(set(c) == CRITERION_KEYS for c in card["criteria"].values()),
        all(set(u) == UTTERANCE_KEYS for u in card["utterances"]),
        set(card["delivery"]) >= DELIVERY_KEYS,
        [u["stages"] for u in card["utterances"]][:3],
    )  # fmt: skip
    expected = (True, True, True, True, [["greeting"], [], ["needs_discovery"]])
    assert (0, expected) == (result.exit_code, shape)


def test_several_inputs_give_json_lines(call_file: Path, tmp_path: Path) -> None:
    """Two inputs give two JSON lines, each with its file."""
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"turns": [{"speaker": "agent", "text": "Hi"}]}))
    result = CliRunner().invoke(app, ["score", str(call_file), str(other), "--json"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    expected = [(str(call_file), None), (str(other), "one_sided")]
    assert expected == [(line["file"], line.get("unscorable", {}).get("reason")) for line in lines]


def test_readable_scorecard_without_json(call_file: Path) -> None:
    """Without --json the scorecard is a readable table with advice."""
    result = CliRunner().invoke(app, ["score", str(call_file)])
    assert (0, True, True) == (
        result.exit_code,
        "needs_discovery" in result.stdout,
        "overall" in result.stdout,
    )


@pytest.mark.slow
def test_bad_input_is_one_coded_line_on_stderr(tmp_path: Path) -> None:
    """A malformed transcript exits non-zero with one 'error[E401]' line on stderr."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"turns": [')
    script = "from trainer.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", script, "score", str(bad), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = done.stderr.strip().splitlines()
    assert (2, 1, True) == (done.returncode, len(lines), lines[0].startswith("error[E401]:"))
