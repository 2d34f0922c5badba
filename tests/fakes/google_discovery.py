"""Requests checked the way Google checks them, against the discovery documents.

The fake reads the same documents google-api-python-client ships: each method's
HTTP verb and path, its parameters (location, type, enum, required, repeated),
its request schema (unknown body fields are refused, as Google's JSON binding
does) and its OAuth scopes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import googleapiclient

DOCS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"


class ApiError(Exception):
    """An error answered in Google's JSON error format."""

    STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
              404: "NOT_FOUND", 409: "ALREADY_EXISTS", 410: "FAILED_PRECONDITION",
              429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}

    def __init__(self, status: int, reason: str, message: str,
                 headers: dict[str, str] | None = None, domain: str = "global") -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message
        self.headers = headers or {}
        self.domain = domain

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.status, "message": self.message,
                          "errors": [{"domain": self.domain, "reason": self.reason,
                                      "message": self.message}],
                          "status": self.STATUS.get(self.status, "UNKNOWN")}}


@dataclass(frozen=True)
class Method:
    id: str
    verb: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    desc: dict[str, Any]
    doc: dict[str, Any]

    @property
    def scopes(self) -> set[str]:
        return set(self.desc.get("scopes", []))


def _walk(resource: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(resource.get("methods", {}).values())
    for sub in resource.get("resources", {}).values():
        found += _walk(sub)
    return found


def load(name: str, prefix: str) -> list[Method]:
    doc = json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))
    methods = []
    for desc in _walk(doc):
        names: list[str] = []

        def group(match: re.Match[str], names: list[str] = names) -> str:
            names.append(match.group(2))
            return "(.+)" if match.group(1) else "([^/]+)"

        regex = re.sub(r"\{(\+?)([A-Za-z]+)\}", group, re.escape(desc["path"]).replace(
            r"\{", "{").replace(r"\}", "}"))
        methods.append(Method(desc["id"], desc["httpMethod"], re.compile(f"^{prefix}{regex}$"),
                              tuple(names), desc, doc))
    # Literal segments win over parameters (`messages/send` before `messages/{id}`).
    return sorted(methods, key=lambda m: (len(m.names), -len(m.pattern.pattern)))


def route(methods: list[Method], verb: str, path: str) -> tuple[Method, dict[str, str]]:
    allowed = False
    for method in methods:
        match = method.pattern.match(path)
        if match:
            if method.verb == verb:
                return method, dict(zip(method.names, match.groups(), strict=True))
            allowed = True
    if allowed:
        raise ApiError(405, "methodNotAllowed", f"Method {verb} is not allowed for {path}")
    raise ApiError(404, "notFound", f"The requested URL {path} was not found on this server.")


def _convert(name: str, spec: dict[str, Any], value: str) -> Any:
    kind = spec.get("type", "string")
    try:
        if kind == "integer":
            number = int(value)
            if "minimum" in spec and number < int(spec["minimum"]):
                raise ValueError
            if "maximum" in spec and number > int(spec["maximum"]):
                raise ValueError
            return number
        if kind == "boolean":
            if value not in ("true", "false"):
                raise ValueError
            return value == "true"
    except ValueError:
        raise ApiError(400, "invalidParameter",
                       f"Invalid value '{value}' for parameter '{name}'") from None
    if "enum" in spec and value not in spec["enum"]:
        raise ApiError(400, "invalidParameter", f"Invalid value '{value}' for '{name}'")
    return value


def parameters(method: Method, path_values: dict[str, str],
               query: dict[str, list[str]]) -> dict[str, Any]:
    specs = {**method.doc.get("parameters", {}), **method.desc.get("parameters", {})}
    params: dict[str, Any] = {}
    for name, values in query.items():
        spec = specs.get(name)
        if spec is None or spec.get("location") == "path":
            raise ApiError(400, "invalid", f'Invalid JSON payload received. Unknown name '
                           f'"{name}": Cannot bind query parameter.')
        if len(values) > 1 and not spec.get("repeated"):
            raise ApiError(400, "invalidParameter", f"Parameter '{name}' is not repeated")
        converted = [_convert(name, spec, v) for v in values]
        params[name] = converted if spec.get("repeated") else converted[0]
    for name, value in path_values.items():
        params[name] = _convert(name, specs[name], value)
    for name, spec in method.desc.get("parameters", {}).items():
        if spec.get("required") and name not in params:
            raise ApiError(400, "required", f"Required parameter: {name}")
    return params


def check_body(method: Method, body: Any) -> None:
    ref = method.desc.get("request", {}).get("$ref")
    if ref is None:
        if body not in (None, {}):
            raise ApiError(400, "invalid", f"{method.id} takes no request body")
        return
    if not isinstance(body, dict):
        raise ApiError(400, "parseError", "This API does not support parsing form-encoded "
                       "input, or the body is not a JSON object.")
    _check(method.doc["schemas"], {"$ref": ref}, body, ref)
    for name, prop in method.doc["schemas"][ref].get("properties", {}).items():
        needed = prop.get("annotations", {}).get("required", [])
        if method.id in needed and name not in body:
            raise ApiError(400, "required", f"Missing {name}.")


def _check(schemas: dict[str, Any], schema: dict[str, Any], value: Any, where: str) -> None:
    if "$ref" in schema:
        schema = schemas[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" and isinstance(value, dict):
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if props is not None and name in props:
                _check(schemas, props[name], item, f"{where}.{name}")
            elif extra is not None:
                _check(schemas, extra, item, f"{where}.{name}")
            else:
                raise ApiError(400, "invalid", f'Invalid JSON payload received. Unknown name '
                               f'"{name}" at \'{where}\': Cannot find field.')
    elif kind == "array":
        if not isinstance(value, list):
            raise ApiError(400, "invalid", f"Invalid value at '{where}': not a list")
        for item in value:
            _check(schemas, schema.get("items", {}), item, where)
    elif kind in ("string",) and not isinstance(value, str):
        raise ApiError(400, "invalid", f"Invalid value at '{where}' ({value!r}): not a string")
    elif kind == "boolean" and not isinstance(value, bool):
        raise ApiError(400, "invalid", f"Invalid value at '{where}' ({value!r}): not a boolean")
    elif kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        raise ApiError(400, "invalid", f"Invalid value at '{where}' ({value!r}): not an integer")
