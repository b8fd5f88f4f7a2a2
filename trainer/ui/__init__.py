"""Streamlit pages and UI-only helpers. Pages call `trainer.services`, never storage."""
