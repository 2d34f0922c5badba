"""Fixtures for the Microsoft backends' tests: a fake Graph on HTTPS and clients of it."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from contract.calendar_contract import ANNE, BRUNO, CLAIRE, ORGANIZER
from fakes.graph_auth import CLIENT_ID, SECRET
from fakes.graph_server import FakeGraph
from fakes.https import make_certificate

from agent.providers.microsoft.graph_auth import ClientCredentials
from agent.providers.microsoft.graph_http import Graph

TENANT = "contoso.onmicrosoft.com"


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def fake(certs: tuple[Path, Path]) -> Iterator[FakeGraph]:
    graph = FakeGraph(users={ORGANIZER, ANNE, BRUNO, CLAIRE}).start(*certs)
    yield graph
    graph.close()


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the client asked for, instead of waiting."""
    return []


def make_graph(fake: FakeGraph, ca: Path, sleeps: list[float], **kwargs: Any) -> Graph:
    token = ClientCredentials(f"{fake.base}/{TENANT}", CLIENT_ID, SECRET, ca_bundle=ca)
    return Graph(f"{fake.base}/v1.0", token, verify=ssl.create_default_context(cafile=ca),
                 sleep=sleeps.append, **kwargs)


@pytest.fixture
def graph(fake: FakeGraph, certs: tuple[Path, Path], sleeps: list[float]) -> Iterator[Graph]:
    client = make_graph(fake, certs[0], sleeps, max_wait=30)
    yield client
    client.close()
