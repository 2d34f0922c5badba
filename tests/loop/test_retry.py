"""A failed action is tried again (issue #15, defect 4): once the settings, templates or
roster it was made from change, or when the admin asks (`binome retry`); a temporary
failure after a bounded backoff that the ledger keeps, so a restart keeps it too.

The real local backend and the simulated clock (tests/harness.py): Claire mentors Nadia
(in French), Oliver mentors Emma (in English). Failures of the mailbox come from
tests/faults.py, wrapped around the real backend through its contract.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from faults import Faults, faulty
from harness import HOUR, Run, sent_mail

from agent.cli.main import main
from agent.cli.status import status_report
from agent.core.ledger.journal import MAX_ATTEMPTS, MAX_DELAY
from agent.core.store import lock

if TYPE_CHECKING:
    from collections.abc import Callable

    from company import Programme

BROKEN = "Bonjour {{ person.first_name }} {{ no_such_thing }}\n"
TEMPLATES = {'# templates = "my-templates"': 'templates = "my-templates"'}


def with_broken_french_intro(make_programme: Callable[..., Programme]) -> Programme:
    programme = make_programme(edits=TEMPLATES)
    folder = programme.folder / "my-templates" / "fr"
    folder.mkdir(parents=True)
    (folder / "intro.txt.j2").write_text(BROKEN, encoding="utf-8")
    return programme


def intros(run: Run) -> Counter[str]:
    return Counter(m.to for m in sent_mail(run.local, "mail/intro/"))


def test_mail_that_failed_on_a_broken_template_goes_once_the_template_is_fixed(
    make_programme: Callable[..., Programme],
) -> None:
    programme = with_broken_french_intro(make_programme)
    run = Run(programme)
    report = run.tick()
    failed = sorted(o.key for o in report.outcomes if o.failed)
    assert [k.rsplit("/", 1)[1] for k in failed] == ["claire@ex.fr", "nadia@ex.fr"]
    assert intros(run) == {"emma@ex.fr": 1, "oliver@ex.fr": 1}
    assert any("no_such_thing" in line for line in status_report(run.settings))

    run.clock.advance(HOUR)
    run.agent.tick()  # nothing changed: not tried again
    assert intros(run) == {"emma@ex.fr": 1, "oliver@ex.fr": 1}

    (programme.folder / "my-templates" / "fr" / "intro.txt.j2").unlink()  # the fix
    # Pacing counted the failed mail as their message of the day: they go next morning.
    outcomes = run.until(run.clock.now() + timedelta(days=2))

    assert sorted(o.key for o in outcomes if o.ok) == failed
    assert intros(run) == {"emma@ex.fr": 1, "oliver@ex.fr": 1, "claire@ex.fr": 1,
                           "nadia@ex.fr": 1}
    assert run.agent.ledger.journal.failures() == []


def test_a_settings_change_tries_failed_mail_again_after_a_restart(
    make_programme: Callable[..., Programme],
) -> None:
    programme = with_broken_french_intro(make_programme)
    run = Run(programme)
    run.tick()
    assert len(run.agent.ledger.journal.failures()) == 2
    # The admin drops their templates from the settings and restarts the agent.
    text = programme.config.read_text(encoding="utf-8")
    programme.config.write_text(text.replace('templates = "my-templates"', ""),
                                encoding="utf-8")
    run.settings = programme.settings()
    run.agent = run.fresh()
    run.until(run.clock.now() + timedelta(days=2))
    assert intros(run)["nadia@ex.fr"] == 1 and intros(run)["claire@ex.fr"] == 1
    assert run.agent.ledger.journal.failures() == []


def test_a_temporary_failure_waits_its_backoff_even_across_a_restart(programme: Programme) -> None:
    down = Faults("down", 1.0, kinds=("5xx",))
    run = Run(programme, wrap=lambda c, m: (c, faulty(c, m, down)[1]))
    report = run.tick()
    retry = sorted(o.key for o in report.outcomes if o.result.startswith("retry"))
    assert len(retry) == 4 and sent_mail(run.local, "mail/intro/") == []
    record = run.agent.ledger.journal.get(retry[0])
    assert record is not None and record.attempts == 1 and record.next_try is not None
    assert "503" in record.error
    lines = status_report(run.settings)
    assert any(line.startswith(f"  {retry[0]}: attempt 2 at ") for line in lines)

    # Restarted, the mailbox back: nothing goes before the backoff is over...
    run.wrap = None
    run.agent = run.fresh()
    run.clock.set(record.next_try - timedelta(minutes=1))
    assert run.agent.tick().outcomes == []
    assert sent_mail(run.local, "mail/intro/") == []
    # ...and each goes once when it is.
    run.clock.set(record.next_try)
    report = run.agent.tick()
    assert sorted(o.key for o in report.outcomes if o.ok) == retry
    assert Counter(m.key for m in sent_mail(run.local, "mail/intro/")) == dict.fromkeys(retry, 1)


def test_backoff_is_bounded_then_the_action_is_given_up_and_binome_retry_sends_it(
    programme: Programme, capsys: pytest.CaptureFixture[str],
) -> None:
    down = Faults("down", 1.0, kinds=("timeout",))
    run = Run(programme, wrap=lambda c, m: (c, faulty(c, m, down)[1]))
    run.tick()
    key = sorted(k for k, _ in run.stored("pending").items())[0]
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        record = run.agent.ledger.journal.get(key)
        assert record is not None and record.next_try is not None
        waits.append(record.next_try - run.clock.now())
        run.clock.set(record.next_try)
        run.agent.tick()
    assert waits[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert max(waits) == MAX_DELAY  # bounded
    record = run.agent.ledger.journal.get(key)
    assert record is not None and record.status == "failed"
    assert record.error.startswith(f"gave up after {MAX_ATTEMPTS} attempts: ")
    run.agent.ledger.flush()

    run.wrap = None
    config = str(programme.config)
    assert main(["retry", "--config", config, "mail/intro/nobody"]) == 2
    assert "no failed or postponed action" in capsys.readouterr().err
    assert main(["retry", "--config", config, key]) == 0
    assert f"to retry: {key}" in capsys.readouterr().out
    run.agent = run.fresh()
    outcomes = run.until(run.clock.now() + timedelta(days=2))
    assert key in [o.key for o in outcomes if o.ok]
    assert [m.key for m in sent_mail(run.local, "mail/intro/")].count(key) == 1


def test_binome_retry_beside_a_running_agent_is_taken_at_its_next_tick(
    programme: Programme, capsys: pytest.CaptureFixture[str],
) -> None:
    down = Faults("down", 1.0, kinds=("5xx",))
    run = Run(programme, wrap=lambda c, m: (c, faulty(c, m, down)[1]))
    run.tick()
    for _ in range(MAX_ATTEMPTS - 1):  # the mailbox stays down until every intro is given up
        run.clock.advance(MAX_DELAY)
        run.agent.tick()
    assert len(run.agent.ledger.journal.failures()) == 4
    run.agent.ledger.flush()
    down.enabled = False  # the service is back; nothing the agent reads has changed

    with lock(programme.state):  # the running agent holds the state
        assert main(["retry", "--config", str(programme.config), "--all"]) == 0
    assert "the running agent will try them again" in capsys.readouterr().out
    run.until(run.clock.now() + timedelta(days=2))
    assert intros(run) == dict.fromkeys(["claire@ex.fr", "emma@ex.fr", "nadia@ex.fr",
                                         "oliver@ex.fr"], 1)
    assert run.agent.ledger.journal.failures() == []
    assert list(programme.state.glob("*.request")) == []
