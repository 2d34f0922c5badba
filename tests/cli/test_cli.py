"""The `binome` command: in-process through `agent.cli.main.main` (capsys), and as a
subprocess where what matters is what a shell user sees (exit status, no traceback).

Settings and roster are real files (tests/conftest.py `programme`: Claire mentors
Nadia, Oliver mentors Emma; mentoring only; state in the programme's folder).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from zoneinfo import ZoneInfo

import pytest

from agent.cli.main import main
from agent.core.errors import UserError
from agent.core.store import Store, lock
from agent.providers import registry
from agent.providers.installation import Installation
from agent.providers.settings import Backend

if TYPE_CHECKING:
    from company import Programme

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ROSTER = ROOT / "config" / "roster.example.csv"
START = "2026-09-01T09:00+02:00"


def binome(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def state_files(state: Path) -> dict[str, bytes]:
    if not state.exists():
        return {}
    return {str(p.relative_to(state)): p.read_bytes() for p in sorted(state.rglob("*"))
            if p.is_file()}


# -- init and check ------------------------------------------------------------------
def test_init_creates_settings_and_roster_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mycompany"
    assert main(["init", str(target)]) == 0
    toml, roster = target / "binome.toml", target / "roster.csv"
    assert roster.read_bytes() == EXAMPLE_ROSTER.read_bytes()
    assert 'path = "roster.csv"' in toml.read_text(encoding="utf-8")
    assert str(toml) in capsys.readouterr().out

    roster.write_text("email\nme@example.com\n", encoding="utf-8")  # the admin's edits
    settings_text = toml.read_bytes()
    assert main(["init", str(target)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and str(toml) in err
    assert roster.read_text(encoding="utf-8") == "email\nme@example.com\n"
    assert toml.read_bytes() == settings_text


def test_check_on_a_fresh_init_exits_0_and_counts_the_roster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "c")]) == 0
    capsys.readouterr()
    rows = [line for line in EXAMPLE_ROSTER.read_text(encoding="utf-8").splitlines()[1:]
            if line.strip()]

    assert main(["check", "--config", str(tmp_path / "c" / "binome.toml")]) == 0

    out = capsys.readouterr().out
    assert f"roster: {tmp_path / 'c' / 'roster.csv'}: {len(rows)} people, ok" in out
    assert "calendar backend 'local': reachable" in out
    assert "mail backend 'local': reachable" in out


def test_settings_with_three_mistakes_lists_all_three_without_a_traceback(
    programme: Programme,
) -> None:
    text = programme.config.read_text(encoding="utf-8")
    for old, new in (('timezone = "Europe/Paris"   # IANA', 'timezone = "Mars/Base"   # IANA'),
                     ("cycle_months = 3 ", "cycle_months = 40 "),
                     ('days = ["mon", "tue", "wed", "thu", "fri"]', "days = []")):
        assert old in text
        text = text.replace(old, new)
    programme.config.write_text(text, encoding="utf-8")

    done = binome("check", "--config", str(programme.config), cwd=programme.folder)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "3 problems" in done.stderr
    for location, value in (("organisation.timezone", "Mars/Base"),
                            ("programme.cycle_months", "40"), ("hours.days", "no working day")):
        [line] = [ln for ln in done.stderr.splitlines() if location in ln]
        assert value in line and str(programme.config) in line


def test_missing_settings_file_is_one_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "binome.toml"

    done = binome("check", "--config", str(missing), cwd=tmp_path)

    assert done.returncode == 2
    assert done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert str(missing) in lines[0] and "cannot read the settings file" in lines[0]


def test_check_names_file_row_column_and_value_of_a_bad_roster_row(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    programme.write_roster(change={"nadia@ex.fr": {"timezone": "Mars/Olympus"},
                                   "oliver@ex.fr": {"max_mentees": "lots"}})

    assert main(["check", "--config", str(programme.config)]) == 1

    out = capsys.readouterr().out
    assert "2 problem(s)" in out
    [tz] = [line for line in out.splitlines() if "Mars/Olympus" in line]
    assert "roster.csv" in tz and "row 3" in tz and "column timezone" in tz
    [mentees] = [line for line in out.splitlines() if "'lots'" in line]
    assert "roster.csv" in mentees and "row 5" in mentees and "column max_mentees" in mentees


# -- plan, tick, status ----------------------------------------------------------------
def test_plan_lists_the_bookings_and_changes_nothing(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(programme.config)
    assert main(["plan", "--config", config, "--at", START]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 action(s) due at 2026-09-01T07:00:00+00:00")
    booked = sorted(line.split()[2] for line in out.splitlines() if line.strip().startswith(
        "book -> "))
    assert len(booked) == 2 and all(b.startswith("m-2026-09-01-") for b in booked)
    # Nothing written, not even a lock file: no state, no calendar, no mail.
    assert state_files(programme.state) == {}

    assert main(["plan", "--config", config, "--at", START, "--json"]) == 0
    planned = json.loads(capsys.readouterr().out)
    assert sorted(a["pairing"] for a in planned) == booked
    assert {a["kind"] for a in planned} == {"book"}
    assert all(a["key"] == f"series/{a['pairing']}" for a in planned)

    assert main(["tick", "--config", config, "--at", START]) == 0
    capsys.readouterr()
    before = state_files(programme.state)
    assert "state.json" in before
    assert main(["plan", "--config", config, "--at", "2026-09-03T12:00+02:00", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert sorted(a["recipient"] for a in due) == ["emma@ex.fr", "oliver@ex.fr"]
    assert {a["mail"] for a in due} == {"objectives"}
    assert state_files(programme.state) == before  # byte-identical

    assert main(["tick", "--config", config, "--at", "2026-09-03T12:00+02:00"]) == 0
    assert "2 done, 0 failed" in capsys.readouterr().out
    store = Store(programme.state)
    assert all(store.action(a["key"])["status"] == "done" for a in due)  # what plan said


def test_tick_books_and_status_shows_pairings_and_actions(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", START]) == 0
    # Two series booked, and each of the four members introduced.
    assert "6 done, 0 failed, 2 new pairings" in capsys.readouterr().out
    calendars = programme.state / "local" / "calendars"
    for email in ("claire@ex.fr", "nadia@ex.fr", "oliver@ex.fr", "emma@ex.fr"):
        assert b"RRULE:FREQ=WEEKLY" in (calendars / f"{email}.ics").read_bytes()

    assert main(["tick", "--config", config, "--at", START]) == 0
    assert "0 done, 0 failed, 0 new pairings" in capsys.readouterr().out

    assert main(["status", "--config", config, "--at", START]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "last tick: 2026-09-01T07:00:00+00:00" in lines
    assert "  mentoring active: 2" in lines
    assert "actions: done 6" in lines
    assert "  series: 2" in lines
    assert "in flight (settled at next start): 0" in lines


def test_tick_with_a_bad_at_is_a_clear_message(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tick", "--config", str(programme.config), "--at", "next tuesday"]) == 2
    err = capsys.readouterr().err
    assert "'next tuesday' is not an ISO date/time" in err
    assert not (programme.state / "state.json").exists()


def test_check_accept_roster_confirms_a_large_drop(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", START]) == 0
    programme.write_roster(drop=["nadia@ex.fr", "emma@ex.fr"])  # 2 of 6 > max_drop_share 0.2
    capsys.readouterr()

    assert main(["check", "--config", config]) == 1
    out = capsys.readouterr().out
    assert "2 of 6 people" in out and "--accept-roster" in out
    assert main(["tick", "--config", config, "--at", "2026-09-01T10:00+02:00"]) == 0
    assert "1 done" in capsys.readouterr().out  # the admin's notice, nothing ended

    assert main(["check", "--config", config, "--accept-roster"]) == 0
    out = capsys.readouterr().out
    assert "roster accepted" in out and "4 people, ok" in out
    assert main(["tick", "--config", config, "--at", "2026-09-01T11:00+02:00"]) == 0
    assert "2 done, 0 failed" in capsys.readouterr().out
    assert main(["status", "--config", config, "--at", "2026-09-01T11:00+02:00"]) == 0
    assert "  mentoring ended: 2" in capsys.readouterr().out.splitlines()


def test_check_without_accept_roster_changes_no_state(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", START]) == 0
    programme.write_roster(drop=["nadia@ex.fr"])  # a small change: within max_drop_share
    before = state_files(programme.state)

    assert main(["check", "--config", config]) == 0

    assert state_files(programme.state) == before


def test_plan_shows_each_slot_and_who_is_busy_when(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    from icalendar import Calendar, Event

    # Claire has a meeting every weekday morning of the first week, in her own calendar.
    calendars = programme.state / "local" / "calendars"
    calendars.mkdir(parents=True)
    cal = Calendar()
    cal.add("prodid", "-//test//EN")
    cal.add("version", "2.0")
    paris = ZoneInfo("Europe/Paris")
    for day in range(3, 10):
        event = Event()
        event.add("uid", f"own-{day}@test")
        event.add("dtstamp", datetime(2026, 9, 1, tzinfo=paris))
        event.add("dtstart", datetime(2026, 9, day, 9, tzinfo=paris))
        event.add("dtend", datetime(2026, 9, day, 12, tzinfo=paris))
        cal.add_component(event)
    (calendars / "claire@ex.fr.ics").write_bytes(cal.to_ical())
    before = state_files(programme.state)

    assert main(["plan", "--config", str(programme.config), "--at", START]) == 0
    out = capsys.readouterr().out
    [head] = [line for line in out.splitlines() if "Claire Martin & Nadia Benali" in line]
    assert "(Europe/Paris), toutes les 2 semaines, 45 min" in head
    when = head.split(": ", 1)[1].split(" (")[0]  # e.g. "mardi 14:00"
    assert int(when.split()[-1][:2]) >= 12  # not in her mornings
    assert "claire@ex.fr occupé·e cette semaine-là: " in out
    assert "09:00-12:00" in out.split("claire@ex.fr occupé·e cette semaine-là: ")[1]
    assert "nadia@ex.fr occupé·e cette semaine-là: rien" in out
    assert "libre pour tous: " in out
    # Claire's calendar untouched, no state, not even a lock: planning only looks.
    assert state_files(programme.state) == before


def test_the_commands_that_only_look_open_no_backend_and_take_no_lock(
    programme: Programme, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", START]) == 0  # a state to look at

    def opened(backend: Backend, site: Installation) -> NoReturn:
        raise AssertionError("a command that only looks opened a backend")

    # Registered like any backend: opening it is the failure this test looks for.
    monkeypatch.setitem(registry.CALENDARS, "local", opened)
    monkeypatch.setitem(registry.MAILBOXES, "local", opened)
    before = state_files(programme.state)
    with lock(programme.state):  # as `binome run` holds it
        for command in (["match"], ["match", "--json"], ["skills"],
                        ["status", "--at", START], ["status", "--json", "--at", START],
                        ["plan", "--at", "2026-09-03T12:00+02:00"],
                        ["plan", "--json", "--at", "2026-09-03T12:00+02:00"],
                        ["export", "--email", "emma@ex.fr"],
                        ["digest", "--month", "2026-09", "--out", str(tmp_path / "d"),
                         "--at", "2026-10-01T09:00+02:00"]):
            assert main([*command, "--config", config]) == 0, command
    out = capsys.readouterr().out
    assert "objectives -> emma@ex.fr" in out  # plan said what it would do
    assert "emma@ex.fr" in out and "wrote " in out
    assert state_files(programme.state) == before  # and nothing was written


def test_plan_without_a_calendar_still_plans_and_says_why_no_slots(
    programme: Programme, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    def unreachable(backend: Backend, site: Installation) -> NoReturn:
        raise UserError("calendar sign-in failed (test)")

    monkeypatch.setitem(registry.CALENDARS, "local", unreachable)
    assert main(["plan", "--config", str(programme.config), "--at", START]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 action(s) due")
    assert "slots not shown: the calendar could not be read: calendar sign-in failed" in out
