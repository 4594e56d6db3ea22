"""Errors the user can act on. Anything else escaping the CLI is a bug."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with where it is.

    Rendered as ``file:line: contract 'id': field message``; every part but the
    message is optional.
    """

    file: str = ""
    line: int = 0
    where: str = ""  # e.g. "contract 'acme-logo'" or "scenario 'Close quiet'"
    message: str = ""

    def __str__(self) -> str:
        head = self.file
        if self.file and self.line:
            head = f"{self.file}:{self.line}"
        parts = [p for p in (head, self.where) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class JssReportError(Exception):
    """A failure explained to the user as one or more ``Error:`` lines."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(message=problems)]
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(JssReportError):
    """The records, settings or scenarios are invalid."""


class UsageError(JssReportError):
    """The command line asks for something impossible."""
