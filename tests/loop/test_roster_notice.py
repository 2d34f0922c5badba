"""The admin's notice about a broken roster stays a readable mail however broken the roster
(issue #15, defect 6): a 10,000-row garbage roster once made a 10 MB mail listing about
36,600 problems. It lists the first ones, counts them by kind, and points to `binome check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness import HOUR, Run, sent_mail

from agent.conversation.messages import LISTED_PROBLEMS

if TYPE_CHECKING:
    from company import Programme

ROWS = 10_000


def test_a_garbage_roster_gives_a_short_notice_with_counts_by_kind(programme: Programme) -> None:
    run = Run(programme)
    run.tick()
    header = programme.roster.read_text(encoding="utf-8").splitlines()[0]
    garbage = [f"person{i}(at)nowhere;Name {i};wizard;Alchemy;;boss{i};;Mars/Olympus;klingon;"
               f"lots;maybe;" for i in range(ROWS)]
    programme.roster.write_text("\n".join([header, *garbage]) + "\n", encoding="utf-8")
    run.clock.advance(HOUR)
    run.agent.tick()

    [notice] = [m for m in sent_mail(run.local, "notice/roster/")
                if m.to == "rh@atelier-lumiere.fr"]
    assert len(notice.text.encode()) < 20_000 and len(notice.html.encode()) < 40_000
    assert "row 2, column email: invalid email 'person0(at)nowhere'" in notice.text
    assert "row 3, column email" not in notice.text.split("…")[-1]
    assert "autres problèmes" in notice.text  # the admin's language (French)
    # Counted by kind: the value left out, so the 10,000 bad time zones are one line.
    assert f"{ROWS} × timezone: unknown time zone …" in notice.text
    assert f"{ROWS} × email: invalid email …" in notice.text
    assert f"binome check --config {programme.config.resolve()}" in notice.text
    listed = [line for line in notice.text.splitlines() if ": row " in line]
    assert len(listed) == LISTED_PROBLEMS
