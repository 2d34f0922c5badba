"""One bad file never stops the agent: each unit of work fails alone (issue #15, defect 2).

A truncated calendar file, a message file the inbox cannot hand over, an inbox folder that
cannot be listed, a pairing whose stored series the planner trips on: each is recorded
(`binome status` shows it), and everything else due in the same tick is done.

The real local backend and the simulated clock (tests/harness.py): Claire mentors Nadia,
Oliver mentors Emma.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from harness import HOUR, Run, reply_to, sent_mail

from agent.cli.main import main
from agent.cli.status import status_report
from agent.core.store import Store

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def before_first_objectives(run: Run, email: str) -> str:
    """Booked, intros sent; the clock just before the objectives of `email`'s first session
    are due (two hours later). Returns the pairing's id."""
    run.tick()
    pairing = run.pairing(email)
    run.clock.set(run.series(email).occurrences()[0] - 25 * HOUR)
    run.agent.tick()
    assert sent_mail(run.local, f"mail/objectives/{pairing.id}/") == []
    return pairing.id


def truncate_calendar(run: Run, email: str) -> bytes:
    path = run.local / "calendars" / f"{email}.ics"
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    # Her partner answers, so the series is among the calendar's changes and read.
    partner = run.local / "calendars" / "claire@ex.fr.ics"
    partner.write_bytes(partner.read_bytes().replace(b"PARTSTAT=NEEDS-ACTION",
                                                     b"PARTSTAT=ACCEPTED", 1))
    return whole


def unreadable_message(run: Run) -> str:
    """A message file the inbox cannot hand over as it is: its name is not UTF-8 (so it
    could be no ref in the state), and, when the tests do not run as root, it cannot be
    read either."""
    folder = os.fsencode(run.local / "inbox" / "new")
    name = b"1500.caf\xe9.eml"
    with open(folder + b"/" + name, "wb") as f:
        f.write(b"From: someone@ex.fr\r\nSubject: hello\r\n\r\nbonjour\r\n")
    if os.geteuid() != 0:
        locked = Path(os.fsdecode(folder)) / "1501.locked.eml"
        locked.write_bytes(b"From: x@ex.fr\r\n\r\nx\r\n")
        locked.chmod(0)
    return os.fsdecode(name)


def test_a_truncated_calendar_and_an_unreadable_message_fail_alone(run: Run) -> None:
    pairing = before_first_objectives(run, "nadia@ex.fr")
    intro = sent_mail(run.local, "mail/intro/", to="emma@ex.fr")[0]
    whole = truncate_calendar(run, "nadia@ex.fr")
    unreadable_message(run)
    run.deliver("1502.goals", reply_to(intro, "emma@ex.fr", "1. Write window functions",
                                       "<goals-1@ex.fr>", run.clock.now(), lang="en"))
    run.clock.advance(2 * HOUR)

    report = run.agent.tick()

    # Every mail due went out, Nadia's too (mail needs no calendar)...
    objectives = sent_mail(run.local, f"mail/objectives/{pairing}/")
    assert sorted(m.to for m in objectives) == ["claire@ex.fr", "nadia@ex.fr"]
    # ...the good reply beside the bad file was read...
    assert run.agent.ledger.answers.goals(run.pairing("emma@ex.fr").id) == {
        "emma@ex.fr": ["Write window functions"]}
    # ...and both failures are reported, by the tick and by `binome status`.
    series_key = f"series/{pairing}"
    units = [unit for unit, _ in report.troubles]
    assert units == [f"calendar {series_key}"]
    assert report.set_aside >= 1 and "set aside" in report.summary()
    assert "nadia@ex.fr.ics" in report.troubles[0][1]
    lines = status_report(run.settings)
    assert "failing now: 1" in lines
    assert any(line.startswith(f"  calendar {series_key}: ") and "nadia@ex.fr.ics" in line
               for line in lines)
    aside = {q.ref: q.reason for q in run.agent.ledger.quarantine.everything()}
    assert any(ref.endswith(".renamed") and "not a reply" in reason
               for ref, reason in aside.items()), aside
    if os.geteuid() != 0:
        assert "cannot be read" in aside["1501.locked.eml"]
    assert not list((run.local / "inbox" / "new").iterdir())  # each read once

    # The file is repaired: the series is read again at the next look, the trouble gone.
    (run.local / "calendars" / "nadia@ex.fr.ics").write_bytes(whole)
    run.clock.advance(HOUR)
    assert run.agent.tick().troubles == []
    assert "failing now: 0" in status_report(run.settings)


def test_an_inbox_that_cannot_be_listed_does_not_stop_the_tick(run: Run) -> None:
    pairing = before_first_objectives(run, "emma@ex.fr")
    new = run.local / "inbox" / "new"
    shutil.rmtree(new)
    new.write_bytes(b"not a folder")  # what a bad restore or a full disk may leave
    run.clock.advance(2 * HOUR)

    report = run.agent.tick()

    assert len(sent_mail(run.local, f"mail/objectives/{pairing}/")) == 2
    assert [unit for unit, _ in report.troubles] == ["inbox"]
    assert "failing now: 1" in status_report(run.settings)

    new.unlink()
    new.mkdir()
    run.clock.advance(HOUR)
    assert run.agent.tick().troubles == []
    assert run.agent.ledger.troubles.everything() == []


def test_binome_tick_reports_a_failing_unit_and_exits_1_without_a_traceback(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    new = programme.settings().local_dir / "inbox" / "new"
    shutil.rmtree(new)
    new.write_bytes(b"")
    capsys.readouterr()

    code = main(["tick", "--config", config, "--at", "2026-09-01T10:00+02:00"])

    out, err = capsys.readouterr()
    assert code == 1
    assert "1 problem(s) (see binome status)" in out and "  problem: inbox: " in out
    assert "Traceback" not in out


def test_a_pairing_the_planner_trips_on_does_not_stop_the_others(run: Run) -> None:
    pairing = before_first_objectives(run, "emma@ex.fr")
    broken = run.pairing("nadia@ex.fr").id
    run.agent.ledger.flush()
    # A stored series an older version, or a hand edit, left out of shape.
    path = run.settings.state_dir / "series.json"
    tables = json.loads(path.read_bytes())
    tables["series"][broken]["minutes"] = "sixty"
    path.write_bytes(json.dumps(tables).encode())
    run.agent = run.fresh()
    run.clock.advance(2 * HOUR)

    report = run.agent.tick()

    assert sorted(m.to for m in sent_mail(run.local, f"mail/objectives/{pairing}/")) == [
        "emma@ex.fr", "oliver@ex.fr"]
    assert [unit for unit, _ in report.troubles] == [f"plan {broken}"]
    assert dict(Store(run.settings.state_dir, readonly=True).all("troubles"))
