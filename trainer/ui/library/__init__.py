"""The parts of the scenario library page (trainer/ui/pages/library.py), one module per tab
or panel: the scenario list, a scenario's panel, its editor with history and diff, the
try-answers panel, the rubric or a lexicon as YAML, and the lexicon rule table."""
