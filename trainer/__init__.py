"""callcoach: the application (practice calls, progress, storage, UI, CLI)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("callcoach")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
