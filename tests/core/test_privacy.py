"""`binome export` and `binome forget`: everything about one person, out or gone.

The store is the month built by hand in tests/digest_ledger.py (Ana is in a
mentoring pairing with Max, has goals, answers, calendar answers...).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from digest_ledger import ANA, BEA, BEN, MONTH, NOW, P1, PEOPLE, build

from agent.cli.main import main
from agent.core.errors import UserError
from agent.core.ledger import Ledger
from agent.core.privacy import export_person, forget_person, pseudonym
from agent.core.store import Store
from agent.digest.admin import admin_context
from agent.digest.figures import month_index
from agent.digest.manager import manager_context

if TYPE_CHECKING:
    from company import Programme


def on_disk(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json")))


def test_export_holds_every_record_about_the_person(tmp_path: Path) -> None:
    ledger = build(tmp_path / "state")
    held = export_person(ledger.store, "Ana@ex.fr")["held"]
    assert held["pairings"][P1.id]["members"] == ["max@ex.fr", ANA]
    assert {d["learned"] for d in held["feedback"].values()} >= {
        "préparer une négociation salariale"}
    assert held["goals"][P1.id][ANA] == ["Mener une négociation salariale", "Parler en public"]
    assert any(d["status"] == "declined" for d in held["responses"].values())
    assert any(k.endswith(f"/{ANA}") for k in held["actions"])
    assert "ben@ex.fr" not in json.dumps(held.get("feedback", {}))  # only hers


def test_forget_erases_the_address_and_keeps_anonymous_totals(
        tmp_path: Path, programme: Programme) -> None:
    state = tmp_path / "state"
    ledger = build(state)
    before, _ = admin_context(programme.settings(), ledger, PEOPLE, PEOPLE[BEA],
                              month_index(ledger, MONTH, "Europe/Paris"), NOW)
    with pytest.raises(UserError, match="active pairing"):
        forget_person(ledger.store, ANA, in_roster=False)
    with pytest.raises(UserError, match="still in the roster"):
        forget_person(ledger.store, ANA, in_roster=True)
    ledger.pairings.close(P1.id, "ended", NOW, "left the roster")
    done = forget_person(ledger.store, ANA, in_roster=False)
    assert done.rewritten > 0
    ledger.store.flush()

    text = on_disk(state)
    assert ANA not in text and "préparer une négociation salariale" not in text
    assert pseudonym(ANA) in text
    store = Store(state)  # what a restarted agent reads
    ledger = Ledger(store)
    assert export_person(store, ANA)["held"] == {}
    people = {e: p for e, p in PEOPLE.items() if e != ANA}  # she left the roster
    index = month_index(ledger, MONTH, "Europe/Paris")
    after, _ = admin_context(programme.settings(), ledger, people, people[BEA], index, NOW)
    for figure in ("sessions_planned", "sessions_held", "sessions_declined", "ratings"):
        assert after["totals"][figure] == before["totals"][figure], figure
    context, _ = manager_context(ledger, people, people[BEA], [BEN], index, NOW, "Acme", "r")
    assert "Ana" not in json.dumps(context, ensure_ascii=False)
    assert "Ana" not in json.dumps(after, ensure_ascii=False)


def test_the_commands(programme: Programme, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    out = tmp_path / "nadia.json"
    assert main(["export", "--config", config, "--email", "nadia@ex.fr", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["held"]["roster"]["nadia@ex.fr"]["name"] == "Nadia Benali"
    assert any("nadia@ex.fr" in d["members"] for d in data["held"]["pairings"].values())
    capsys.readouterr()
    assert main(["forget", "--config", config, "--email", "nadia@ex.fr"]) == 2
    assert "still in the roster" in capsys.readouterr().err
    programme.write_roster(drop=["nadia@ex.fr"])
    assert main(["tick", "--config", config, "--at", "2026-09-01T10:00+02:00"]) == 0
    assert main(["forget", "--config", config, "--email", "nadia@ex.fr"]) == 0
    assert "nadia@ex.fr" not in on_disk(programme.state)


def test_forget_erases_the_name_from_reasons_titles_and_the_partners_export(
    programme: Programme, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue #15, defect 5: the name stayed in pairing reasons and series summaries, and
    the export of the partner printed it."""
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    assert "Nadia Benali" in on_disk(programme.state)  # in the reason, and the title
    programme.write_roster(drop=["nadia@ex.fr"])
    assert main(["tick", "--config", config, "--at", "2026-09-01T10:00+02:00"]) == 0
    assert main(["forget", "--config", config, "--email", "nadia@ex.fr"]) == 0

    state = on_disk(programme.state)
    assert "Benali" not in state and "nadia@ex.fr" not in state
    out = tmp_path / "claire.json"
    assert main(["export", "--config", config, "--email", "claire@ex.fr", "--out",
                 str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Benali" not in text
    assert pseudonym("nadia@ex.fr") in text  # the pairing is still there, anonymously
    assert "Claire Martin" in text  # nobody else's name is touched
