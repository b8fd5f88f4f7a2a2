"""Scoring many files: the work list, local processes, Ray, results and the driver."""
