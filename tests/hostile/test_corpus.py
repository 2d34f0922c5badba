"""Hostile but realistic input, case by case, each named by what a user sees (issue #15).

Every case runs the real agent (or the real `binome` command) on the real local backend.
The severe and moderate cases of the issue have their own modules, referred to here:
forged commands tests/loop/test_forgery.py, one bad file tests/loop/test_isolation.py,
emptied or hand-broken state tests/core/test_corrupt_state.py, retries
tests/loop/test_retry.py, forgetting names tests/core/test_privacy.py, the roster notice
tests/loop/test_roster_notice.py, the inbox's memory tests/providers/test_local_inbox.py.
Below: the minor cases, header injection through names and settings, and HTML or
template syntax in every free-text field.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from company import COLUMNS, PEOPLE
from harness import HOUR, T0, Run, command, reply_to, sent_mail

from agent.cli.main import main
from agent.core.store import Store
from agent.loop.look import Look
from agent.programme.roster.load import load_roster

if TYPE_CHECKING:
    from collections.abc import Callable

    from company import Programme

SCRIPT = "<script>alert('x')</script>"
JINJA = "{{ 7*7 }}{% if true %}"
HOSTILE = f"{SCRIPT} {JINJA}"


def roster_rows(change: dict[str, dict[str, str]] | None = None) -> list[list[str]]:
    rows = [list(COLUMNS)]
    for email, row in PEOPLE.items():
        values = {"email": email, "external": "no", **row, **(change or {}).get(email, {})}
        rows.append([values.get(c, "") for c in COLUMNS])
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def load(path: Path) -> Any:
    return load_roster(path, default_timezone="Europe/Paris", default_language="fr",
                       default_max_mentees=2)


def parts(raw: bytes) -> tuple[str, str]:
    msg = message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    return (plain.get_content() if plain else ""), (html.get_content() if html else "")


# -- the roster ---------------------------------------------------------------------------
def test_a_csv_row_with_too_few_cells_is_reported_naming_the_missing_columns(
    tmp_path: Path,
) -> None:
    rows = roster_rows()
    rows[2] = rows[2][:6]  # Nadia's row lost its last cells (a separator gone, say)
    write_csv(tmp_path / "roster.csv", rows)
    result = load(tmp_path / "roster.csv")
    [problem] = result.problems
    assert str(problem).startswith("roster.csv: row 3, column team: the row has 6 cells where "
                                   "the header has 12: no cell for team, timezone, language")
    assert "nadia@ex.fr" in result.broken_emails  # kept as of the last good roster


def test_an_xlsx_formula_without_its_value_is_reported_with_its_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in roster_rows():
        sheet.append(row)
    sheet["H3"] = '=IF(A3="","","Europe/Paris")'  # openpyxl, like many tools, saves no value
    book.save(tmp_path / "roster.xlsx")
    result = load(tmp_path / "roster.xlsx")
    [problem] = result.problems
    assert str(problem).startswith("roster.xlsx: row 3, column timezone: cell H3 is a formula "
                                   "whose value the file does not hold")
    assert "save it again" in str(problem)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_roster_is_read_as_text(tmp_path: Path, encoding: str) -> None:
    write_csv(tmp_path / "roster.csv", roster_rows({"nadia@ex.fr": {"name": "Nadia Bénali"}}),
              encoding)
    result = load(tmp_path / "roster.csv")
    assert result.problems == []
    assert {p.email: p.name for p in result.participants}["nadia@ex.fr"] == "Nadia Bénali"


def test_a_name_with_line_breaks_is_one_line_and_the_simulation_runs(tmp_path: Path) -> None:
    rows = roster_rows({"nadia@ex.fr": {"name": "Nadia\r\nBcc: eve@evil.example\tBenali"}})
    config = (Path(__file__).resolve().parents[2] / "config" / "example.toml").read_text(
        encoding="utf-8").replace('path = "roster.example.csv"', 'path = "roster.csv"')
    (tmp_path / "binome.toml").write_text(config, encoding="utf-8")
    write_csv(tmp_path / "roster.csv", rows)
    assert {p.email: p.name for p in load(tmp_path / "roster.csv").participants}[
        "nadia@ex.fr"] == "Nadia Bcc: eve@evil.example Benali"
    out = tmp_path / "sim"
    assert main(["simulate", "--config", str(tmp_path / "binome.toml"), "--months", "1",
                 "--out", str(out), "--seed", "3"]) == 0
    for path in (out / "mail" / "new").iterdir():
        headers = message_from_bytes(path.read_bytes(), policy=default_policy)
        assert "eve@evil.example" not in str(headers["To"]) + str(headers["Bcc"] or "")


# -- settings -----------------------------------------------------------------------------
def test_an_organisation_name_with_a_line_break_is_refused_at_load(
    make_programme: Callable[..., Programme], capsys: pytest.CaptureFixture[str],
) -> None:
    programme = make_programme(edits={'name = "Atelier Lumière"':
                                      'name = "Atelier\\r\\nBcc: eve@evil.example"'})
    assert main(["check", "--config", str(programme.config)]) == 2
    err = capsys.readouterr().err
    assert "organisation.name: contains a line break or another control character" in err


def test_unknown_keys_are_shown_with_their_suggestion_beside_errors_and_by_check(
    make_programme: Callable[..., Programme], capsys: pytest.CaptureFixture[str],
) -> None:
    programme = make_programme(edits={"cycle_months = 3": "cyle_months = 3",
                                      "default_max_mentees = 2 ": "default_max_mentees = 99 "})
    assert main(["check", "--config", str(programme.config)]) == 2
    err = capsys.readouterr().err
    assert "programme.cyle_months: unknown key (ignored; did you mean 'cycle_months'?)" in err
    programme = make_programme(folder="two", edits={"cycle_months = 3": "cyle_months = 3"})
    assert main(["check", "--config", str(programme.config)]) == 0
    out = capsys.readouterr().out
    assert ": ok (1 warning)" in out
    assert "  warning: " in out and "did you mean 'cycle_months'?" in out


# -- commands and replies ---------------------------------------------------------------------
def first_objectives(run: Run, email: str) -> Any:
    run.tick()
    occ = run.series(email).occurrences()[0]
    run.clock.set(occ - 23 * HOUR)
    run.agent.tick()
    return sent_mail(run.local, f"mail/objectives/{run.pairing(email).id}/", to=email)[0]


def test_twenty_help_replies_get_one_answer_that_day(programme: Programme) -> None:
    run = Run(programme)
    objectives = first_objectives(run, "nadia@ex.fr")
    for n in range(20):
        run.deliver(f"7{n:03d}.help", command(objectives, "nadia@ex.fr", "AIDE",
                                              f"<help-{n}@ex.fr>", run.clock.now()))
    run.clock.advance(HOUR)
    run.agent.tick()
    for n in range(3):  # and more the same day
        run.deliver(f"8{n:03d}.help", command(objectives, "nadia@ex.fr", "AIDE",
                                              f"<help-more-{n}@ex.fr>", run.clock.now()))
    run.clock.advance(HOUR)
    run.agent.tick()
    assert len(sent_mail(run.local, "mail/confirm/", to="nadia@ex.fr")) == 1
    run.clock.advance(timedelta(days=1))
    run.deliver("9000.help", command(objectives, "nadia@ex.fr", "AIDE", "<help-next@ex.fr>",
                                     run.clock.now()))
    run.agent.tick()
    assert len(sent_mail(run.local, "mail/confirm/", to="nadia@ex.fr")) == 2  # the next day


def test_fifty_replies_to_one_questionnaire_are_one_answer_in_the_ledger_and_the_digest(
    programme: Programme,
) -> None:
    run = Run(programme)
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    occ = series.occurrences()[0]
    run.clock.set(occ + series.duration + 3 * HOUR)
    run.agent.tick()
    [question] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="nadia@ex.fr")
    for n in range(50):
        run.deliver(f"5{n:03d}.reply", reply_to(question, "nadia@ex.fr", f"Note : {1 + n % 5}",
                                                f"<r-{n}@ex.fr>", run.clock.now() + n * 60 *
                                                timedelta(seconds=1)))
    run.clock.advance(2 * HOUR)
    run.agent.tick()
    feedback = dict(Store(run.settings.state_dir, readonly=True).all("feedback"))
    mine = [d for d in feedback.values() if d["sender"] == "nadia@ex.fr"]
    assert len(mine) == 1 and mine[0]["rating"] == 5  # the last reply's rating
    run.clock.set(datetime(2026, 10, 1, 9, tzinfo=T0.tzinfo))
    look = Look(run.settings, run.clock)
    digests = dict(look.render_digests("2026-09"))
    text, _ = parts(digests["digest/hugo@ex.fr/2026-09"])
    line = next(x for x in text.splitlines() if "rempli(s) sur" in x)
    answered, asked = (int(w) for w in line.replace("rempli(s) sur", "").split(":")[1].split())
    assert answered == 1 and asked >= 1  # not "1 of 0", nor 50


def test_run_logs_keys_not_what_people_wrote(programme: Programme,
                                             caplog: pytest.LogCaptureFixture) -> None:
    run = Run(programme)
    run.tick()
    intro = sent_mail(run.local, "mail/intro/", to="nadia@ex.fr")[0]
    run.deliver("4000.goals", reply_to(intro, "nadia@ex.fr", "1. Négocier mon salaire secret",
                                       "<goals@ex.fr>", run.clock.now()))
    run.clock.advance(HOUR)
    with caplog.at_level(logging.INFO, logger="binome"):
        run.agent.tick()
    assert run.agent.ledger.answers.goals(run.pairing("nadia@ex.fr").id)
    assert "goals from nadia@ex.fr" in caplog.text
    assert "salaire" not in caplog.text


def test_tick_at_a_time_before_the_last_tick_is_refused(
    programme: Programme, capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-02T09:00+02:00"]) == 0
    capsys.readouterr()
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 2
    assert "before the last tick (2026-09-02T07:00:00+00:00)" in capsys.readouterr().err
    last = dict(Store(programme.state, readonly=True).all("marks"))["last_tick"]["value"]
    assert last == "2026-09-02T07:00:00+00:00"


def test_a_syntax_error_in_an_admin_template_fails_those_mails_naming_the_template(
    make_programme: Callable[..., Programme],
) -> None:
    programme = make_programme(edits={'# templates = "my-templates"':
                                      'templates = "my-templates"'})
    folder = programme.folder / "my-templates" / "en"
    folder.mkdir(parents=True)
    (folder / "intro.txt.j2").write_text("Hello {{ person.first_name ", encoding="utf-8")
    run = Run(programme)
    report = run.tick()
    failed = {o.key.rsplit("/", 1)[1]: o.result for o in report.outcomes if o.failed}
    assert set(failed) == {"emma@ex.fr", "oliver@ex.fr"}
    assert "intro.txt.j2" in failed["emma@ex.fr"]
    assert len(sent_mail(run.local, "mail/intro/")) == 2  # the French ones went


# -- HTML and template syntax in every free-text field --------------------------------------
def test_html_and_template_syntax_in_every_free_text_field_is_shown_as_written(
    make_programme: Callable[..., Programme],
) -> None:
    """Names, team, skills (roster); organisation name, a skill's curriculum and resources
    (settings); goals, what was learned, what to work on next (replies): each reaches mails,
    calendars and digests as the literal text, escaped in HTML, never run as a template."""
    skill = f"Négociation {SCRIPT} {{{{ x }}}} $\\frac{{1}}{{0}}$"
    programme = make_programme(edits={
        'name = "Atelier Lumière"': 'name = "Atelier <b>Lumière</b> {{ 7*7 }}"',
        'share_free_text = false': 'share_free_text = true',
        '[skills."Excel"]': f'[skills."{skill}"]\ncurriculum = ["{SCRIPT}", "{{{{ 7*7 }}}}"]\n'
                            f'resources = ["javascript:alert(1) {SCRIPT}"]\n\n[skills."Excel"]',
    })
    change = {e: {"name": f"{PEOPLE[e]['name']} {HOSTILE}", "team": HOSTILE}
              for e in ("claire@ex.fr", "nadia@ex.fr")}
    change["claire@ex.fr"]["teaches"] = skill
    change["nadia@ex.fr"]["learns"] = skill
    write_csv(programme.roster, roster_rows(change))
    run = Run(programme)
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    intro = sent_mail(run.local, f"mail/intro/{pairing.id}/", to="nadia@ex.fr")[0]
    run.deliver("4100.goals", reply_to(intro, "nadia@ex.fr", f"1. Tenir {HOSTILE}",
                                       "<g@ex.fr>", run.clock.now()))
    first, second = series.occurrences()[:2]
    run.clock.set(first + series.duration + 3 * HOUR)
    run.agent.tick()
    [question] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="nadia@ex.fr")
    run.deliver("4101.answer", reply_to(
        question, "nadia@ex.fr", f"Oui.\nNote : 4\nAppris : {HOSTILE}\n"
        f"À développer : {HOSTILE}\nProchaine fois : {HOSTILE}", "<a@ex.fr>", run.clock.now()))
    run.clock.set(second - 23 * HOUR)
    run.agent.tick()
    run.clock.set(datetime(2026, 10, 1, 9, tzinfo=T0.tzinfo))
    digests = dict(Look(run.settings, run.clock).render_digests("2026-09"))

    raws = [p.read_bytes() for sub in ("new", "cur")
            for p in sorted((run.local / "mail" / sub).iterdir())]
    raws += list(digests.values())
    seen_literal = 0
    for raw in raws:
        text, html = parts(raw)
        assert "<script>" not in html  # never markup: escaped wherever it comes from
        if SCRIPT in text:
            seen_literal += 1
            assert "&lt;script&gt;" in html
            assert JINJA in text  # written beside it, and never run as a template
    # The objectives of the second session carry the goal and the focus, as written.
    objectives = sent_mail(run.local, f"mail/objectives/{pairing.id}/{second.isoformat()}",
                           to="claire@ex.fr")
    assert objectives and "{{ 7*7 }}" in objectives[0].text
    assert seen_literal >= 4
    hugo, _ = parts(digests["digest/hugo@ex.fr/2026-09"])
    assert "{{ 7*7 }}" in hugo  # shared free text, as written
    calendar = (run.local / "calendars" / "nadia@ex.fr.ics").read_text(encoding="utf-8")
    assert "<script>" in calendar  # a calendar shows the title as text, as written
