"""What matching learns from the ledger: recent pairs, who withdrew, the ratings mentors got."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from agent.core.ledger import Ledger
from agent.core.model import Feedback, Pairing, Response, Series
from agent.core.records import RenewalAnswer
from agent.core.store import Store
from agent.programme.matching.rules import pair_of
from agent.programme.matchinput import policy_for, previous_cycles
from agent.programme.planner import declined_reason

if TYPE_CHECKING:
    from company import Programme

AT = datetime(2026, 9, 1, 8, tzinfo=UTC)


def pairing(fmt: str, cycle: str, *members: str) -> Pairing:
    return Pairing(Pairing.make_id(fmt, cycle, members), fmt, cycle, members, ("SQL",))  # type: ignore[arg-type]


def series_for(p: Pairing, until: datetime) -> Series:
    return Series(f"series/{p.id}", "t", "", p.members[0], p.members, until - timedelta(weeks=12),
                  timedelta(hours=1), "Europe/Paris", 2, until)


def test_policy_from_the_history(programme: Programme) -> None:
    settings = programme.settings()  # cycles of 3 months, rotation over 1 cycle
    ledger = Ledger(Store(settings.state_dir))
    last = pairing("mentoring", "2026-06-01", "ann@x.fr", "bob@x.fr")
    older = pairing("pair", "2026-03-01", "cat@x.fr", "dan@x.fr")
    stopped = pairing("mentoring", "2026-06-01", "eve@x.fr", "fay@x.fr")
    declined = pairing("mentoring", "2026-06-01", "gus@x.fr", "hal@x.fr")
    kept = pairing("mentoring", "2026-06-01", "ivy@x.fr", "jon@x.fr")
    healed = pairing("pair", "2026-06-01", "kim@x.fr", "lou@x.fr")
    for p in (last, older, stopped, declined, kept, healed):
        ledger.pairings.save(p, AT)
        ledger.series.save(p.id, series_for(p, AT))
    # Rotation keeps apart only those who asked for a change: Bob did, Ivy and Jon did
    # not answer (continue, in mentoring).
    ledger.progress.answer(RenewalAnswer(last.id, "2026-09-01", "bob@x.fr", "change",
                                         AT - timedelta(days=10)))
    ledger.pairings.close(stopped.id, "ended", AT, "eve@x.fr replied STOP")
    ledger.pairings.close(healed.id, "ended", AT, declined_reason("lou@x.fr"))
    for week in range(3):
        occ = AT + timedelta(weeks=week)
        ledger.responses.record(Response(f"series/{declined.id}", "gus@x.fr", occ, "declined"))
        ledger.responses.record(Response(f"series/{last.id}", "ann@x.fr", occ,
                                        "declined" if week == 0 else "accepted"))
    for i, (sender, rating) in enumerate([("bob@x.fr", 5), ("bob@x.fr", 4), ("ann@x.fr", 1)]):
        # One answer per person and session (a second one corrects the first): two sessions.
        occ = AT + timedelta(weeks=2 * (i % 2))
        ledger.answers.record_feedback(Feedback(f"<m{i}@x>", sender, last.id, occ, rating, "",
                                                AT))

    policy = policy_for(settings, ledger, "2026-09-01")

    assert previous_cycles(settings, "2026-09-01", 2) == {"2026-06-01", "2026-03-01"}
    assert pair_of("ann@x.fr", "bob@x.fr") in policy.recent
    assert pair_of("ivy@x.fr", "jon@x.fr") not in policy.recent
    assert pair_of("cat@x.fr", "dan@x.fr") not in policy.recent  # two cycles ago
    assert policy.withdrawn == {"eve@x.fr", "gus@x.fr"}  # ann declined once only
    assert policy.ratings == {"ann@x.fr": 4.5}  # what her mentee said, not her own answer
    # Lou declined the whole series with Kim: kept apart for good, and said to be so
    assert pair_of("kim@x.fr", "lou@x.fr") in policy.forbidden
    assert policy.declined == {pair_of("kim@x.fr", "lou@x.fr")}
