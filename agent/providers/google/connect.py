"""The `google` backend: Calendar v3 and Gmail through google-api-python-client.

`connect_calendar` and `connect_mailbox` take credentials (see `google.auth`)
and plain options; `google.setup` derives them from the `[backend.google]`
table. `api_root` replaces Google's addresses (a proxy, or the tests' fake
server); the batch endpoints follow it, since the client library takes them
from its discovery documents whatever the endpoint.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from google.auth.credentials import Credentials

from agent.core.clock import Clock
from agent.providers.google.auth import build_service
from agent.providers.google.calendar import GoogleCalendar
from agent.providers.google.http import Caller, Policy
from agent.providers.google.mail import GoogleMailbox

__all__ = ["GoogleCalendar", "GoogleMailbox", "connect_calendar", "connect_mailbox"]

CALENDAR_ROOT = "https://www.googleapis.com/"
GMAIL_ROOT = "https://gmail.googleapis.com/"


def connect_calendar(creds: Credentials, clock: Clock, *, api_root: str | None = None,
                     calendar_id: str = "primary", policy: Policy | None = None,
                     sleep: Callable[[float], None] = time.sleep,
                     rand: random.Random | None = None) -> GoogleCalendar:
    """The `google` calendar acting with `creds`, on `calendar_id`."""
    root = api_root or CALENDAR_ROOT
    service = build_service("calendar", "v3", creds, f"{root}calendar/v3/" if api_root else None)
    return GoogleCalendar(service, Caller(clock, policy, sleep, rand), calendar_id,
                          batch_uri=f"{root}batch/calendar/v3")


def connect_mailbox(creds: Credentials, clock: Clock, *, api_root: str | None = None,
                    label: str = "Binome/processed", policy: Policy | None = None,
                    sleep: Callable[[float], None] = time.sleep,
                    rand: random.Random | None = None) -> GoogleMailbox:
    """The `google` mailbox (Gmail) acting with `creds`; handled messages get `label`."""
    root = api_root or GMAIL_ROOT
    service = build_service("gmail", "v1", creds, root if api_root else None)
    return GoogleMailbox(service, Caller(clock, policy, sleep, rand), label,
                         batch_uri=f"{root}batch/gmail/v1")
