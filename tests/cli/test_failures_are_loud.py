"""When actions fail, `binome tick` and `binome simulate` exit non-zero and say how many
failed and why, grouped by cause; a run where every mail fails never prints a success
summary.

Every mail is made to fail the way an admin's own wording can break it: a templates
folder (`[mail] templates`) whose layout uses a variable that does not exist, so every
HTML part fails to render. The simulation is the real command, in a subprocess.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from agent.cli.main import main
from agent.loop.failures import group_failures, reason

if TYPE_CHECKING:
    from company import Programme

TEMPLATES = '# templates = "my-templates" '


def broken_templates(folder: Path) -> dict[str, str]:
    """A templates folder every mail fails with, and the settings edit that uses it."""
    for language in ("fr", "en"):
        (folder / "tpl" / language).mkdir(parents=True)
        (folder / "tpl" / language / "_layout.html.j2").write_text("{{ no_such_variable }}\n",
                                                                  encoding="utf-8")
    return {TEMPLATES: 'templates = "tpl" '}


def test_a_simulation_where_every_mail_fails_exits_1_with_the_failures_grouped(
        make_programme: Any, tmp_path: Path) -> None:
    programme: Programme = make_programme(edits=broken_templates(tmp_path / "company"))

    done = subprocess.run(
        [sys.executable, "-m", "agent.cli.main", "simulate", "--config", str(programme.config),
         "--months", "1", "--out", str(tmp_path / "sim")],
        capture_output=True, text=True, timeout=300)

    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    head = re.fullmatch(r"Simulated \S+ to \S+ in \S+ with (\d+) FAILED action\(s\):", lines[0])
    assert head, lines[0]
    groups = [re.fullmatch(r"  (\d+) x (\S+): (.+) \(e\.g\. (\S+)\)", line) for line in lines[1:]]
    found = [g for g in groups if g]
    # One line per kind of mail and language, each counted, none per single action.
    assert {g[2] for g in found} >= {"mail/intro", "mail/objectives", "mail/questionnaire",
                                     "digest"}
    assert sum(int(g[1]) for g in found) == int(head[1])
    assert all("'no_such_variable' is undefined" in g[3] for g in found)
    assert int(head[1]) > len(found)  # grouped: fewer lines than failures
    assert "messages sent: 0" in done.stdout
    assert f"binome: {head[1]} action(s) failed in the simulation" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_tick_whose_mails_fail_exits_1_and_groups_them_by_cause(
        make_programme: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    programme: Programme = make_programme(edits=broken_templates(tmp_path / "company"))

    code = main(["tick", "--config", str(programme.config), "--at", "2026-09-01T09:00+02:00"])

    out, err = capsys.readouterr()
    assert code == 1
    # The series are booked; the four introductions (two French, two English) fail.
    assert "2 done, 4 failed" in out
    assert "4 action(s) FAILED:" in out
    assert re.search(r"  2 x mail/intro: cannot prepare: template fr/intro\.html\.j2: "
                     r"'no_such_variable' is undefined \(e\.g\. mail/intro/", out)
    assert re.search(r"  2 x mail/intro: .* template en/intro\.html\.j2", out)
    assert "binome: 4 action(s) failed in this tick" in err


def test_reasons_that_differ_only_by_address_time_or_id_fall_in_one_group() -> None:
    failures = [
        ("mail/intro/p-1/ann@ex.fr", "failed: 550 mailbox ann@ex.fr unavailable"),
        ("mail/intro/p-2/bob@ex.fr", "failed: 550 mailbox bob@ex.fr unavailable"),
        ("series/p-3", "cannot book at 2026-09-03T07:00:00+00:00 (event 5f3a9c0d1e2b)"),
        ("series/p-4", "cannot book at 2026-09-10T07:00:00+00:00 (event 77aa10b3c4d5)"),
        ("series/p-5", "calendar refused"),
    ]

    groups = group_failures(failures)

    assert [(g.what, g.count) for g in groups] == [("mail/intro", 2), ("series", 2),
                                                    ("series", 1)]
    assert groups[0].why == "550 mailbox <address> unavailable"
    assert groups[1].why == "cannot book at <time> (event <id>)"
    assert groups[0].example == "mail/intro/p-1/ann@ex.fr"
    assert reason("failed: calendar refused") == "calendar refused"
