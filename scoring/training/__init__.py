"""The stage model: its features, its training data and the command that rebuilds it."""
