"""What a backend may know of the installation it serves, as plain values.

The registry and each backend's setup get an `Installation` and their own
settings table (`agent.providers.settings`), never the whole settings: the
layers above build it (`agent.programme.settings.installation`), so nothing
in `providers` reads the settings file or imports the code that loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agent.core.clock import Clock
from agent.providers.itip import Wording, no_wording


@dataclass(frozen=True)
class Installation:
    """Where this installation keeps things, who it acts as, and its clock."""

    settings_file: Path  # named in messages; relative paths in [backend.*] are against its folder
    state_dir: Path  # the agent's state: sign-in caches live here
    local_dir: Path  # the `local` backend's calendars and Maildirs
    programme_email: str  # the mailbox acted as, unless a backend's table names another
    clock: Clock
    # The words of the invitations a backend mails (iMIP): the agent's come from templates
    # (agent.conversation.invitations); a command that sends nothing has none.
    wording: Wording = no_wording

    def settings_path(self, path: Path) -> Path:
        """`path` as written in the settings file: `~` expanded, relative to its folder."""
        return _under(self.settings_file.parent, path)

    def state_path(self, path: Path) -> Path:
        """`path` as written in the settings file for state: `~` expanded, relative to
        the state folder."""
        return _under(self.state_dir, path)


def _under(folder: Path, path: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else folder / path
