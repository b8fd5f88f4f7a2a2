"""Persistence: the only package that knows tables, engines and files on disk."""
