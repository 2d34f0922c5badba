"""Other people's busy time on a CalDAV server: its scheduling outbox, else the calendars
the programme account can read.

Terms:
- *outbox*: the programme principal's schedule-outbox-URL (RFC 6638 section 2.2). A
  VFREEBUSY REQUEST posted there (section 5) is answered per attendee: request-status
  2.x with the busy periods the server knows of them, 3.7 (not a calendar user here) or
  3.8 (no authority to tell) otherwise.
- *readable calendar*: a calendar collection of someone else that the programme account
  may read: one shared into its own calendar home (Nextcloud, SOGo), or one under another
  principal it may list (Radicale, with a rights file granting it read access). Its
  *owner* (DAV:owner, else the principal it lives under) is matched to a person by a
  mailto: address in the owner's calendar-user-address-set (RFC 6638 2.4.1), else by
  their login, the principal's last path segment: the whole address or the part before @.

Each person is asked of the outbox first; the people it does not answer for are read
from their readable calendars; anyone else is free (the slot search keeps to working
hours, and a decline moves a session). In a readable calendar an event is busy time
unless it is transparent, cancelled, declined by its owner, or a copy of one of our own
series (the programme's calendar counts those, with the answers). An all-day event is
busy for the whole day (UTC). What was found out about the server (its outbox, who owns
which calendar) is kept for `REFRESH` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import recurring_ical_events
from icalendar import Calendar as ICalendar
from icalendar import Event, FreeBusy

from agent.core.model import Interval, short_hash
from agent.providers.base import clipped

log = logging.getLogger("binome")

DAV, CAL = "DAV:", "urn:ietf:params:xml:ns:caldav"
REFRESH = 15 * 60.0
_PROPS = ("<d:resourcetype/><d:owner/><c:calendar-home-set/><c:calendar-user-address-set/>"
          "<c:schedule-outbox-URL/><d:principal-collection-set/>")
_PROPFIND = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
             f'xmlns:c="{CAL}"><d:prop>{_PROPS}</d:prop></d:propfind>')
_QUERY = ('<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" '
          f'xmlns:c="{CAL}"><d:prop><c:calendar-data/></d:prop><c:filter>'
          '<c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">'
          '<c:time-range start="{start}" end="{end}"/></c:comp-filter></c:comp-filter>'
          '</c:filter></c:calendar-query>')


@dataclass(frozen=True)
class Readable:
    """A calendar of someone else the programme may read, and who they are."""

    url: str
    addresses: frozenset[str]  # from the owner's calendar-user-address-set, lower-case
    login: str  # the owner principal's last path segment, lower-case

    def belongs_to(self, email: str, logins: Mapping[str, int]) -> bool:
        """Whether `email` owns it (`logins`: how many people asked share each local part)."""
        local = email.partition("@")[0]
        return (email in self.addresses or self.login == email
                or (self.login == local and logins.get(local, 0) == 1))


@dataclass
class Found:
    """What the server told about itself, and when (time.monotonic())."""

    outbox: str | None
    organizer: str
    calendars: list[Readable]
    at: float


class OthersBusy:
    """Busy time of people other than the programme, asked of one CalDAV account."""

    def __init__(self, programme_email: str = "") -> None:
        self.programme_email = programme_email  # the ORGANIZER when the server names none
        self._found: Found | None = None

    def describe(self, collection: Any) -> str:
        """How others' busy time is known here, for `binome check`."""
        found = self._survey(collection.client, str(collection.url))
        owners = sorted({c.login for c in found.calendars})
        shown = ", ".join(owners[:5]) + (f" and {len(owners) - 5} more" if len(owners) > 5
                                         else "")
        readable = (f"{len(found.calendars)} calendar(s) of {len(owners)} other user(s) "
                    f"readable ({shown})" if owners else "no calendar of anyone else readable")
        outbox = ("asked of the scheduling outbox (RFC 6638), then " if found.outbox
                  else "no scheduling outbox; ")
        return (f"free/busy: {outbox}{readable}; anyone else counts as free within working "
                "hours")

    def busy(self, collection: Any, people: Sequence[str], window: Interval, now: datetime,
             ours: Mapping[str, Sequence[Interval]], own_uids: set[str]
             ) -> dict[str, list[Interval]]:
        """Each person's busy time in `window` from the outbox or the readable calendars
        (`ours`: our own sessions, which the outbox also counts; `own_uids`: their UIDs)."""
        client = collection.client
        found = self._survey(client, str(collection.url))
        busy: dict[str, list[Interval]] = {}
        if found.outbox is not None and people:
            answered = self._ask_outbox(client, found, people, window, now)
            for person, periods in answered.items():
                # The server counts our sessions too (a copy in the person's calendar).
                mine = set(ours.get(person, ()))
                busy[person] = [p for p in periods if p not in mine]
        rest = [p for p in people if p not in busy]
        logins: dict[str, int] = {}
        for person in rest:
            local = person.partition("@")[0]
            logins[local] = logins.get(local, 0) + 1
        for person in rest:
            calendars = [c for c in found.calendars if c.belongs_to(person, logins)]
            if calendars:
                busy[person] = self._read(client, calendars, person, window, own_uids)
        return busy

    # -- what the server is ----------------------------------------------------------------
    def _survey(self, client: Any, own: str) -> Found:
        if self._found is not None and time.monotonic() - self._found.at < REFRESH:
            return self._found
        principal = str(client.principal().url)
        me = _propfind(client, principal, 0).get(_path(principal), (principal, {}))[1]
        mailto = [a for a in _hrefs(me, CAL, "calendar-user-address-set")
                  if a.lower().startswith("mailto:")]
        outbox = next(iter(_hrefs(me, CAL, "schedule-outbox-URL")), None)
        # calendar home -> the principal it belongs to (a path)
        homes = {urljoin(principal, h): _path(principal)
                 for h in _hrefs(me, CAL, "calendar-home-set")}
        owners: dict[str, Props] = {_path(principal): me}
        for listing in _hrefs(me, DAV, "principal-collection-set"):
            for path, (url, props) in _propfind(client, urljoin(principal, listing), 1).items():
                if path == _path(principal) or ("principal", DAV) not in _kinds(props):
                    continue
                # Asked of the principal itself: in a listing, Radicale names the listed
                # collection as everyone's calendar-home-set.
                owners[path] = _propfind(client, url, 0).get(path, (url, props))[1]
                for home in _hrefs(owners[path], CAL, "calendar-home-set") or [url]:
                    homes.setdefault(urljoin(principal, home), path)
        calendars = []
        for home, owner in homes.items():
            for path, (url, props) in _propfind(client, home, 1).items():
                if ("calendar", CAL) not in _kinds(props) or path == _path(own):
                    continue
                named = _hrefs(props, DAV, "owner")
                whose = _path(urljoin(principal, named[0])) if named else owner
                if whose == _path(principal):
                    continue  # the programme's own calendars
                if whose not in owners:
                    target = urljoin(principal, quote(whose))
                    owners[whose] = _propfind(client, target, 0).get(whose, (target, {}))[1]
                addresses = frozenset(
                    a.lower().removeprefix("mailto:")
                    for a in _hrefs(owners[whose], CAL, "calendar-user-address-set")
                    if a.lower().startswith("mailto:"))
                calendars.append(Readable(url, addresses,
                                          whose.rstrip("/").rpartition("/")[2].lower()))
        self._found = Found(urljoin(principal, outbox) if outbox else None,
                            mailto[0] if mailto else "", calendars, time.monotonic())
        return self._found

    # -- the outbox ------------------------------------------------------------------------
    def _ask_outbox(self, client: Any, found: Found, people: Sequence[str], window: Interval,
                    now: datetime) -> dict[str, list[Interval]]:
        """RFC 6638 section 5: one VFREEBUSY REQUEST for everyone; the people it answered."""
        assert found.outbox is not None
        cal = ICalendar()
        cal.add("prodid", "-//Binome//Binome free-busy//EN")
        cal.add("version", "2.0")
        cal.add("method", "REQUEST")
        request = FreeBusy()
        request.add("uid", f"{short_hash(*people, window.start.isoformat(), length=24)}@binome")
        request.add("dtstamp", now.astimezone(UTC))
        request.add("dtstart", window.start.astimezone(UTC))
        request.add("dtend", window.end.astimezone(UTC))
        request.add("organizer", found.organizer or f"mailto:{self.programme_email}")
        for person in people:
            request.add("attendee", f"mailto:{person}")
        cal.add_component(request)
        response = client.post(found.outbox, cal.to_ical().decode(),
                               {"Content-Type": "text/calendar; charset=utf-8"})
        if response.status >= 300 or response.tree is None:
            log.warning("CalDAV %s: the scheduling outbox answered %s to a free/busy question; "
                        "reading the calendars shared with the programme instead",
                        found.outbox, response.status)
            found.outbox = None
            return {}
        answered: dict[str, list[Interval]] = {}
        for item in response.tree.iter(f"{{{CAL}}}response"):
            recipient = "".join(item.findtext(f".//{{{DAV}}}href", "")).strip().lower()
            status = (item.findtext(f"{{{CAL}}}request-status") or "").strip()
            if not status.startswith("2."):
                continue
            person = recipient.removeprefix("mailto:")
            answered[person] = [p for data in [item.findtext(f"{{{CAL}}}calendar-data")]
                                if data for p in _periods(data, window)]
        return answered

    # -- readable calendars ----------------------------------------------------------------
    def _read(self, client: Any, calendars: Iterable[Readable], person: str, window: Interval,
              own_uids: set[str]) -> list[Interval]:
        margin = timedelta(days=1)
        body = _QUERY.format(start=_stamp(window.start - margin), end=_stamp(window.end + margin))
        busy = []
        for calendar in calendars:
            response = client.request(calendar.url, "REPORT", body,
                                      {"Depth": "1", "Content-Type": "application/xml"})
            if response.status >= 300 or response.tree is None:
                log.warning("CalDAV %s: cannot read it (%s); its owner counts as free",
                            calendar.url, response.status)
                continue
            for data in response.tree.iter(f"{{{CAL}}}calendar-data"):
                if data.text:
                    busy += _events(data.text, window, person, calendar, own_uids)
        return busy


