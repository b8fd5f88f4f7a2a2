"""``python -m scoring.training``: rebuild the stage models from the committed data."""

from scoring.training.train import main

main()
