"""Public holidays: sessions avoid them; an occurrence that lands on one moves within its
week, or is skipped when that week has no free time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from fakes.local_client import LocalClient
from harness import Run, calendar, sent_mail

from agent.core.model import Interval, Participant
from agent.programme.holidays import (
    ZONE_REGIONS,
    country_of,
    inferred_regions,
    public_holidays,
    region_of,
    supported,
)
from agent.programme.roster import load_roster

PARIS = ZoneInfo("Europe/Paris")


def person(tz: str, **kw: Any) -> Participant:
    return Participant("a@x.fr", "A", frozenset({"mentee"}), timezone=tz, **kw)


def test_country_from_the_time_zone_and_regional_days() -> None:
    assert country_of(person("Europe/Paris")) == "FR"
    assert country_of(person("America/Montreal")) == "CA"  # a link, absent from zone1970.tab
    assert country_of(person("Europe/Paris", country="BE")) == "BE"
    assert country_of(person("Etc/UTC")) == ""
    year = (date(2027, 1, 1), date(2027, 12, 31))
    assert date(2027, 7, 14) in public_holidays(person("Europe/Paris"), *year)
    assert date(2027, 5, 6) in public_holidays(person("Europe/Paris"), *year)  # Ascension
    quebec = public_holidays(person("America/Montreal", region="QC"), *year)
    assert date(2027, 6, 24) in quebec  # Fête nationale du Québec
    # Montréal lies in Quebec: its zone says so without a region column...
    assert public_holidays(person("America/Montreal"), *year) == quebec
    assert date(2027, 5, 24) in quebec  # Journée nationale des patriotes
    # ...but Toronto's zone covers Ontario and most of Quebec, so it says nothing.
    assert date(2027, 6, 24) not in public_holidays(person("America/Toronto"), *year)
    # A region in the roster wins over the zone's.
    assert date(2027, 6, 24) not in public_holidays(
        person("America/Montreal", region="ON"), *year)
    # Good Friday and St Stephen's Day are holidays in Moselle (57) only.
    assert date(2027, 12, 26) in public_holidays(person("Europe/Paris", region="57"), *year)
    assert public_holidays(person("Etc/UTC"), *year) == set()


def test_roster_country_and_region_are_checked(tmp_path: Any) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("email;name;role;learns;pays;région\n"
                    "a@x.fr;A;mentee;SQL;FR;57\n"
                    "b@x.fr;B;mentee;SQL;XX;\n"
                    "c@x.fr;C;mentee;SQL;CA;ZZ\n", encoding="utf-8")
    result = load_roster(path, default_timezone="Europe/Paris", default_language="fr",
                         default_max_mentees=2)
    [a] = result.participants
    assert (a.country, a.region) == ("FR", "57")
    messages = [str(p) for p in result.problems]
    assert any("row 3" in m and "unknown country code 'XX'" in m for m in messages)
    assert any("row 4" in m and "unknown region 'ZZ' for country CA" in m for m in messages)


@pytest.mark.parametrize("start, day, holiday", [
    ("2027-04-01", "thu", date(2027, 5, 6)),  # Ascension Thursday
    ("2027-07-01", "wed", date(2027, 7, 14)),  # Fête nationale
])
def test_an_occurrence_on_a_french_holiday_is_skipped_for_the_french_pair_only(
    make_programme: Any, start: str, day: str, holiday: date
) -> None:
    programme = make_programme(start=start, edits={
        'days = ["mon", "tue", "wed", "thu", "fri"]': f'days = ["{day}"]',
        "every_weeks = 2 ": "every_weeks = 1 ",  # weekly mentoring: every such day is hit
    })
    run = Run(programme)
    run.clock.set(datetime.fromisoformat(start).replace(hour=7, tzinfo=PARIS))
    run.tick()
    french, english = run.series("nadia@ex.fr"), run.series("emma@ex.fr")
    french_days = [o.astimezone(PARIS).date() for o in french.occurrences()]
    english_days = [o.astimezone(ZoneInfo("Europe/London")).date()
                    for o in english.occurrences()]
    assert holiday not in french_days
    assert holiday in english_days  # not a holiday in England
    assert [o for o in french.cancelled if o.astimezone(PARIS).date() == holiday]

    # Every calendar shows it: expanded, the .ics has exactly the ledger's occurrences.
    for email in ("claire@ex.fr", "nadia@ex.fr"):
        events = recurring_ical_events.of(calendar(run.local, email)).between(
            french.start - timedelta(days=1), french.until + timedelta(days=1))
        expanded = sorted(e.decoded("DTSTART").astimezone(PARIS) for e in events
                          if str(e.get("X-BINOME-KEY", "")) == french.key)
        assert expanded == [o.astimezone(PARIS) for o in french.occurrences()]

    # And no objectives mail is sent for it.
    run.until(datetime.combine(holiday + timedelta(days=1), datetime.min.time(), PARIS),
              step=timedelta(hours=6))
    pairing = run.pairing("nadia@ex.fr")
    sent = sent_mail(run.local, f"mail/objectives/{pairing.id}/")
    dates = {datetime.fromisoformat(m.key.split("/")[3]).astimezone(PARIS).date() for m in sent}
    assert dates and holiday not in dates


def test_an_occurrence_on_a_holiday_moves_to_a_free_day_of_its_week(make_programme: Any) -> None:
    programme = make_programme(start="2027-07-01", edits={
        'days = ["mon", "tue", "wed", "thu", "fri"]': 'days = ["wed", "thu"]',
        "every_weeks = 2 ": "every_weeks = 1 ",
    })
    run = Run(programme)
    run.clock.set(datetime(2027, 7, 1, 7, tzinfo=PARIS))
    # Claire's team day is every Thursday, except the week of 14 July: Wednesday is the
    # only slot free every week, and that week's Wednesday is the Fête nationale.
    thursday = date(2027, 7, 1)
    while thursday < date(2027, 10, 1):
        if thursday != date(2027, 7, 15):
            LocalClient().own_event(
                run.agent.calendar, "claire@ex.fr", thursday, thursday + timedelta(days=1))
        thursday += timedelta(weeks=1)
    run.tick()

    series = run.series("nadia@ex.fr")
    assert {o.astimezone(PARIS).weekday() for o in series.occurrences()} == {2}
    [(original, new)] = series.moved
    assert original.astimezone(PARIS).date() == date(2027, 7, 14)
    assert new.astimezone(PARIS).date() == date(2027, 7, 15)
    assert series.cancelled == ()
    for email in ("claire@ex.fr", "nadia@ex.fr"):  # expanded as a calendar client would
        events = recurring_ical_events.of(calendar(run.local, email)).between(
            series.start - timedelta(days=1), series.until + timedelta(days=1))
        shown = sorted(e.decoded("DTSTART") for e in events
                       if str(e.get("X-BINOME-KEY", "")) == series.key)
        assert new in shown and original not in shown
        assert len(shown) == len(series.occurrences())

    run.until(datetime(2027, 7, 16, tzinfo=PARIS), step=timedelta(hours=6))
    pairing = run.pairing("nadia@ex.fr")
    [first, *_] = sent_mail(run.local, f"mail/objectives/{pairing.id}/{original.isoformat()}")
    assert new - timedelta(hours=30) <= first.date <= new


def test_every_zone_region_is_one_the_holidays_package_knows_in_that_zones_country() -> None:
    for zone, (country, region) in ZONE_REGIONS.items():
        assert supported(country, region), (zone, country, region)
        assert country_of(person(zone)) == country, zone
        assert region_of(person(zone)) == region
    # The zone's region only applies in its own country (a roster may say otherwise).
    assert region_of(person("America/Montreal", country="US")) == ""
    assert inferred_regions([person("America/Montreal"), person("America/Montreal"),
                             person("America/Montreal", region="QC"),
                             person("Europe/Paris")]) == {("America/Montreal", "CA", "QC"): 2}


def test_no_session_of_a_montreal_participant_falls_on_a_quebec_holiday(
    make_programme: Any, capsys: Any
) -> None:
    # Weekly on Thursdays from April 2027: 24 June, Quebec's Fête nationale, is a Thursday
    # (a working day in Paris, and for Canada as a whole).
    programme = make_programme(start="2027-04-01", edits={
        'days = ["mon", "tue", "wed", "thu", "fri"]': 'days = ["thu"]',
        "every_weeks = 2 ": "every_weeks = 1 ",
    })
    programme.write_roster(change={"nadia@ex.fr": {"timezone": "America/Montreal"}})
    run = Run(programme)
    run.clock.set(datetime(2027, 4, 1, 7, tzinfo=PARIS))
    run.tick()
    series = run.series("nadia@ex.fr")
    montreal = ZoneInfo("America/Montreal")
    quebec = public_holidays(Participant("q@x.ca", "Q", frozenset(), region="QC",
                                         timezone="America/Montreal"),
                             date(2027, 4, 1), date(2027, 7, 1))
    days = [start.astimezone(montreal).date()
            for _, start in series.sessions(Interval(series.start, series.until))]
    assert days and not set(days) & quebec
    assert date(2027, 6, 24) in {o.astimezone(montreal).date() for o in series.cancelled} | {
        o.astimezone(montreal).date() for o, _ in series.moved}
    # `binome check` says where Nadia's holidays come from.
    from agent.cli.main import main

    main(["check", "--config", str(programme.config)])
    assert ("holidays: 1 in America/Montreal get CA-QC's public holidays"
            in capsys.readouterr().out)
