"""The EWS operations of the fake, over `ews_store.Store`."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from typing import TYPE_CHECKING

from fakes.ews_folders import get_folder, target
from fakes.ews_server import EwsError, m, message, sub, t
from fakes.ews_store import Item, Occ, apply, parse_time, to_xml, who_hash
from fakes.ews_views import get_server_time_zones, get_user_availability, sync_folder_items

if TYPE_CHECKING:
    from fakes.ews_server import FakeEws


def _resolve(ews: FakeEws, node: ET.Element) -> tuple[Item, str, str, datetime | None]:
    """(item, user, id of that user's copy, original start) of an ItemId-like element."""
    store = ews.store
    if node.tag == t("OccurrenceItemId"):
        base = node.get("RecurringMasterId", "")
    else:
        base = node.get("Id", "")
    master, _, who = base.partition("@")[0].partition("~")
    item = store.items.get(master)
    if item is None or item.removed:
        raise EwsError("ErrorItemNotFound", "The specified object was not found in the store.")
    user = item.owner if not who else next(
        (a for a in item.attendees if who_hash(a) == who), "")
    item, shown, original = store.resolve(user, base)
    if node.tag == t("OccurrenceItemId"):
        original = store.occurrence(item, int(node.get("InstanceIndex", "0")))
    return item, user, shown, original


def _matches(node: ET.Element, item: Item) -> bool:
    name = node.tag.split("}")[1]
    if name in ("And", "Or"):
        results = [_matches(child, item) for child in node]
        return all(results) if name == "And" else any(results)
    if name == "Not":
        return not _matches(node[0], item)
    field = node[0]
    if field.tag == t("ExtendedFieldURI"):
        value = item.ext.get(field.get("PropertyName", ""))
    else:
        uri = field.get("FieldURI", "")
        value = {"message:InternetMessageId": item.internet_message_id,
                 "message:IsRead": "true" if item.is_read else "false",
                 "item:Subject": item.subject}.get(uri)
        if uri not in ("message:InternetMessageId", "message:IsRead", "item:Subject"):
            raise EwsError("ErrorUnsupportedPathForQuery", f"this fake cannot search {uri}")
    if name == "Exists":
        return value is not None
    constant = node.find(f"{t('FieldURIOrConstant')}/{t('Constant')}")
    wanted = constant.get("Value") if constant is not None else None
    if wanted in ("true", "false") or value in ("true", "false"):
        wanted = {"1": "true", "0": "false"}.get(str(wanted), wanted)
    if name == "IsEqualTo":
        return value == wanted
    if name == "IsNotEqualTo":
        return value != wanted
    raise EwsError("ErrorUnsupportedQueryFilter", f"this fake does not know {name}")


def find_item(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    folders = request.find(m("ParentFolderIds"))
    try:
        user, folder = target(ews, folders[0] if folders is not None else ET.Element("x"))
    except EwsError as exc:
        return [message("FindItem", exc)]
    found: list[tuple[datetime, ET.Element]] = []
    restriction = request.find(m("Restriction"))
    view = request.find(m("CalendarView"))
    for shown, item in ews.store.visible(user, folder):
        if restriction is not None and not _matches(restriction[0], item):
            continue
        if view is None:
            found.append((item.received if item.kind != "CalendarItem" else item.start,
                          to_xml(item, shown, user)))
            continue
        lo, hi = parse_time(view.get("StartDate")), parse_time(view.get("EndDate"))
        for original, start, end in item.live():
            if start < hi and end > lo:
                found.append((start, to_xml(item, shown, user,
                                            original if item.recurrence else None)))
    order = request.find(f"{m('SortOrder')}/{t('FieldOrder')}")
    found.sort(key=lambda pair: pair[0], reverse=order is not None
               and order.get("Order") == "Descending")
    page = request.find(m("IndexedPageItemView"))
    offset = int(page.get("Offset", "0")) if page is not None else 0
    size = int(page.get("MaxEntriesReturned", "1000")) if page is not None else len(found)
    chunk = found[offset:offset + size]
    reply = message("FindItem")
    root = sub(reply, m("RootFolder"), TotalItemsInView=str(len(found)),
               IncludesLastItemInRange="true" if offset + size >= len(found) else "false",
               IndexedPagingOffset=str(offset + len(chunk)))
    items = sub(root, t("Items"))
    for _, node in chunk:
        items.append(node)
    return [reply]


def _wants_mime(request: ET.Element) -> bool:
    shape = request.find(m("ItemShape"))
    return shape is not None and any(
        f.get("FieldURI") == "item:MimeContent" for f in shape.iter(t("FieldURI")))


def get_item(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    out = []
    for node in list(request.find(m("ItemIds")) or []):
        try:
            item, user, shown, original = _resolve(ews, node)
        except EwsError as exc:
            out.append(message("GetItem", exc))
            continue
        reply = message("GetItem")
        xml = to_xml(item, shown, user, original)
        if _wants_mime(request) and item.kind != "CalendarItem":
            mime = ET.Element(t("MimeContent"), {"CharacterSet": "UTF-8"})
            mime.text = base64.b64encode(item.mime).decode()
            xml.insert(1, mime)
        sub(reply, m("Items")).append(xml)
        out.append(reply)
    return out


def _new_message(ews: FakeEws, user: str, folder: str, node: ET.Element) -> Item:
    raw = base64.b64decode(node.findtext(t("MimeContent")) or "")
    item = ews.store.new(user, folder, "Message")
    headers = BytesHeaderParser().parsebytes(raw)
    item.mime, item.subject = raw, str(headers.get("Subject", ""))
    item.internet_message_id = str(headers.get("Message-ID") or f"<{item.id}@fake.ews>").strip()
    apply(ews.store, item, node)
    return item


def _meeting_response(ews: FakeEws, item: Item, user: str, answer: str,
                      original: datetime | None) -> None:
    """The answer, as Exchange delivers it to the organizer's Inbox: a MeetingResponse."""
    word = {"Accept": "Accepted", "Decline": "Declined"}.get(answer, "Tentative")
    when = f"RECURRENCE-ID:{original:%Y%m%dT%H%M%SZ}\r\n" if original else ""
    raw = (f"From: {user}\r\nTo: {item.owner}\r\nSubject: {word}: {item.subject}\r\n"
           f"Message-ID: <resp-{ews.store.version}@fake.ews>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n"
           f"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:uid-{item.id}\r\n{when}"
           f"ATTENDEE;PARTSTAT={word.upper()}:mailto:{user}\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n").encode()
    response = ews.store.new(item.owner, "inbox", "MeetingResponse")
    response.mime, response.subject = raw, f"{word}: {item.subject}"
    response.internet_message_id = f"<resp-{response.id}@fake.ews>"
    response.received = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=response.version)


def deliver(ews: FakeEws, user: str, raw: bytes) -> str:
    """A message arrives by SMTP in `user`'s inbox."""
    node = ET.Element(t("Message"))
    sub(node, t("MimeContent"), base64.b64encode(raw).decode())
    with ews.lock:
        item = _new_message(ews, user, "inbox", node)
        item.received = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=item.version)
    return item.id


def create_item(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    out = []
    saved = request.find(m("SavedItemFolderId"))
    disposition = request.get("MessageDisposition", "SaveOnly")
    for node in list(request.find(m("Items")) or []):
        name = node.tag.split("}")[1]
        try:
            reply = message("CreateItem")
            items = sub(reply, m("Items"))
            if name in ("AcceptItem", "DeclineItem", "TentativelyAcceptItem"):
                ref = node.find(t("ReferenceItemId"))
                item, user, _, original = _resolve(ews, ref if ref is not None else node)
                if user == item.owner:
                    raise EwsError("ErrorInvalidOperation", "The organizer cannot respond.")
                answer = {"AcceptItem": "Accept", "DeclineItem": "Decline",
                          "TentativelyAcceptItem": "Tentative"}[name]
                if original is None:
                    item.attendees[user] = answer
                else:
                    item.occurrences.setdefault(original, Occ()).answers[user] = answer
                item.version = ews.store.tick()
                if request.get("MessageDisposition", "SendAndSaveCopy") != "SaveOnly":
                    _meeting_response(ews, item, user, answer, original)
            elif name == "Message":
                folder_node = saved[0] if saved is not None else None
                user = (target(ews, folder_node)[0] if folder_node is not None
                        else ews.default_user)
                folder = "sentitems" if disposition.startswith("Send") else "drafts"
                created = _new_message(ews, user, folder, node)
                if disposition != "SendOnly":
                    sub(sub(items, t("Message")), t("ItemId"), Id=created.id,
                        ChangeKey=f"CK{created.version}")
            elif name == "CalendarItem":
                if saved is None:
                    raise EwsError("ErrorInvalidRequest", "SavedItemFolderId is required")
                user, folder = target(ews, saved[0])
                created = ews.store.new(user, folder, "CalendarItem")
                try:
                    apply(ews.store, created, node)
                except EwsError:
                    del ews.store.items[created.id]
                    raise
                if _sends(request, "SendMeetingInvitations"):
                    ews.store.notify("invite", created)
                sub(sub(items, t("CalendarItem")), t("ItemId"), Id=created.id,
                    ChangeKey=f"CK{created.version}")
            else:
                raise EwsError("ErrorInvalidRequest", f"this fake does not create {name}")
        except EwsError as exc:
            reply = message("CreateItem", exc)
        out.append(reply)
    return out


def update_item(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    out = []
    for change in list(request.find(m("ItemChanges")) or []):
        try:
            item, user, shown, original = _resolve(ews, change[0])
            if user != item.owner:
                raise EwsError("ErrorAccessDenied", "Only the organizer can change a meeting.")
            values = ET.Element(t(item.kind))
            before = list(item.attendees)
            for update in change.iter():
                if update.tag == t("SetItemField"):
                    values.extend(list(update[1]))
                elif update.tag == t("DeleteItemField") and update[0].tag == t(
                        "ExtendedFieldURI"):
                    item.ext.pop(update[0].get("PropertyName", ""), None)
                elif update.tag == t("DeleteItemField") and update[0].get(
                        "FieldURI") == "calendar:RequiredAttendees":
                    item.attendees = {}
            if original is None:
                apply(ews.store, item, values)
            else:
                occ = item.occurrences.setdefault(original, Occ())
                start, end = values.findtext(t("Start")), values.findtext(t("End"))
                if start and end:
                    occ.start = parse_time(start).astimezone(UTC)
                    occ.end = parse_time(end).astimezone(UTC)
                    occ.answers = dict.fromkeys(item.attendees, "Unknown")  # asked again
                item.version = ews.store.tick()
            if item.kind == "CalendarItem" and _sends(request,
                                                      "SendMeetingInvitationsOrCancellations"):
                ews.store.notify("update", item)
                ews.store.notify("cancel", item, [a for a in before if a not in item.attendees])
            reply = message("UpdateItem")
            node = sub(sub(reply, m("Items")), t(item.kind))
            ident = f"{shown}@{original.strftime('%Y%m%dT%H%M%SZ')}" if original else shown
            sub(node, t("ItemId"), Id=ident, ChangeKey=f"CK{item.version}")
            sub(sub(reply, m("ConflictResults")), t("Count"), "0")
        except EwsError as exc:
            reply = message("UpdateItem", exc)
        out.append(reply)
    return out


def delete_item(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    out = []
    for node in list(request.find(m("ItemIds")) or []):
        try:
            item, user, _, original = _resolve(ews, node)
            if user != item.owner:
                raise EwsError("ErrorAccessDenied", "Only the organizer can cancel a meeting.")
            if original is None:
                item.removed = True
            else:
                item.occurrences.setdefault(original, Occ()).deleted = True
            item.version = ews.store.tick()
            if item.kind == "CalendarItem" and _sends(request, "SendMeetingCancellations"):
                ews.store.notify("cancel", item)
            out.append(message("DeleteItem"))
        except EwsError as exc:
            out.append(message("DeleteItem", exc))
    return out


def _sends(request: ET.Element, attribute: str) -> bool:
    """Whether the request asks Exchange to mail the attendees (SendToAll..., SendOnlyToAll)."""
    return "All" in request.get(attribute, "SendToNone")


OPERATIONS = {
    "GetFolder": get_folder, "FindItem": find_item, "GetItem": get_item,
    "CreateItem": create_item, "UpdateItem": update_item, "DeleteItem": delete_item,
    "SyncFolderItems": sync_folder_items, "GetServerTimeZones": get_server_time_zones,
    "GetUserAvailabilityRequest": get_user_availability,
}
