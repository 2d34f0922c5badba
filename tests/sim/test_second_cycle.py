"""`make demo`'s own run (the example programme, seed 7, three months) up to the start of
its second cycle on 1 December (#18): pairings renew by consent, and the waiting list
holds only people whose partner left.

Read from what the run leaves behind: the state's JSON documents (pairings, renewal
answers, renewals, waiting list) and the Maildir of what was sent.
"""

from __future__ import annotations

import json
import mailbox
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from agent.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "example.toml"
SECOND = "2026-12-01"


def _docs(state: Path, name: str) -> dict[str, Any]:
    """The merged documents `name` (monthly files included) of a finished run."""
    merged: dict[str, Any] = {}
    for path in sorted(state.glob(f"{name}*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8"))[name])
    return merged


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert main(["simulate", "--config", str(EXAMPLE), "--months", "3", "--out", str(out),
                 "--seed", "7"]) == 0
    return out


def test_everyone_who_answered_continue_keeps_their_partner(demo: Path) -> None:
    state = demo / "state"
    answers = {(a["pairing"], a["email"]): a["answer"]
               for a in _docs(state, "renewal").values() if a["cycle"] == SECOND}
    pairings = _docs(state, "pairings")
    renewed = _docs(state, "renewed")
    kept = [p for p in pairings.values() if p["status"] == "active"
            and all(answers.get((p["id"], m), "continue") == "continue"
                    for m in p["members"])]
    assert kept, "no pairing came to its renewal in the demo"
    assert all(answers.get((p["id"], m)) for p in kept for m in p["members"]), \
        "the simulated people answered (none left to the default)"
    for p in kept:
        assert SECOND in renewed[p["id"]]["cycles"], p["id"]
    # Renewed in place: no new introduction after the first one for the same pairing.
    box = mailbox.Maildir(demo / "mail", factory=None, create=False)
    intros: dict[str, int] = {}
    for key in box.keys():
        head = BytesParser(policy=default_policy).parsebytes(box.get_bytes(key),
                                                             headersonly=True)
        sent = str(head.get("X-Binome-Key", "")).strip()
        if sent.startswith("mail/intro/"):
            intros[sent] = intros.get(sent, 0) + 1
    assert all(n == 1 for n in intros.values())
    assert {k.split("/")[2] for k in intros} >= {p["id"] for p in kept}


def test_the_second_cycle_waits_only_for_people_whose_partner_left(demo: Path) -> None:
    state = demo / "state"
    waiting = _docs(state, "waitlist")
    pairings = _docs(state, "pairings")
    assert all(w["cycle"] == SECOND and w["reasons"] for w in waiting.values())
    for email, entry in waiting.items():
        mine = [p for p in pairings.values()
                if email in p["members"] and p["format"] in entry["formats"]]
        assert mine and all(p["status"] == "ended" for p in mine), email
        # Each of their pairings ended by someone else's doing (a STOP, a declined
        # series), never by a change they asked for nor by the cycle's rotation.
        for p in mine:
            by = p["ended_reason"].split(" ")[0]
            assert by != email and by in p["members"], (email, p["ended_reason"])
