"""Nobody who has not seen our mail can act by mail (issue #15, defect 1).

Keys are built from the roster (pairing, date, email), and the roster's shape is
guessable: whoever knows it, and how ids used to be made (`sha256(key)[:24]`, the code is
public), could cite our Message-IDs without having seen one. Message-IDs are now an
HMAC of the key with the installation's secret (agent.core.secret); ids of mail sent
before that keep matching for a grace period, then no longer.

The real local backend and the simulated clock (tests/harness.py): Claire mentors Nadia,
Oliver mentors Emma.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import TYPE_CHECKING

from harness import HOUR, ORGANIZER, T0, Mail, Run, reply_to, sent_mail
from ticking import finish, tick

from agent.conversation.compose import message_id_for
from agent.core.keys import intro_key, mail_key, series_key
from agent.core.ledger.mail import GUESSABLE_GRACE
from agent.core.model import Pairing
from agent.core.records import SentMail
from agent.core.secret import FILE_NAME, reply_secret
from agent.core.store import Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from company import Programme

DOMAIN = ORGANIZER.split("@")[1]


def unkeyed(key: str) -> str:
    """A Message-ID as anyone could compute it from a key (how ids were made before)."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:24]}@{DOMAIN}>"


def forged_stop(sender: str, candidates: list[str], when: object) -> bytes:
    """A STOP from a participant's own address (no Authentication-Results failure), citing
    every id the attacker could compute; the attacker never saw any of our mail."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"Claire Martin <{sender}>"
    msg["To"] = ORGANIZER
    msg["Subject"] = "STOP"
    msg["Date"] = format_datetime(when)  # type: ignore[arg-type]
    msg["Message-ID"] = "<forged-1@evil.example>"
    msg["In-Reply-To"] = candidates[0]
    msg["References"] = " ".join(candidates)
    msg.set_content("STOP")
    return msg.as_bytes()


def attacker_candidates(run: Run, mentor: str) -> list[str]:
    """Ids of every mail the attacker can name from the roster: the pairings' ids follow
    from format, cycle and members, the dates from the cadence."""
    candidates = []
    for record in run.agent.ledger.pairings.everything():
        pairing = record.pairing
        if mentor not in pairing.members:
            continue
        guessed = Pairing.make_id(pairing.format, pairing.cycle, pairing.members)
        assert guessed == pairing.id  # what makes the attack possible at all
        series = run.agent.ledger.series.get(guessed)
        assert series is not None
        for email in pairing.members:
            candidates.append(unkeyed(intro_key(guessed, email)))
            for occ in series.occurrences()[:6]:
                for kind in ("objectives", "questionnaire", "reminder"):
                    candidates.append(unkeyed(mail_key(kind, guessed, occ, email)))
    return candidates


def test_a_stop_citing_every_computable_message_id_changes_nothing(programme: Programme) -> None:
    run = Run(programme)
    run.tick()
    first = run.series("nadia@ex.fr").occurrences()[0]
    run.until(first + 3 * HOUR)  # intros, objectives and questionnaires went out
    candidates = attacker_candidates(run, "claire@ex.fr")
    assert len(candidates) >= 26

    run.deliver("2000.forged", forged_stop("claire@ex.fr", candidates, run.clock.now()))
    run.clock.advance(HOUR)
    report = run.agent.tick()

    assert report.replies_read == 1
    ledger = run.agent.ledger
    assert ledger.people.optout("claire@ex.fr") is None
    assert [r.status for r in ledger.pairings.everything()] == ["active", "active"]
    # Matched to none of our mail, the STOP is only asked back at the roster address (#14):
    # the real Claire's yes would carry a token the attacker cannot compute.
    [asked] = sent_mail(run.local, "mail/ask/")
    assert asked.to == "claire@ex.fr"
    assert sent_mail(run.local, "mail/confirm/") == []
    # The real ids are not among the computed ones.
    assert not {m.message_id for m in sent_mail(run.local)} & set(candidates)


def test_message_ids_are_an_hmac_of_the_key_with_the_installations_secret(
    programme: Programme,
) -> None:
    run = Run(programme)
    run.tick()
    secret = reply_secret(run.settings.state_dir)
    mails = sent_mail(run.local, "mail/intro/")
    assert len(mails) == 4
    for mail in mails:
        assert mail.message_id == message_id_for(mail.key, DOMAIN, secret)
        assert mail.message_id != unkeyed(mail.key)


def test_two_installations_with_the_same_files_send_different_message_ids(
    make_programme: Callable[..., Programme],
) -> None:
    one, two = Run(make_programme(folder="one")), Run(make_programme(folder="two"))
    one.tick(T0)
    two.tick(T0)

    first = {m.key: m.message_id for m in sent_mail(one.local)}
    second = {m.key: m.message_id for m in sent_mail(two.local)}
    assert set(first) == set(second) and len(first) == 4  # the same mails, keyed alike...
    assert not set(first.values()) & set(second.values())  # ...under different ids


def test_a_tick_killed_at_random_then_resumed_sends_each_mail_once_under_the_same_id(
    programme: Programme,
) -> None:
    rng = random.Random(15)
    at = T0
    kills = 0
    for _ in range(4):
        proc = tick(programme.config, at)
        try:
            proc.wait(timeout=rng.uniform(0.8, 2.5))
            finish(proc)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate()
            kills += 1
    finish(tick(programme.config, at))
    secret = (programme.state / FILE_NAME).read_bytes()
    state = Store(programme.state, readonly=True)
    assert list(state.all("pending")) == []

    sent = sent_mail(programme.settings().local_dir)
    assert sorted(m.key.split("/")[1] for m in sent) == ["intro"] * 4
    assert Counter(m.key for m in sent).most_common(1)[0][1] == 1  # each once
    for mail in sent:  # the id every process on this state computes, before or after a kill
        assert mail.message_id == message_id_for(mail.key, DOMAIN, secret)
    print(f"\n{kills} of 4 ticks killed before the last one")


def legacy_reply(run: Run, email: str, message_id: str) -> bytes:
    """A reply to a questionnaire that an older version sent under `message_id` (quoting
    neither a token nor anything else of ours but its words)."""
    now = run.clock.now()
    old = Mail("", email, ORGANIZER, "Questionnaire", message_id, now - 2 * HOUR,
               "Comment s'est passée la séance ?\n", "", "fr")
    return reply_to(old, email, "Note : 4", f"<legacy-{now:%s}@ex.fr>", now)


def test_mail_sent_under_the_old_ids_is_matched_during_the_grace_period_only(
    programme: Programme,
) -> None:
    run = Run(programme)
    run.tick()
    pairing = run.pairing("nadia@ex.fr")
    series = run.series("nadia@ex.fr")
    run.until(series.occurrences()[0] + series.duration + 3 * HOUR)
    # What an older version indexed when it sent two questionnaires: their unkeyed ids.
    ledger = run.agent.ledger
    old = {}
    for occ in series.occurrences()[:2]:
        key = mail_key("questionnaire", pairing.id, occ, "nadia@ex.fr")
        old[occ] = unkeyed(key)
        ledger.messages.index(old[occ], "B-" + hashlib.sha256(key.encode()).hexdigest()[:8],
                              SentMail("questionnaire", key, pairing.id, "nadia@ex.fr", occ),
                              run.clock.now())
    ledger.flush()
    first, second = series.occurrences()[:2]

    run.deliver("3000.legacy", legacy_reply(run, "nadia@ex.fr", old[first]))
    run.clock.advance(HOUR)
    assert run.agent.tick().replies_read == 1
    assert ledger.answers.answered(pairing.id, first, "nadia@ex.fr")

    run.clock.advance(GUESSABLE_GRACE + HOUR)
    run.agent.tick()
    run.deliver("3001.legacy", legacy_reply(run, "nadia@ex.fr", old[second]))
    run.clock.advance(HOUR)
    run.agent.tick()
    assert not ledger.answers.answered(pairing.id, second, "nadia@ex.fr")
    [aside] = [q for q in ledger.quarantine.everything() if q.ref == "3001.legacy"]
    assert "not a reply to one of our messages" in aside.reason


def test_keyed_ids_are_not_retired_with_the_guessable_ones(programme: Programme) -> None:
    run = Run(programme)
    run.tick()
    series = run.series("nadia@ex.fr")
    pairing = run.pairing("nadia@ex.fr")
    run.until(series.occurrences()[0] + series.duration + 3 * HOUR)
    [mail] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="nadia@ex.fr")
    run.clock.advance(GUESSABLE_GRACE + timedelta(days=1))
    run.agent.tick()
    assert run.agent.ledger.messages.lookup(mail.message_id) is not None
    assert run.agent.ledger.journal.done(series_key(pairing.id))
