"""The company of the end-to-end tests: its people, and its programme's files in one folder.

`Programme` writes a settings file copied from config/example.toml (paths changed to
the folder, mentoring only) and a real roster CSV with two teams: a French one (Claire
mentors Nadia, whose manager is Hugo) and an English one (Oliver mentors Emma, whose
manager is George). Matching only pairs people who share a language, so the roster
always gives exactly these two pairings. The `programme` fixture (tests/conftest.py)
makes one in tmp_path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from agent.programme.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TOML = ROOT / "config" / "example.toml"

COLUMNS = ("email", "name", "role", "teaches", "learns", "manager_email", "team", "timezone",
           "language", "max_mentees", "external", "aliases")
PEOPLE: dict[str, dict[str, str]] = {
    "claire@ex.fr": dict(name="Claire Martin", role="mentor", teaches="Négociation",
                         team="Direction", timezone="Europe/Paris", language="fr",
                         max_mentees="2"),
    "nadia@ex.fr": dict(name="Nadia Benali", role="mentee", learns="Négociation",
                        manager_email="hugo@ex.fr", team="Ventes", timezone="Europe/Paris",
                        language="fr"),
    "hugo@ex.fr": dict(name="Hugo Lambert", role="mentor", teaches="Comptabilité",
                       team="Ventes", timezone="Europe/Paris", language="fr", max_mentees="1"),
    "oliver@ex.fr": dict(name="Oliver Smith", role="mentor", teaches="SQL", team="Data",
                         timezone="Europe/London", language="en", max_mentees="2"),
    "emma@ex.fr": dict(name="Emma Wilson", role="mentee", learns="SQL",
                       manager_email="george@ex.fr", team="Data", timezone="Europe/London",
                       language="en"),
    "george@ex.fr": dict(name="George Brown", role="mentor", teaches="Budgeting", team="Data",
                         timezone="Europe/London", language="en", max_mentees="1"),
}
ADMIN = "rh@atelier-lumiere.fr"
PROGRAMME_EMAIL = "binome@atelier-lumiere.fr"


class Programme:
    """A settings file and a roster in one folder; the roster can be rewritten."""

    def __init__(self, folder: Path, start: str, extra: Mapping[str, str]) -> None:
        self.folder = folder
        self.config = folder / "binome.toml"
        self.roster = folder / "roster.csv"
        text = EXAMPLE_TOML.read_text(encoding="utf-8")
        replacements = {
            'path = "roster.example.csv"': 'path = "roster.csv"',
            'formats = ["mentoring", "pair", "workshop"]': 'formats = ["mentoring"]',
            "learning_days = [2026-10-15, 2027-01-14]": "learning_days = []",
            "start = 2026-09-01": f"start = {start}",
            **extra,
        }
        for old, new in replacements.items():
            assert old in text, f"config/example.toml no longer has {old!r}"
            text = text.replace(old, new)
        self.config.write_text(text, encoding="utf-8")
        self.write_roster()

    def write_roster(
        self,
        *,
        drop: Iterable[str] = (),
        change: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """The standard roster without `drop`, with `change[email][column] = value`."""
        lines = [";".join(COLUMNS)]
        for email, row in PEOPLE.items():
            if email in drop:
                continue
            values = {"email": email, "external": "no", **row, **(change or {}).get(email, {})}
            lines.append(";".join(values.get(c, "") for c in COLUMNS))
        self.roster.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def settings(self) -> Settings:
        settings, warnings = load_settings(self.config)
        assert warnings == []
        return settings

    @property
    def state(self) -> Path:
        return self.folder / "state"
