"""Errors that stop a run before anything is published (contract §1, "Fatal")."""

from __future__ import annotations


class FatalInputError(Exception):
    """A source problem no row-level quarantine can absorb: exit status 2, nothing published.

    The message always names the file and, where it applies, the column, because the person
    who reads it has to go and fix that file.
    """

    def __init__(self, file: str, message: str, column: str | None = None) -> None:
        self.file = file
        self.column = column
        self.detail = message
        super().__init__(f"{file}: {message}")
