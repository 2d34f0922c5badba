"""One month of programme history written by hand into a real Store, for the digest tests.

October 2026, organisation zone Europe/Paris. Teams: Bea Roux manages Ana and Ben;
Olga Petit manages Cleo; Max is an outside mentor with no manager in the programme.

- P1, mentoring, Max mentors Ana (Négociation), weekly on Tuesdays 10:00:
  6 Oct held, 13 Oct declined by Ana, 20 Oct cancelled (EXDATE), 27 Oct missed
  (Ana answered that it did not take place).
- P2, learning pair Ben + Cleo (Excel, SQL), every two weeks on Thursdays 14:00:
  1, 15 and 29 Oct, all held.

Questionnaires sent in October (done): Ana 2 (6 and 27 Oct), Max 1, Ben 3, Cleo 3.
Feedback received in October: Ana 4/5 (learned "préparer une négociation salariale")
and held=False for 27 Oct; Ben 5/5 and 3/5; Cleo 5/5. Max and Cleo answered
nothing else. In September Ana gave 2/5 (her trend is up by 2).

Bea Roux (Ana's and Ben's manager) is in the roster and wants to learn Design, which
nobody teaches. One inbound mail was quarantined and one action failed in October.
The figures these give, worked out by hand, are in tests/digest/test_digest_figures.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from agent.core.docs import iso
from agent.core.keys import mail_key, series_key
from agent.core.ledger import Ledger
from agent.core.model import Feedback, Interval, Pairing, Participant, Response, Series
from agent.core.store import Store
from agent.digest.figures import month_window

PARIS = ZoneInfo("Europe/Paris")
MONTH = "2026-10"
NOW = datetime(2026, 11, 1, 8, 0, tzinfo=PARIS)

ANA, BEN, CLEO, MAX = "ana@ex.fr", "ben@ex.fr", "cleo@ex.fr", "max@ex.fr"
BEA, OLGA = "bea@ex.fr", "olga@ex.fr"


def person(email: str, name: str, manager: str | None, lang: str = "fr",
           learns: tuple[str, ...] = (), teaches: tuple[str, ...] = ()) -> Participant:
    roles = frozenset({"peer"} if teaches and learns else {"mentor"} if teaches else {"mentee"})
    return Participant(email=email, name=name, roles=roles,  # type: ignore[arg-type]
                       teaches=teaches, learns=learns, manager_email=manager,
                       language=lang)  # type: ignore[arg-type]


PEOPLE = {
    ANA: person(ANA, "Ana Dupont", BEA, learns=("Négociation",)),
    BEN: person(BEN, "Ben Martin", BEA, learns=("SQL",), teaches=("Excel",)),
    CLEO: person(CLEO, "Cleo Nguyen", OLGA, "en", learns=("Excel",), teaches=("SQL",)),
    MAX: person(MAX, "Max Leroy", None, teaches=("Négociation",)),
    BEA: person(BEA, "Bea Roux", None, "en", learns=("Design",)),
    OLGA: person(OLGA, "Olga Petit", None),
}

P1 = Pairing("m-1", "mentoring", "2026-09-01", (MAX, ANA), ("Négociation",))
P2 = Pairing("p-2", "pair", "2026-09-01", (BEN, CLEO), ("Excel", "SQL"))


def paris(day: int, hour: int, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS).astimezone(UTC)


def _series(p: Pairing, first: datetime, weeks: int, cancelled: tuple[datetime, ...] = ()
            ) -> Series:
    return Series(key=series_key(p.id), title=p.id, description="", organizer="b@ex.fr",
                  attendees=p.members, start=first, duration=timedelta(minutes=45),
                  timezone="Europe/Paris", interval_weeks=weeks,
                  until=datetime(2026, 12, 1, tzinfo=PARIS), cancelled=cancelled)


def _done(store: Store, key: str, at: datetime) -> None:
    store.begin(key, "mail", {}, at)
    store.finish(key, at, ref="ok")


def _feedback(ledger: Ledger, mid: str, sender: str, p: Pairing, occ: datetime,
              rating: int | None, learned: str = "", held: bool | None = True) -> None:
    ledger.answers.record_feedback(Feedback(
        message_id=mid, sender=sender, pairing=p.id, occurrence=occ, rating=rating, text="",
        received=occ + timedelta(hours=3), held=held, learned=learned,
        extra={"to_develop": "conclure" if sender == ANA else ""}))


def build(folder: Path) -> Ledger:
    store = Store(folder)
    ledger = Ledger(store)
    for p in (P1, P2):
        ledger.pairings.save(p, paris(1, 9, month=9))
    s1 = _series(P1, paris(29, 10, month=9), 1, cancelled=(paris(20, 10),))  # Tue 29 Sep
    s2 = _series(P2, paris(17, 14, month=9), 2)  # Thu 17 Sep, then 1, 15, 29 Oct
    for p, s in ((P1, s1), (P2, s2)):
        ledger.series.save(p.id, s)
        _done(store, s.key, paris(1, 9, month=9))
    assert [o.day for o in s1.occurrences(_october())] == [6, 13, 27]
    assert [o.day for o in s2.occurrences(_october())] == [1, 15, 29]
    ledger.responses.record(Response(s1.key, ANA, paris(13, 10), "declined"))
    ledger.responses.record(Response(s2.key, CLEO, paris(15, 14), "accepted"))
    for who, occ in ((ANA, paris(6, 10)), (MAX, paris(6, 10)), (ANA, paris(27, 10))):
        _done(store, mail_key("questionnaire", P1.id, occ, who), occ + timedelta(hours=1))
    for day in (1, 15, 29):
        for who in (BEN, CLEO):
            occ = paris(day, 14)
            _done(store, mail_key("questionnaire", P2.id, occ, who), occ + timedelta(hours=1))
    _feedback(ledger, "<f1>", ANA, P1, paris(6, 10), 4, "préparer une négociation salariale")
    _feedback(ledger, "<f2>", ANA, P1, paris(27, 10), None, held=False)
    _feedback(ledger, "<f3>", BEN, P2, paris(1, 14), 5, "les jointures SQL")
    _feedback(ledger, "<f4>", BEN, P2, paris(15, 14), 3)
    _feedback(ledger, "<f5>", CLEO, P2, paris(15, 14), 5, "pivot tables")
    _feedback(ledger, "<f0>", ANA, P1, paris(29, 10, month=9), 2)  # September: for the trend
    ledger.answers.set_goals(P1.id, ANA, ["Mener une négociation salariale", "Parler en public"])
    store.put("quarantine", "<q1>", {"reason": "no session found", "at": iso(paris(9, 9))},
              month=MONTH)
    store.begin("mail/notice/x", "mail", {}, paris(10, 9))
    store.finish("mail/notice/x", paris(10, 9), status="failed", error="mailbox full")
    store.flush()
    return ledger


def _october() -> Interval:
    return month_window(MONTH, "Europe/Paris")
