"""Exports: CSV content and PDF text, in English and Russian."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pypdf

from trainer.services.reports import ReportLine, TraineeReport, rows_to_csv, trainee_pdf


def test_csv_has_header_and_rows() -> None:
    """A team export is CSV with a UTF-8 byte-order mark (Excel keeps Cyrillic) and a header
    line; text with commas is quoted."""
    text = rows_to_csv(["user", "average"], [["anna", 81.5], ["Петров, Борис", 77]])
    assert '\ufeffuser,average\nanna,81.5\n"Петров, Борис",77\n' == text


def test_pdf_report_reads_back_in_russian() -> None:
    """The PDF carries the trainee, the level, each criterion with its numbers, and attempts."""
    report = TraineeReport(
        trainee="Борис Петров",
        team="Team North",
        level="Агент",
        next_level="Старший агент",
        criteria=[ReportLine("Средний балл", "84 из нужных 85", False)],
        attempts=[(datetime(2026, 11, 2, 10, 0), "Пожилая клиентка", 81.0)],
        generated_at=datetime(2026, 11, 23, 12, 0),
        attempts_title="Звонки",
    )
    text = pypdf.PdfReader(BytesIO(trainee_pdf(report))).pages[0].extract_text()
    expected = [
        "callcoach · Борис Петров",
        "Агент → Старший агент",
        "✘ Средний балл: 84 из нужных 85",
        "Звонки",
        "2026-11-02    81  Пожилая клиентка",
    ]
    assert expected == [line for line in expected if line in text]


def test_pdf_report_carries_what_a_lead_hands_on() -> None:
    """Name and team, the trend chart's heading, the stage profile, each call's verdict in
    words and the corrections all read back from the PDF."""
    report = TraineeReport(
        trainee="Anna Smith",
        team="North",
        level="Trainee",
        next_level="Agent",
        criteria=[ReportLine("average", "Weighted average of the last 3 calls: 71", False)],
        attempts=[(datetime(2026, 11, 2, 10, 0), "Late delivery", 66.0)],
        generated_at=datetime(2026, 11, 23, 12, 0),
        attempts_title="Recent calls",
        trend=[55.0, 66.0, 80.0],
        stages=[("Greeting", 90.0)],
        corrections=["2026-11-03 greeting 6 → 9 (Lena Lead: offered help)"],
        titles={"trend": "Score per call", "stages": "Stages", "corrections": "Corrections"},
        scores=["66 — failed: rude or abusive words to the customer"],
    )
    reader = pypdf.PdfReader(BytesIO(trainee_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    expected = [
        "callcoach · Anna Smith",
        "North · 2026-11-23 12:00",
        "Score per call",
        "Greeting: 90 %",
        "2026-11-02  66 — failed: rude or abusive words to the customer  Late delivery",
        "2026-11-03 greeting 6 → 9 (Lena Lead: offered help)",
    ]
    assert expected == [line for line in expected if line in text]