def _events(data: str, window: Interval, person: str, calendar: Readable,
            own_uids: set[str]) -> list[Interval]:
    cal = ICalendar.from_ical(data)
    found = []
    me = {person, *calendar.addresses}
    for event in recurring_ical_events.of(cal).between(window.start - timedelta(days=1),
                                                       window.end + timedelta(days=1)):
        if (str(event.get("UID", "")) in own_uids
                or str(event.get("TRANSP", "")).upper() == "TRANSPARENT"
                or str(event.get("STATUS", "")).upper() == "CANCELLED" or _declined(event, me)):
            continue
        part = clipped(_instant(event.decoded("DTSTART")), _instant(_end(event)), window)
        if part is not None:
            found.append(part)
    return found


def _declined(event: Event, me: set[str]) -> bool:
    attendees = event.get("ATTENDEE")
    for attendee in attendees if isinstance(attendees, list) else [attendees] if attendees else []:
        if str(attendee).lower().removeprefix("mailto:") in me:
            return str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED"
    return False


def _end(event: Event) -> Any:
    if "DTEND" in event:
        return event.decoded("DTEND")
    start = event.decoded("DTSTART")
    return start + (event.decoded("DURATION") if "DURATION" in event else
                    timedelta(days=1) if not isinstance(start, datetime) else timedelta(0))


