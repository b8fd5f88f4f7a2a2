"""The scoring engine: transcripts in, scorecards with evidence out. No app, no database."""
