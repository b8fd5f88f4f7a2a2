"""callcoach's scoring engine, usable without the app (no Streamlit, no database).

Public API:

- ``scoring.scorecard.score_transcript(turns, *, language=None, rubric=None, scenario=None,
  duration_s=None) -> Scorecard`` and ``score_batch(calls, *, language, ...)``;
  ``Scorecard.to_json()`` is the ``callcoach score --json`` contract.
- ``scoring.behaviours.detect_behaviours(text, *, language=None, history=None,
  scenario=None) -> set[str]`` for one agent answer in the practice simulator.
- ``scoring.transcript``: ``Utterance``, ``parse_text``, ``parse_json``, ``parse_mapping``,
  ``read_transcript``; ``scoring.errors.ScoringError`` (codes E4xx).
"""
