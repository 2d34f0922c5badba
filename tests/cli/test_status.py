"""`binome status`: human in a terminal, a documented JSON document with `--json`, and
the exit code a monitor reads (0 healthy, 1 degraded, 2 broken).

The programme is tests/company.py's (two pairings); the agent's ticks are real
(`binome tick --at`), and so are the failures (the admin's own templates, broken).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from agent.cli.main import main
from agent.loop import sections
from agent.loop.health import Section

if TYPE_CHECKING:
    from company import Programme

ROOT = Path(__file__).resolve().parents[2]
START = "2026-09-01T09:00+02:00"
SOON = "2026-09-01T09:20+02:00"


def status(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["status", "--config", str(config), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def documented_keys() -> set[str]:
    text = (ROOT / "docs" / "status.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_.]+)` \|", text, flags=re.MULTILINE))


def keys_of(doc: dict[str, Any]) -> set[str]:
    found = set()
    for key, value in doc.items():
        if isinstance(value, dict):
            found |= {f"{key}.{sub}" for sub in value}
        else:
            found.add(key)
    return found


def test_a_healthy_agent_exits_0_with_every_documented_key(
        programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tick", "--config", str(programme.config), "--at", START]) == 0
    capsys.readouterr()

    code, doc = status(programme.config, capsys, "--at", SOON)

    assert code == 0 and doc["health"] == "healthy" and doc["exit_code"] == 0
    assert doc["problems"] == []
    assert keys_of(doc) == documented_keys()
    assert doc["agent"]["last_tick"] == "2026-09-01T07:00:00+00:00"
    assert doc["agent"]["minutes_since_last_tick"] == 20.0
    assert doc["pairings"] == {"active": 2, "by_format": {"mentoring": {"active": 2}}}
    assert doc["actions"]["done_by_label"] == {"mail/intro": 4, "series": 2}
    assert doc["next"]["next_session"] > doc["at"]
    assert doc["next"]["next_digest"] == "2026-10-01T06:00:00+00:00"
    assert doc["backends"]["mail"] == {"backend": "local", "reachable": None, "error": None}


def test_in_a_terminal_it_stays_human(programme: Programme,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tick", "--config", str(programme.config), "--at", START]) == 0
    capsys.readouterr()

    assert main(["status", "--config", str(programme.config), "--at", SOON]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "health: healthy"
    assert "  mentoring active: 2" in lines and "{" not in "".join(lines)
    assert "calendar backend 'local': not probed (binome status --probe)" in lines


def test_failed_actions_make_it_degraded_with_their_causes_grouped(
        make_programme: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "company"
    for language in ("fr", "en"):
        (folder / "tpl" / language).mkdir(parents=True)
        (folder / "tpl" / language / "_layout.html.j2").write_text("{{ nope }}\n")
    programme = make_programme(edits={'# templates = "my-templates" ': 'templates = "tpl" '})
    assert main(["tick", "--config", str(programme.config), "--at", START]) == 1
    capsys.readouterr()

    code, doc = status(programme.config, capsys, "--at", SOON)

    assert code == 1 and doc["health"] == "degraded"
    assert doc["problems"] == [{"level": "degraded", "section": "actions",
                                "message": "4 action(s) failed in the last 7 days"}]
    assert {(g["what"], g["count"]) for g in doc["actions"]["failure_groups"]} == {
        ("mail/intro", 2)}
    assert len(doc["actions"]["failure_groups"]) == 2  # French and English templates


def test_an_agent_that_stopped_ticking_or_never_ticked_is_broken(
        programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    programme.state.mkdir()
    (programme.state / "agent.lock").write_text("")  # `binome check` was run, nothing else

    code, doc = status(programme.config, capsys, "--at", START)
    assert code == 2 and "never ticked" in doc["problems"][0]["message"]

    assert main(["tick", "--config", str(programme.config), "--at", START]) == 0
    capsys.readouterr()
    code, doc = status(programme.config, capsys, "--at", "2026-09-01T10:30+02:00")
    assert code == 2 and doc["health"] == "broken"
    assert doc["problems"][0]["section"] == "agent"
    assert "no tick since 2026-09-01T07:00:00+00:00" in doc["problems"][0]["message"]


def test_no_state_is_broken_and_json_still_says_so(
        programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = status(programme.config, capsys)

    assert code == 2 and doc["health"] == "broken"
    assert "no state here yet" in doc["problems"][0]["message"]
    assert main(["status", "--config", str(programme.config)]) == 2
    assert "no state here yet" in capsys.readouterr().err


def test_probe_asks_the_backends_and_an_unreachable_one_is_broken(
        make_programme: Any, capsys: pytest.CaptureFixture[str]) -> None:
    programme = make_programme(edits={'path = "local"              # relative to [state] path':
                                      'path = "blocked"'})
    assert main(["tick", "--config", str(programme.config), "--at", START]) == 0
    capsys.readouterr()
    code, doc = status(programme.config, capsys, "--at", SOON, "--probe")
    assert code == 0 and doc["backends"]["calendar"]["reachable"] is True

    blocked = programme.state / "blocked"
    for sub in blocked.iterdir():  # the calendars and Maildirs replaced by a file
        if sub.is_dir():
            for path in sorted(sub.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
            sub.rmdir()
            sub.write_text("not a folder")
    code, doc = status(programme.config, capsys, "--at", SOON, "--probe")

    assert code == 2
    assert doc["backends"]["mail"]["reachable"] is False
    assert {p["section"] for p in doc["problems"]} == {"backends"}


def test_a_section_is_one_function(programme: Programme, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def renewals(ctx: Any) -> Section:
        return Section({"pending": 3}, ["renewals pending: 3"], [("degraded", "3 to renew")])

    monkeypatch.setattr(sections, "SECTIONS", [*sections.SECTIONS, ("renewals", renewals)])
    assert main(["tick", "--config", str(programme.config), "--at", START]) == 0
    capsys.readouterr()

    code, doc = status(programme.config, capsys, "--at", SOON)

    assert code == 1 and doc["renewals"] == {"pending": 3}
    assert doc["problems"] == [{"level": "degraded", "section": "renewals",
                                "message": "3 to renew"}]
