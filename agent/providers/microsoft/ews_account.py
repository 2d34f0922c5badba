"""Reaching Exchange Server through exchangelib: the account, and its errors as ours.

Terms:
- *account*: exchangelib's `Account` for the programme mailbox, with an
  explicit endpoint and version (autodiscover only when asked) and a
  `FaultTolerance` retry policy whose `max_wait` bounds how long one call may
  wait on a busy server (ErrorServerBusy's BackOffMilliseconds).
- the *key*, *schedule* and *ended* extended properties on calendar items, and
  the *processed* one on every class of item an Inbox holds, registered on
  exchangelib's classes once per process, in our own property set. Exchange
  puts meeting responses (and requests, cancellations) in the Inbox beside mail:
  exchangelib refuses an extended property on a class it was not registered on
  (AttributeError), so registering it on `Message` alone broke every read of an
  Inbox holding an attendee's answer.

Errors: a server asking for a longer wait than `max_wait`, a busy or
unreachable server are `TemporaryError`, and so is a 401 (exchangelib takes
it for throttling, as Exchange sometimes means it; the message names the
credentials); every other EWS error is `PermanentError`, with its code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import requests
from exchangelib import (
    DELEGATE,
    Account,
    Build,
    CalendarItem,
    Configuration,
    Credentials,
    EWSTimeZone,
    ExtendedProperty,
    FaultTolerance,
    Message,
    Version,
)
from exchangelib import errors as ews
from exchangelib.items import (
    MeetingCancellation,
    MeetingMessage,
    MeetingRequest,
    MeetingResponse,
    PostItem,
)

from agent.core.errors import PermanentError, TemporaryError

PROPERTY_SET = "8d3f6c8e-2b0a-4c1e-9a57-0b1f3f2c6e41"  # the same namespace as on Graph
BUILDS = {"2013": Build(15, 0), "2013_SP1": Build(15, 0, 847), "2016": Build(15, 1),
          "2019": Build(15, 2)}


class BinomeKey(ExtendedProperty):  # type: ignore[misc]
    """The extended property holding a series key on its Exchange master."""

    property_set_id = PROPERTY_SET
    property_name = "BinomeKey"
    property_type = "String"


class BinomeSchedule(ExtendedProperty):  # type: ignore[misc]
    """The extended property holding the `Schedule` a series was booked with."""

    property_set_id = PROPERTY_SET
    property_name = "BinomeSchedule"
    property_type = "String"


class BinomeEnded(ExtendedProperty):  # type: ignore[misc]
    """The extended property holding what `end_series` kept (microsoft.ending.Ended)."""

    property_set_id = PROPERTY_SET
    property_name = "BinomeEnded"
    property_type = "String"


class BinomeProcessed(ExtendedProperty):  # type: ignore[misc]
    """The extended property that marks an inbound message as handled (`acknowledge`)."""

    property_set_id = PROPERTY_SET
    property_name = "BinomeProcessed"
    property_type = "String"


# What an Inbox holds: mail, and what Exchange files there about meetings.
INBOX_CLASSES = (Message, MeetingRequest, MeetingResponse, MeetingCancellation, MeetingMessage,
                 PostItem)
MEETING_CLASSES = (MeetingRequest, MeetingResponse, MeetingCancellation, MeetingMessage)

for _cls, _name, _prop in ((CalendarItem, "binome_key", BinomeKey),
                           (CalendarItem, "binome_schedule", BinomeSchedule),
                           (CalendarItem, "binome_ended", BinomeEnded),
                           *((c, "binome_processed", BinomeProcessed) for c in INBOX_CLASSES)):
    with contextlib.suppress(ValueError):  # already registered (module reloaded)
        _cls.register(_name, _prop)


def open_account(endpoint: str, version: str, username: str, password: str, mailbox: str, *,
                 autodiscover: bool = False, auth_type: str | None = None,
                 max_wait: float = 60.0) -> Account:
    """The exchangelib `Account` of `mailbox`; nothing is sent until it is used."""
    credentials = Credentials(username, password)
    config = Configuration(
        service_endpoint=None if autodiscover else endpoint, credentials=credentials,
        version=Version(build=BUILDS[version]), auth_type=auth_type,
        retry_policy=FaultTolerance(max_wait=max_wait))
    try:
        return Account(mailbox, config=config, autodiscover=autodiscover, access_type=DELEGATE,
                       default_timezone=EWSTimeZone("UTC"))
    except (ews.EWSError, requests.RequestException) as exc:
        raise TemporaryError(f"Exchange at {endpoint}: {exc}") from exc


@contextlib.contextmanager
def ews_errors(what: str) -> Iterator[None]:
    """Turn what exchangelib raises into the provider contract's two failures."""
    try:
        yield
    except ews.RateLimitError as exc:
        if "401" in str(exc.__context__):  # exchangelib takes a 401 for throttling, and retries
            raise TemporaryError(f"{what}: Exchange refused the username or password (HTTP 401)"
                                 f"; check them, or the server is throttling",
                                 retry_after=float(exc.wait)) from exc
        raise TemporaryError(f"{what}: the server asked to wait {exc.wait:.0f} s, longer than "
                             "max_wait_seconds", retry_after=float(exc.wait)) from exc
    except (ews.ErrorServerBusy, ews.ErrorTimeoutExpired, ews.ErrorInternalServerTransientError,
            ews.ErrorTooManyObjectsOpened, ews.ErrorMailboxStoreUnavailable) as exc:
        raise TemporaryError(f"{what}: {type(exc).__name__}: {exc}") from exc
    except ews.ResponseMessageError as exc:  # what the server said about this request
        raise PermanentError(f"{what}: {type(exc).__name__}: {exc}") from exc
    except (ews.TransportError, requests.RequestException, ConnectionError) as exc:
        raise TemporaryError(f"{what}: {type(exc).__name__}: {exc}") from exc
    except ews.UnauthorizedError as exc:
        raise PermanentError(f"{what}: Exchange refused the username or password") from exc
    except ews.EWSError as exc:
        raise PermanentError(f"{what}: {type(exc).__name__}: {exc}") from exc


def raise_if_error(value: Any, what: str) -> Any:
    """exchangelib yields failed items as exception objects: raise them as ours."""
    if isinstance(value, Exception):
        with ews_errors(what):
            raise value
    return value
