"""Errors the CLI turns into one clear sentence and an exit code."""

from __future__ import annotations


class BenchError(Exception):
    """A problem the user can fix. ``exit_code`` 2 = bad input or usage, 1 = a check failed."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(BenchError):
    """Bad input: a file that cannot be read or parsed, a wrong option value."""


class CheckFailed(BenchError):
    """A check ran and failed (validation problems, too many system errors)."""

    exit_code = 1
