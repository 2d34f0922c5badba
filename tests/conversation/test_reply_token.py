"""Reply tokens are an HMAC of the action key with the installation's secret."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from harness import HOUR, Run, reply_to, sent_mail

from agent.conversation.messages import reply_token
from agent.conversation.replies.intent import find_token
from agent.core.errors import UserError
from agent.core.model import short_hash
from agent.core.secret import FILE_NAME, reply_secret

if TYPE_CHECKING:
    from company import Programme


def test_the_secret_is_made_once_private_and_kept(tmp_path: Path) -> None:
    first = reply_secret(tmp_path / "state")
    path = tmp_path / "state" / FILE_NAME
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert reply_secret(tmp_path / "state") == first  # a restart reads the same secret
    assert reply_secret(tmp_path / "other") != first  # each installation has its own
    assert [p.name for p in (tmp_path / "state").iterdir()] == [FILE_NAME]  # no leftovers


def test_a_damaged_secret_is_reported_not_replaced(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"short")
    with pytest.raises(UserError, match="expected 32 bytes"):
        reply_secret(tmp_path)
    assert (tmp_path / FILE_NAME).read_bytes() == b"short"


def test_the_token_depends_on_the_secret_not_only_on_the_key() -> None:
    key = "mail/questionnaire/p1/2026-09-08T08:00:00+00:00/nadia@ex.fr"
    one, two = os.urandom(32), os.urandom(32)
    token = reply_token(key, one)
    assert token == reply_token(key, one)
    assert token != reply_token(key, two)
    assert token != "B-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    assert len(token) == 2 + 12
    assert find_token(f"Re: Questionnaire [{token}]") == token
    assert find_token("ref. B-1a2b3c4d") == "B-1a2b3c4d"  # tokens sent before the HMAC
    assert find_token("B-1a2b3c4d5e") is None  # neither 8 nor 12 digits


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def _questionnaire(run: Run) -> tuple[str, bytes]:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    run.until(series.occurrences()[0] + series.duration + 2 * HOUR)
    [question] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="nadia@ex.fr")
    raw = reply_to(question, "nadia@ex.fr", "Note : 4", "<r1@ex.fr>", run.clock.now())
    # A client that dropped the threading headers: only the subject's token is left.
    raw = b"\r\n".join(line for line in raw.split(b"\r\n")
                       if not line.startswith((b"In-Reply-To:", b"References:")))
    return question.subject, raw


def test_a_reply_without_headers_is_matched_by_its_hmac_token(run: Run) -> None:
    subject, raw = _questionnaire(run)
    secret = (run.settings.state_dir / FILE_NAME).read_bytes()
    token = find_token(subject)
    assert token is not None and len(token) == 14
    assert token in {reply_token(k, secret) for k in run.stored("actions")}
    run.deliver("r1", raw)
    run.tick(run.clock.now() + HOUR)
    [doc] = run.stored("feedback").values()
    assert doc["sender"] == "nadia@ex.fr" and doc["rating"] == 4


def test_a_token_forged_from_the_key_alone_matches_nothing(run: Run) -> None:
    subject, raw = _questionnaire(run)
    token = find_token(subject)
    assert token is not None
    [key] = [k for k in run.stored("actions")
             if k.startswith("mail/questionnaire/") and k.endswith("nadia@ex.fr")]
    forged = "B-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    run.deliver("r1", raw.replace(token.encode(), forged.encode()))
    run.tick(run.clock.now() + HOUR)
    assert run.stored("feedback") == {}
    [why] = [d["reason"] for d in run.stored("quarantine").values()]
    assert "not a reply" in why


def test_a_token_sent_before_the_upgrade_still_finds_its_questionnaire(run: Run) -> None:
    subject, raw = _questionnaire(run)
    token = find_token(subject)
    assert token is not None
    # What the agent indexed before tokens were HMACs: the plain hash of the key.
    [key] = [k for k in run.stored("actions")
             if k.startswith("mail/questionnaire/") and k.endswith("nadia@ex.fr")]
    old = "B-" + short_hash(key, length=8)
    info = run.agent.ledger.messages.lookup(token)
    pointer = run.agent.ledger.store.get("messages", token)
    assert info is not None and pointer is not None
    run.agent.ledger.messages.index(pointer["message_id"], old, info, run.clock.now())
    run.deliver("r1", raw.replace(token.encode(), old.encode()))
    run.tick(run.clock.now() + HOUR)
    [doc] = run.stored("feedback").values()
    assert doc["sender"] == "nadia@ex.fr" and doc["rating"] == 4
