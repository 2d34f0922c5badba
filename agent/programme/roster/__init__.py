"""The roster: the admin's file of people (`load.py`, from `table.py` and `cells.py`), and
`intake.py`, the roster as the agent acts on it (merged with the last good one)."""

from agent.programme.roster.cells import valid_email
from agent.programme.roster.load import RosterResult, check_drop, load_roster

__all__ = ["RosterResult", "check_drop", "load_roster", "valid_email"]
