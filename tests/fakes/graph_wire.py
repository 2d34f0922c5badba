"""What every part of the fake Graph shares: a request, a reply, an OData error."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Reply = tuple[int, dict[str, str], Any]  # status, headers, JSON-able body or bytes or None


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}

    def reply(self) -> Reply:
        body = {"error": {"code": self.code, "message": self.message,
                          "innerError": {"request-id": "fake", "date": "2026-01-01T00:00:00"}}}
        return self.status, self.headers, body


@dataclass
class Request:
    method: str
    path: str  # after /v1.0, unquoted
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    user: str = ""
    path_rest: str = ""  # the path after /users/{user}

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            raise GraphError(400, "BadRequest", "Unable to read JSON request payload.") from None


