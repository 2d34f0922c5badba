"""The time zones Graph's calendar accepts in a dateTimeTimeZone, and what they mean.

Graph takes any Windows time zone name, plus a fixed list of IANA names, the
"Additional time zones" of its dateTimeTimeZone reference (learn.microsoft.com/
graph/api/resources/datetimetimezone): one IANA name per Windows zone, so
`Europe/Paris` is on it but `America/Toronto`, `America/Montreal`,
`Europe/Brussels`, `Europe/Zurich` and `Europe/Madrid` are not. Anything else is
refused with 400 TimeZoneNotSupportedException, "A valid TimeZone value must be
specified. The following TimeZone value is not supported: '...'."
(microsoftgraph/microsoft-graph-docs#4758). Windows names are read through the
CLDR map exchangelib ships.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from exchangelib.winzone import MS_TIMEZONE_TO_IANA_MAP

from fakes.graph_wire import GraphError

ADDITIONAL = frozenset("""
Etc/GMT+12 Etc/GMT+11 Pacific/Honolulu America/Anchorage America/Santa_Isabel
America/Los_Angeles America/Phoenix America/Chihuahua America/Denver America/Guatemala
America/Chicago America/Mexico_City America/Regina America/Bogota America/New_York
America/Indiana/Indianapolis America/Caracas America/Asuncion America/Halifax America/Cuiaba
America/La_Paz America/Santiago America/St_Johns America/Sao_Paulo
America/Argentina/Buenos_Aires America/Cayenne America/Godthab America/Montevideo
America/Bahia Etc/GMT+2 Atlantic/Azores Atlantic/Cape_Verde Africa/Casablanca Etc/GMT
Europe/London Atlantic/Reykjavik Europe/Berlin Europe/Budapest Europe/Paris Europe/Warsaw
Africa/Lagos Africa/Windhoek Europe/Bucharest Asia/Beirut Africa/Cairo Asia/Damascus
Africa/Johannesburg Europe/Kiev Europe/Istanbul Asia/Jerusalem Asia/Amman Asia/Baghdad
Europe/Kaliningrad Asia/Riyadh Africa/Nairobi Asia/Tehran Asia/Dubai Asia/Baku Europe/Moscow
Indian/Mauritius Asia/Tbilisi Asia/Yerevan Asia/Kabul Asia/Karachi Asia/Tashkent Asia/Kolkata
Asia/Colombo Asia/Kathmandu Asia/Almaty Asia/Dhaka Asia/Yekaterinburg Asia/Rangoon
Asia/Bangkok Asia/Novosibirsk Asia/Shanghai Asia/Krasnoyarsk Asia/Singapore Australia/Perth
Asia/Taipei Asia/Ulaanbaatar Asia/Irkutsk Asia/Tokyo Asia/Seoul Australia/Adelaide
Australia/Darwin Australia/Brisbane Australia/Sydney Pacific/Port_Moresby Australia/Hobart
Asia/Yakutsk Pacific/Guadalcanal Asia/Vladivostok Pacific/Auckland Etc/GMT-12 Pacific/Fiji
Asia/Magadan Pacific/Tongatapu Pacific/Apia Pacific/Kiritimati
""".split())


def zone(name: str) -> ZoneInfo:
    """The zone a dateTimeTimeZone names, as Graph reads it; 400 for a name it refuses."""
    if name in MS_TIMEZONE_TO_IANA_MAP:
        return ZoneInfo(MS_TIMEZONE_TO_IANA_MAP[name])
    if name in ADDITIONAL:
        return ZoneInfo(name)
    raise GraphError(400, "TimeZoneNotSupportedException", "A valid TimeZone value must be "
                     f"specified. The following TimeZone value is not supported: '{name}'.")
