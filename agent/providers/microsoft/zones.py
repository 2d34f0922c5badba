"""Time zones as Microsoft 365 takes them: Windows names, from the IANA names we keep.

Graph accepts any Windows time zone name but only a fixed list of IANA names (one
per Windows zone: `Europe/Paris` is on it, `America/Toronto` or `Europe/Brussels`
are not; its dateTimeTimeZone reference, and microsoft-graph-docs#4758 for the
TimeZoneNotSupportedException the others get). So every zone is sent by its
Windows name, read from the CLDR windowsZones map that exchangelib ships (the
same map Windows and Exchange use), never from a table of our own.
"""

from __future__ import annotations

from functools import cache

from agent.core.errors import PermanentError


@cache
def windows_zone(iana: str) -> str:
    """The Windows name of the IANA zone `iana` (`Europe/Brussels` -> `Romance Standard
    Time`); `PermanentError` for a zone CLDR gives no Windows name."""
    from exchangelib.winzone import IANA_TO_MS_TIMEZONE_MAP  # heavy: only when Graph books

    found = IANA_TO_MS_TIMEZONE_MAP.get(iana)
    if found is None:
        raise PermanentError(f"the time zone {iana!r} has no Windows name, and Microsoft 365 "
                             "accepts no other for a meeting: choose a nearby zone of the "
                             "same offsets (the roster's or [organisation] timezone)")
    return str(found[0])