def _instant(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):  # all day: the whole day, in UTC
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _periods(data: str, window: Interval) -> list[Interval]:
    """The busy periods of a VFREEBUSY reply (FBTYPE other than FREE)."""
    found = []
    for component in ICalendar.from_ical(data).walk("VFREEBUSY"):
        values = component.get("FREEBUSY")
        for value in values if isinstance(values, list) else [values] if values else []:
            if str(value.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                continue
            for start, end in _period_values(value):
                part = clipped(_instant(start), _instant(end), window)
                if part is not None:
                    found.append(part)
    return found


def _period_values(value: Any) -> list[tuple[datetime, datetime]]:
    periods = value.dt if isinstance(getattr(value, "dt", None), list) else [value.dt]
    found = []
    for period in periods:
        period = getattr(period, "dt", period)
        start, other = period[0], period[1]
        found.append((start, start + other if isinstance(other, timedelta) else other))
    return found


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# -- PROPFIND answers: path -> (URL, {(name, namespace): element}) -----------------------
Props = Mapping[tuple[str, str], Any]


def _propfind(client: Any, url: str, depth: int) -> dict[str, tuple[str, Props]]:
    # Not the library's propfind(): it raises on a property the server does not implement
    # (501 in one propstat), where the others still say what we need.
    response = client.request(url, "PROPFIND", _PROPFIND,
                              {"Depth": str(depth), "Content-Type": "application/xml"})
    if response.status >= 300 or response.tree is None:
        log.warning("CalDAV %s: PROPFIND answered %s", url, response.status)
        return {}
    found: dict[str, tuple[str, Props]] = {}
    for item in response.tree.iter(f"{{{DAV}}}response"):
        href = (item.findtext(f"{{{DAV}}}href") or "").strip()
        if not href:
            continue
        props: dict[tuple[str, str], Any] = {}
        for propstat in item.iter(f"{{{DAV}}}propstat"):
            if " 200 " not in f" {propstat.findtext(f'{{{DAV}}}status', '')} ":
                continue
            for prop in propstat.iter(f"{{{DAV}}}prop"):
                for element in prop:
                    namespace, _, name = element.tag.lstrip("{").partition("}")
                    props[(name, namespace)] = element
        absolute = urljoin(url, href)
        found[_path(absolute)] = (absolute, props)
    return found


def _hrefs(props: Mapping[tuple[str, str], Any], namespace: str, name: str) -> list[str]:
    element = props.get((name, namespace))
    if element is None:
        return []
    return [h.text.strip() for h in element.iter(f"{{{DAV}}}href") if h.text and h.text.strip()]


def _kinds(props: Mapping[tuple[str, str], Any]) -> set[tuple[str, str]]:
    element = props.get(("resourcetype", DAV))
    found = set()
    for child in element if element is not None else []:
        namespace, _, name = child.tag.lstrip("{").partition("}")
        found.add((name, namespace))
    return found


def _path(url: str) -> str:
    """A URL's path, with its trailing slash, as the server's hrefs name collections."""
    path = unquote(urlsplit(url).path) or "/"
    return path if path.endswith("/") else path + "/"
