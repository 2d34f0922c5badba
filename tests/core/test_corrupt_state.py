"""State that someone else damaged: refused with a message naming the file, never read as
"no data"; and state that nobody else can read, whatever the umask.

The agent's own writes never leave an empty file (no data is ``{}``), a list where a
table belongs, or a commit marker that is not a list of its files: each of these is
damage from outside (an editor, a full disk with another tool, a bad restore).
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from agent.cli.main import main
from agent.core.storage import MARKER
from agent.core.store import Store, StoreCorrupt

if TYPE_CHECKING:
    from company import Programme

T0 = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
AT = "2026-09-01T09:00+02:00"


def ticked(programme: Programme, capsys: pytest.CaptureFixture[str]) -> Path:
    """The programme's state after one tick (pairings booked, intros sent)."""
    assert main(["tick", "--config", str(programme.config), "--at", AT]) == 0
    capsys.readouterr()
    return programme.state


@pytest.mark.parametrize("name", ["series.json", "actions-2026-09.json", "marks.json"])
@pytest.mark.parametrize("content", [b"", b"  \n", b"\n\n"])
def test_an_emptied_state_file_makes_tick_and_status_refuse_naming_it(
    programme: Programme, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    state = ticked(programme, capsys)
    (state / name).write_bytes(content)
    others = {p.name: p.read_bytes() for p in state.iterdir() if p.is_file() and p.name != name}

    code = main(["tick", "--config", str(programme.config), "--at", "2026-09-02T09:00+02:00"])

    err = capsys.readouterr().err
    assert code == 2
    assert str(state / name) in err and "empty" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in state.iterdir()
            if p.is_file() and p.name != name} == others
    assert main(["status", "--config", str(programme.config)]) == 2
    assert str(state / name) in capsys.readouterr().err


def test_run_refuses_an_emptied_state_file_and_exits_non_zero(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    state = ticked(programme, capsys)
    (state / "series.json").write_bytes(b"")

    code = main(["run", "--config", str(programme.config), "--max-seconds", "1"])

    assert code == 2
    err = capsys.readouterr().err
    assert str(state / "series.json") in err and "empty" in err


@pytest.mark.parametrize(("content", "says"), [
    ({"series": []}, "table 'series' is a list"),
    ({"series": {"p1": 5}}, "document series/p1 is a number"),
    ({"series": {"p1": "x"}}, "document series/p1 is a string"),
    ([{"series": {}}], "expected a JSON object of tables, found list"),
])
def test_a_document_or_table_of_the_wrong_type_is_reported_as_corrupt(
    tmp_path: Path, content: object, says: str
) -> None:
    store = Store(tmp_path / "db")
    store.put("series", "p0", {"a": 1})
    store.flush()
    (tmp_path / "db" / "series.json").write_text(json.dumps(content), encoding="utf-8")

    with pytest.raises(StoreCorrupt) as caught:
        Store(tmp_path / "db")
    assert says in str(caught.value) and str(tmp_path / "db" / "series.json") in str(caught.value)
    with pytest.raises(StoreCorrupt):
        Store(tmp_path / "db", readonly=True)  # `binome status` says so too


@pytest.mark.parametrize("marker", [b"{not json", b'{"a": 1}', b'["../../etc/passwd"]',
                                    b'["series.json", 3]'])
def test_a_hand_broken_commit_marker_is_corrupt_state_not_a_traceback(
    tmp_path: Path, marker: bytes
) -> None:
    store = Store(tmp_path / "db")
    store.put("series", "p0", {"a": 1})
    store.flush()
    (tmp_path / "db" / MARKER).write_bytes(marker)

    with pytest.raises(StoreCorrupt) as caught:
        Store(tmp_path / "db")
    assert MARKER in str(caught.value) and "backup" in str(caught.value)
    assert json.loads((tmp_path / "db" / "series.json").read_bytes()) == {
        "series": {"p0": {"a": 1}}}


def test_state_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "db")
        store.put("series", "p0", {"a": 1})
        store.put("marks", "m", {"value": "x"})
        store.flush()  # two files: a group commit, through the marker
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "db").stat().st_mode) == 0o700
    for path in (tmp_path / "db").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_check_warns_about_state_others_can_read(
    programme: Programme, capsys: pytest.CaptureFixture[str]
) -> None:
    state = ticked(programme, capsys)
    assert main(["check", "--config", str(programme.config)]) == 0
    assert "readable by others" not in capsys.readouterr().out
    os.chmod(state, 0o755)
    os.chmod(state / "series.json", 0o644)

    main(["check", "--config", str(programme.config)])

    out = capsys.readouterr().out
    assert f"warning: {state} is 755" in out and f"{state / 'series.json'} is 644" in out
    assert f"chmod -R go-rwx {state}" in out
