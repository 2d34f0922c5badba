"""`binome digest`: render a month's digests to files, or send those not sent yet.

Real settings, roster and local backend (tests/conftest.py `programme`); the agent
ticks through `binome tick --at`, so the digests sent by the loop and by the command
share one ledger and one Maildir.
"""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from agent.cli.main import main

if TYPE_CHECKING:
    from company import Programme


def sent_digests(programme: Programme) -> list[str]:
    keys = []
    for path in sorted((programme.settings().local_dir / "mail").rglob("*")):
        if path.is_file():
            msg = message_from_bytes(path.read_bytes(), policy=default_policy)
            key = str(msg.get("X-Binome-Key", "")).strip()
            if key.startswith("digest/"):
                keys.append(key)
    return sorted(keys)


def test_digest_out_writes_eml_html_and_charts_without_sending(
        programme: Programme, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    out = tmp_path / "out"
    assert main(["digest", "--config", config, "--month", "2026-09", "--out", str(out),
                 "--at", "2026-09-20T09:00+02:00"]) == 0
    names = sorted(p.name for p in out.iterdir())
    for stem in ("2026-09-admin", "2026-09-george", "2026-09-hugo"):
        assert f"{stem}.eml" in names and f"{stem}.html" in names
        for chart in ("weekly", "ratings", "skills"):
            assert f"{stem}-{chart}.png" in names
            assert f'src="{stem}-{chart}.png"' in (out / f"{stem}.html").read_text()
        assert "cid:" in (out / f"{stem}.eml").read_text()
    assert sent_digests(programme) == []  # rendering sends nothing


def test_digest_send_sends_once_and_the_loop_does_not_send_again(
        programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    assert main(["digest", "--config", config, "--month", "2026-09", "--send",
                 "--at", "2026-09-30T18:00+02:00"]) == 0
    first = sent_digests(programme)
    assert first == ["digest/admin/2026-09", "digest/george@ex.fr/2026-09",
                     "digest/hugo@ex.fr/2026-09"]
    assert main(["digest", "--config", config, "--month", "2026-09", "--send",
                 "--at", "2026-09-30T19:00+02:00"]) == 0
    assert "0 digest(s) sent" in capsys.readouterr().out
    assert main(["tick", "--config", config, "--at", "2026-10-01T09:00+02:00"]) == 0
    assert sent_digests(programme) == first


def test_digest_needs_a_real_month_and_something_to_do(
        programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(programme.config)
    assert main(["digest", "--config", config, "--month", "2026-13", "--send"]) == 2
    assert "--month '2026-13'" in capsys.readouterr().err
    assert main(["digest", "--config", config, "--month", "2026-09"]) == 2
    assert "--out DIR" in capsys.readouterr().err


def test_the_admin_digest_says_in_its_language_why_each_person_waits(
        programme: Programme, tmp_path: Path) -> None:
    # Emma wants Python, which nobody teaches: she waits, and the admin (French) reads why.
    programme.write_roster(change={"emma@ex.fr": {"learns": "Python"}})
    config = str(programme.config)
    assert main(["tick", "--config", config, "--at", "2026-09-01T09:00+02:00"]) == 0
    out = tmp_path / "out"
    assert main(["digest", "--config", config, "--month", "2026-09", "--out", str(out),
                 "--at", "2026-09-20T09:00+02:00"]) == 0
    html = (out / "2026-09-admin.html").read_text(encoding="utf-8")
    assert "Emma Wilson (mentorat : aucun mentor n&#39;enseigne Python)" in html.replace(
        "&#x27;", "&#39;")
    assert "(mentoring)" not in html  # the format's name is the reader's, not the code's
