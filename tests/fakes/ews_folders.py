"""GetFolder for the fake EWS: the distinguished folders of each mailbox."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from fakes.ews_server import EwsError, message, sub, t

if TYPE_CHECKING:
    from fakes.ews_server import FakeEws

FOLDERS = {  # distinguished id -> (element, folder class, display name)
    "root": ("Folder", "", "Root"),
    "msgfolderroot": ("Folder", "IPF.Note", "Top of Information Store"),
    "calendar": ("CalendarFolder", "IPF.Appointment", "Calendar"),
    "inbox": ("Folder", "IPF.Note", "Inbox"),
    "sentitems": ("Folder", "IPF.Note", "Sent Items"),
    "drafts": ("Folder", "IPF.Note", "Drafts"),
    "deleteditems": ("Folder", "IPF.Note", "Deleted Items"),
}


def folder_id(user: str, name: str) -> str:
    return f"F:{name}:{user}"


def parse_folder_id(ident: str) -> tuple[str, str]:
    try:
        _, name, user = ident.split(":", 2)
    except ValueError:
        raise EwsError("ErrorInvalidIdMalformed", "Id is malformed.") from None
    return user, name


def target(ews: FakeEws, node: ET.Element) -> tuple[str, str]:
    """(mailbox, folder name) of a DistinguishedFolderId or FolderId element."""
    if node.tag == t("DistinguishedFolderId"):
        email = node.findtext(f"{t('Mailbox')}/{t('EmailAddress')}")
        if not email:
            raise EwsError("ErrorMissingEmailAddress", "When making a request as an account "
                           "that does not have a mailbox, you must specify the mailbox.")
        user, name = email.lower(), node.get("Id", "")
    else:
        user, name = parse_folder_id(node.get("Id", ""))
    if user not in ews.users:
        raise EwsError("ErrorNonExistentMailbox", f"The SMTP address has no mailbox "
                       f"associated with it: {user}")
    if name not in FOLDERS:
        raise EwsError("ErrorFolderNotFound", "The specified folder could not be found.")
    return user, name


def folder_element(user: str, name: str, count: int) -> ET.Element:
    kind, folder_class, display = FOLDERS[name]
    node = ET.Element(t(kind))
    sub(node, t("FolderId"), Id=folder_id(user, name), ChangeKey="AQAAAA==")
    if name != "root":
        sub(node, t("ParentFolderId"), Id=folder_id(user, "root"), ChangeKey="AQAAAA==")
    if folder_class:
        sub(node, t("FolderClass"), folder_class)
    sub(node, t("DisplayName"), display)
    sub(node, t("TotalCount"), str(count))
    sub(node, t("ChildFolderCount"), "0")
    rights = sub(node, t("EffectiveRights"))
    for right in ("CreateAssociated", "CreateContents", "CreateHierarchy", "Delete", "Modify",
                  "Read", "ViewPrivateItems"):
        sub(rights, t(right), "true")
    sub(node, t("UnreadCount"), "0")
    return node


def get_folder(ews: FakeEws, request: ET.Element) -> list[ET.Element]:
    out = []
    ids = request.find(f"{{{request.tag.split('}')[0][1:]}}}FolderIds")
    for node in list(ids) if ids is not None else []:
        try:
            user, name = target(ews, node)
        except EwsError as exc:
            out.append(message("GetFolder", exc))
            continue
        reply = message("GetFolder")
        folders = sub(reply, "{http://schemas.microsoft.com/exchange/services/2006/messages}"
                      "Folders")
        folders.append(folder_element(user, name, ews.store.count(user, name)))
        out.append(reply)
    return out
