"""Errors that the command line turns into one clear line and a non-zero exit code.

Each message says what went wrong *and* the command that fixes it.
"""
from __future__ import annotations

import difflib


class GeneratorError(Exception):
    """A problem the user can fix; `python -m generator` prints it without a traceback."""

    def __reduce__(self):
        # raised in a worker, it reaches the build as a GeneratorError with the same message
        # (a subclass whose __init__ takes other arguments could not be rebuilt from it)
        return GeneratorError, (str(self),)


class UnknownFigureError(GeneratorError):
    def __init__(self, name: str, known: list[str]):
        close = difflib.get_close_matches(name, known, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        super().__init__(
            f"unknown figure '{name}'.{hint} Run `python -m generator list` to see all names."
        )


class CorruptCacheError(GeneratorError):
    def __init__(self, path, reason: str):
        self.reason = reason
        super().__init__(
            f"the cached model {path} is broken ({reason}). Delete that one file "
            f"(`rm {path}`) and build again: only that model is trained again."
        )


class MissingDataError(GeneratorError):
    def __init__(self, package: str, what: str):
        super().__init__(
            f"{what} comes from the Python package '{package}', which is not installed. "
            f"Run `make setup` (or `pip install -e .`) to install it."
        )


def require_package(module: str, what: str, package: str | None = None):
    """Import a package that ships data, or raise MissingDataError naming the fix."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingDataError(package or module, what) from error
