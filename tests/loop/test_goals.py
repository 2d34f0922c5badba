"""Goals for the cycle: the introduction asks, the learner replies, objectives carry them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from harness import HOUR, Run, reply_to, sent_mail

from agent.conversation.replies.goals import read_goals

if TYPE_CHECKING:
    from company import Programme


@pytest.mark.parametrize("text, goals", [
    ("Bonjour,\n\n1. Faire un TCD seule\n2) Automatiser mon reporting\n3 - Parler budget"
     "\n\nMerci !",
     ["Faire un TCD seule", "Automatiser mon reporting", "Parler budget"]),
    ("Hi,\n\n- Write SQL joins\n* Read a query plan\n\nThanks!",
     ["Write SQL joins", "Read a query plan"]),
    ("Voici mes objectifs :\nNégocier une remise sans céder\nPréparer un rendez-vous client\n"
     "Cordialement,\nNadia", ["Négocier une remise sans céder", "Préparer un rendez-vous client"]),
    # We ask for up to three; a fourth the person wrote is theirs (issue #14's blind corpus),
    # and five at most are kept.
    ("1. a\n2. b\n3. c\n4. d", ["a", "b", "c", "d"]),
    ("1. a\n2. b\n3. c\n4. d\n5. e\n6. f", ["a", "b", "c", "d", "e"]),
    ("1. ...\n2. ...\n3. ...", []),  # the template sent back unfilled
    ("Merci !", []),
    ("", []),
])
def test_goals_read_in_french_and_english(text: str, goals: list[str]) -> None:
    assert read_goals(text) == goals


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def test_introduction_once_per_member_and_goals_feed_the_objectives(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    run.tick(run.clock.now() + HOUR)  # a second tick: nothing more
    intros = {m.to: m for m in sent_mail(run.local, f"mail/intro/{pairing.id}/")}
    assert set(intros) == {"claire@ex.fr", "nadia@ex.fr"}
    nadia, claire = intros["nadia@ex.fr"], intros["claire@ex.fr"]
    assert nadia.language == "fr" and "Claire Martin" in nadia.subject
    assert ("Pourquoi : Claire Martin enseigne Négociation, que Nadia Benali souhaite apprendre"
            in nadia.text)
    assert "toutes les 2 semaines pendant 45 minutes" in nadia.text
    assert "Vos objectifs" in nadia.text and "Vos objectifs" not in claire.text  # she mentors
    emma = sent_mail(run.local, "mail/intro/", to="emma@ex.fr")[0]
    assert emma.language == "en" and "Your goals" in emma.text and "Why: Oliver Smith" in emma.text

    answer = reply_to(nadia, "nadia@ex.fr", "Bonjour,\n\n1. Négocier une remise sans céder\n"
                      "2. Préparer un rendez-vous client\n\nMerci !", "<goals-1@ex.fr>",
                      run.clock.now() + HOUR)
    run.deliver("goals", answer)
    first = series.occurrences()[0]
    run.until(first - timedelta(hours=2))
    assert run.agent.ledger.answers.goals(pairing.id) == {
        "nadia@ex.fr": ["Négocier une remise sans céder", "Préparer un rendez-vous client"]}
    objectives = {m.to: m for m in sent_mail(run.local, f"mail/objectives/{pairing.id}/")}
    text = objectives["nadia@ex.fr"].text.replace("\r\n", "\n")
    assert "Objectifs du cycle :\n- Négocier une remise sans céder\n" in text
    assert "Nadia : Négocier une remise sans céder" in objectives["claire@ex.fr"].text
    assert run.stored("quarantine") == {}  # the goals reply was understood, not set aside


def test_goals_with_a_skip_below_them_are_kept_and_the_skip_acts(run: Run) -> None:
    """A reply to the introduction that gives goals and asks to skip the first session
    (found in a blind corpus): the goals are recorded, and the first session is skipped."""
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    nadia = next(m for m in sent_mail(run.local, f"mail/intro/{pairing.id}/")
                 if m.to == "nadia@ex.fr")
    answer = reply_to(nadia, "nadia@ex.fr", "1. Négocier une remise sans céder\n"
                      "2. Préparer un rendez-vous client\n\nPour la première séance je suis "
                      "en congés, on peut la sauter svp ?", "<goals-skip@ex.fr>",
                      run.clock.now() + HOUR)
    run.deliver("goals-skip", answer)
    run.tick(run.clock.now() + 2 * HOUR)
    assert run.agent.ledger.answers.goals(pairing.id) == {
        "nadia@ex.fr": ["Négocier une remise sans céder", "Préparer un rendez-vous client"]}
    assert series.occurrences()[0] in run.series("nadia@ex.fr").cancelled
    assert run.stored("quarantine") == {}
