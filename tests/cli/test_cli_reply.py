"""`binome reply parse FILE.eml [--json]`: what the agent understands of one message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.cli.main import main

CORPUS = Path(__file__).parents[1] / "conversation" / "replies"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["labelled_fr", "goals_gmail_fr_numbered", "stop_fr",
                                  "auto_ooo_fr_outlook", "gmail_fr_out_of_10"])
def test_json_is_what_the_corpus_expects(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reply", "parse", str(CORPUS / f"{name}.eml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED[name]


def test_text_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reply", "parse", str(CORPUS / "goals_outlook_en_bullets.eml")]) == 0
    out = capsys.readouterr().out
    assert "from sam.carter@acme.co.uk" in out
    assert "kind:           goals" in out
    assert "    - Run a sprint retro on my own" in out
    assert main(["reply", "parse", str(CORPUS / "apple_mail_en.eml")]) == 0
    out = capsys.readouterr().out
    assert "rating:         4" in out and "took place:     yes" in out
    assert "learned:        how to run a retrospective" in out


def test_unusable_files_are_reported_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reply", "parse", str(tmp_path / "absent.eml")]) == 2
    assert "absent.eml" in capsys.readouterr().err
    nobody = tmp_path / "nobody.eml"
    nobody.write_bytes(b"Subject: hi\r\n\r\nNote : 4\r\n")
    assert main(["reply", "parse", str(nobody)]) == 2
    err = capsys.readouterr().err
    assert "nobody.eml" in err and "From" in err


def test_as_a_command_it_writes_nothing(tmp_path: Path) -> None:
    message = tmp_path / "reply.eml"
    message.write_bytes((CORPUS / "oneclick_fr.eml").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli.main", "reply", "parse", str(message), "--json"],
        cwd=tmp_path, capture_output=True, text=True, check=True, encoding="utf-8",
    )
    assert json.loads(done.stdout)["rating"] == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reply.eml"]
