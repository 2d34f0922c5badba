"""Views over the fake EWS store: SyncFolderItems, GetServerTimeZones (UTC only,
which is what the backend asks) and GetUserAvailability (free/busy)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import TYPE_CHECKING

from fakes.ews_folders import target
from fakes.ews_server import EwsError, m, message, sub, t
from fakes.ews_store import busy_of, parse_time, to_xml, zulu

if TYPE_CHECKING:
    from fakes.ews_server import FakeEws


def sync_folder_items(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    folder_node = request.find(f"{m('SyncFolderId')}/*")
    store = ews.store
    try:
        user, folder = target(ews, folder_node if folder_node is not None else ET.Element("x"))
        state = request.findtext(m("SyncState")) or ""
        since = -1
        if state:
            version, _, epoch = state.removeprefix("v").partition("e")
            if not version.isdigit() or epoch != str(store.epoch):
                raise EwsError("ErrorInvalidSyncStateData", "Synchronization state data is "
                               "corrupt or otherwise invalid.")
            since = int(version)
    except EwsError as exc:
        # Exchange still writes both elements in an error (and exchangelib reads them first).
        reply = message("SyncFolderItems", exc)
        sub(reply, m("SyncState"))
        sub(reply, m("IncludesLastItemInRange"), "true")
        return [reply]
    reply = message("SyncFolderItems")
    sub(reply, m("SyncState"), f"v{store.version}e{store.epoch}")
    sub(reply, m("IncludesLastItemInRange"), "true")
    changes = sub(reply, m("Changes"))
    for item in store.items.values():
        if item.owner != user or item.folder != folder or item.version <= since:
            continue
        if item.removed:
            sub(sub(changes, t("Delete")), t("ItemId"), Id=item.id, ChangeKey="x")
        else:
            kind = "Create" if since < 0 else "Update"
            sub(changes, t(kind)).append(to_xml(item, item.id, user))
    return [reply]


def get_server_time_zones(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    wanted = [node.text for node in request.iter(t("Id"))]
    if wanted != ["UTC"]:
        return [message("GetServerTimeZones", EwsError(
            "ErrorInvalidRequest", "this fake only describes UTC"))]
    reply = message("GetServerTimeZones")
    zone = sub(sub(reply, m("TimeZoneDefinitions")), t("TimeZoneDefinition"), Id="UTC",
               Name="(UTC) Coordinated Universal Time")
    sub(sub(zone, t("Periods")), t("Period"), Bias="PT0M", Name="Standard", Id="Std")
    group = sub(sub(zone, t("TransitionsGroups")), t("TransitionsGroup"), Id="0")
    sub(sub(group, t("Transition")), t("To"), "Std", Kind="Period")
    sub(sub(sub(zone, t("Transitions")), t("Transition")), t("To"), "0", Kind="Group")
    return [reply]


def get_user_availability(ews: FakeEws, request: ET.Element) -> ET.Element:
    bias = request.findtext(f"{t('TimeZone')}/{t('Bias')}")
    if bias != "0":
        raise EwsError("ErrorInvalidRequest", "this fake answers free/busy in UTC only")
    window = request.find(f"{t('FreeBusyViewOptions')}/{t('TimeWindow')}")
    lo = parse_time(window.findtext(t("StartTime")) if window is not None else None)
    hi = parse_time(window.findtext(t("EndTime")) if window is not None else None)
    if hi - lo > timedelta(days=42):
        raise EwsError("ErrorTimeIntervalTooBig", "The time interval is too big: at most "
                       "42 days.")
    response = ET.Element(m("GetUserAvailabilityResponse"))
    array = sub(response, m("FreeBusyResponseArray"))
    for data in request.iter(t("MailboxData")):
        who = (data.findtext(f"{t('Email')}/{t('Address')}") or "").lower()
        entry = sub(array, m("FreeBusyResponse"))
        if who not in ews.users:
            entry.append(_response_message(EwsError(
                "ErrorMailRecipientNotFound", "The user can't be found.")))
            continue
        entry.append(_response_message(None))
        view = sub(entry, m("FreeBusyView"))
        sub(view, t("FreeBusyViewType"), "Detailed")
        events = sub(view, t("CalendarEventArray"))
        for start, end, kind in busy_of(ews.store, who, lo, hi):
            event = sub(events, t("CalendarEvent"))
            sub(event, t("StartTime"), zulu(start).rstrip("Z"))  # local (UTC) time, no offset
            sub(event, t("EndTime"), zulu(end).rstrip("Z"))
            sub(event, t("BusyType"), kind)
    return response


def _response_message(error: EwsError | None) -> ET.Element:
    node = message("x", error)
    node.tag = m("ResponseMessage")
    return node
