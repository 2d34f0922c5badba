"""At most one reminder for a questionnaire left unanswered; answering either counts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from harness import HOUR, Run, reply_to, sent_mail

if TYPE_CHECKING:
    from company import Programme


@pytest.fixture
def run(programme: Programme) -> Run:
    return Run(programme)


def test_one_reminder_only_to_whoever_has_not_answered(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("emma@ex.fr"), run.series("emma@ex.fr")
    first = series.occurrences()[0]
    run.until(first + series.duration + 2 * HOUR)
    [to_oliver] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="oliver@ex.fr")
    run.deliver("oliver", reply_to(to_oliver, "oliver@ex.fr", "1. Yes\n2. 5\n3. Joins",
                                   "<fb-oliver@ex.fr>", run.clock.now(), lang="en"))
    run.until(first + series.duration + 80 * HOUR, step=2 * HOUR)

    reminders = sent_mail(run.local, f"mail/reminder/{pairing.id}/")
    assert [m.to for m in reminders] == ["emma@ex.fr"]  # Oliver answered: no reminder
    [reminder] = reminders
    [asked] = sent_mail(run.local, f"mail/questionnaire/{pairing.id}/", to="emma@ex.fr")
    assert timedelta(hours=48) <= reminder.date - asked.date < timedelta(hours=51)
    assert reminder.subject.startswith("Reminder · ") and "A short reminder" in reminder.text

    # Emma answers the reminder: it counts as her feedback on that session.
    run.deliver("emma", reply_to(reminder, "emma@ex.fr", "1. Yes\n2. 4\n3. Indexes",
                                 "<fb-emma@ex.fr>", run.clock.now(), lang="en"))
    run.until(run.clock.now() + 10 * HOUR, step=2 * HOUR)
    feedback = {doc["sender"]: doc for doc in run.stored("feedback").values()}
    assert feedback["emma@ex.fr"]["rating"] == 4 and feedback["oliver@ex.fr"]["rating"] == 5
    assert len(sent_mail(run.local, f"mail/reminder/{pairing.id}/")) == 1  # never a second
