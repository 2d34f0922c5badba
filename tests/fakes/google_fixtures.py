"""Fixtures for the `google` backend's tests: the fake server and real credentials for it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from agent.providers.google.auth import ALL_SCOPES
from fakes.google_server import FakeGoogle

SERVICE_ACCOUNT = "binome@binome-test.iam.gserviceaccount.com"


@cache
def key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def service_account_key(fake: FakeGoogle) -> dict[str, Any]:
    """A key JSON as the Cloud console gives it, whose token_uri is the fake's."""
    private, _ = key_pair()
    return {"type": "service_account", "project_id": "binome-test", "private_key_id": "k1",
            "private_key": private, "client_email": SERVICE_ACCOUNT, "client_id": "1234567890",
            "token_uri": fake.root + "token"}


def delegate(fake: FakeGoogle, *users: str, scopes: tuple[str, ...] = ALL_SCOPES) -> None:
    fake.add_service_account(SERVICE_ACCOUNT, key_pair()[1], set(users), set(scopes))


def running() -> Iterator[FakeGoogle]:
    """The body of a `fake` fixture: a fake Google for one test."""
    server = FakeGoogle().start()
    yield server
    server.stop()
