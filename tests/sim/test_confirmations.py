"""A simulated month where people answer the objectives with commands they are not sure
of ("je crois que je vais devoir mettre le mentorat en pause jusqu'au ...", "can we skip
Monday's session?"): the agent asks each of them back in their language, they say yes
by mail, and only then does the command act and get confirmed. One run (the real agent,
the local backend, the simulated people), one test per language.
"""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from agent.conversation.replies.parse import parse_reply
from agent.core.store import Store
from agent.programme.settings import load_settings
from agent.sim.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Message:
    key: str
    to: str
    sender: str
    message_id: str
    in_reply_to: str
    date: datetime
    language: str
    subject: str
    raw: bytes


def _messages(folder: Path) -> list[Message]:
    found = []
    box = mailbox.Maildir(folder, factory=None, create=False)
    for key in box.keys():
        raw = box.get_bytes(key)
        msg = message_from_bytes(raw, policy=default_policy)
        assert isinstance(msg, EmailMessage)
        found.append(Message(
            str(msg.get("X-Binome-Key", "")).strip(), str(msg["To"]), str(msg["From"]),
            str(msg["Message-ID"]), str(msg.get("In-Reply-To", "")),
            parsedate_to_datetime(str(msg["Date"])), str(msg.get("Content-Language", "")),
            str(msg["Subject"]), raw))
    return sorted(found, key=lambda m: (m.date, m.key))


@dataclass(frozen=True)
class Sim:
    out: Path
    sent: list[Message]  # by the agent
    replies: list[Message]  # by the people


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    settings, _ = load_settings(ROOT / "config" / "example.toml")
    out = tmp_path_factory.mktemp("confirm") / "sim"
    # Everyone answers their first objectives with a command they are not sure of.
    simulate(settings, out, months=1, seed=7, likely_rate=1.0)
    return Sim(out, _messages(out / "mail"), _messages(out / "inbox"))


def _round_trip(sim: Sim, language: str) -> list[str]:
    """Who went through: likely command -> our question -> their yes -> the action and
    its confirmation, in `language`; each step checked on the mail and in the ledger."""
    store = Store(sim.out / "state", readonly=True)
    optout = dict(store.all("optout"))
    skips = [doc for _, doc in store.all("skips")]
    done = []
    for asked in (m for m in sim.sent if m.key.startswith("mail/ask/")):
        likely = [r for r in sim.replies if r.message_id == asked.in_reply_to]
        yes = [r for r in sim.replies if r.in_reply_to == asked.message_id]
        if asked.language != language or not likely or not yes:
            continue
        first = parse_reply(likely[0].raw)
        assert (first.kind, first.sure) == ("command", False), likely[0].subject
        assert first.command in ("pause", "skip")
        assert ("confirmez-vous" if language == "fr" else "please confirm") in asked.subject
        [confirm] = [m for m in sim.sent if m.key.startswith("mail/confirm/")
                     and m.in_reply_to == yes[0].message_id]
        assert confirm.language == language and confirm.date >= yes[0].date
        person = asked.to
        if first.command == "pause":
            assert optout.get(person, {}).get("mode") == "pause" or "pause" in confirm.subject
        else:
            assert any(d.get("by") == person for d in skips) or "annul" in confirm.subject \
                or "cancel" in confirm.subject
        done.append(person)
    return done


def test_likely_commands_round_trip_in_french(sim: Sim) -> None:
    assert _round_trip(sim, "fr")


def test_likely_commands_round_trip_in_english(sim: Sim) -> None:
    assert _round_trip(sim, "en")


def test_no_likely_command_acts_before_its_yes(sim: Sim) -> None:
    """Every confirmation (a command that acted) answers a sure command, or a yes to our
    question; never a likely command itself."""
    asks = {m.message_id for m in sim.sent if m.key.startswith("mail/ask/")}
    by_id = {r.message_id: r for r in sim.replies}
    confirms = [m for m in sim.sent if m.key.startswith("mail/confirm/")]
    assert confirms
    for confirm in confirms:
        cause = by_id[confirm.in_reply_to]
        if cause.in_reply_to not in asks:
            assert parse_reply(cause.raw).sure, cause.subject
    store = Store(sim.out / "state", readonly=True)
    assert not [q for _, q in store.all("quarantine") if "command" in q["reason"]]
