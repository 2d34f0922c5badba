"""The failures Binôme knows about.

Two kinds come from providers (as in kopf): `TemporaryError` means "try again
later" (rate limit, 5xx, timeout) and carries how long to wait; `PermanentError`
means "this action cannot succeed as asked" and is recorded on the action and
reported, while the loop goes on. `UserError` is anything the admin must fix
(config, roster, command line); the CLI prints it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located precisely enough to fix it.

    `where` is the file; `location` the key (`programme.cycle_months`) or the
    row and column (`row 7, column timezone`); `hint` an example of right.
    """

    where: str
    location: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.location}: {self.message}"
        return f"{text} (e.g. {self.hint})" if self.hint else text


class UserError(Exception):
    """Something the admin must fix; shown as a message, never a traceback."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class ProviderError(Exception):
    """Base of the two failure kinds a provider may raise."""


class TemporaryError(ProviderError):
    """Retry later; `retry_after` is in seconds when the service said so."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class PermanentError(ProviderError):
    """The action cannot succeed as asked; record it, report it, go on."""
