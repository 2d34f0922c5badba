"""Read Authentication-Results headers (RFC 8601): did SPF, DKIM or DMARC fail?

Terms:
- *authserv-id*: the name of the server that did the checks and added the header.
- *resinfo*: one `method=result` statement (`spf=fail`, `dkim=pass`, `dmarc=none`),
  possibly followed by a reason and properties (`header.from=example.com`).

Which headers are trusted: all of them. Only a failure has an effect (the reply is
quarantined, never dropped), so a header forged by the sender can only hurt the
sender's own message, and a forged `pass` changes nothing. A failure recorded by an
intermediate hop (a forwarder) may set an honest reply aside; the admin sees it in
`binome status` with the reason.

What counts as a failure: `spf=fail`, `dmarc=fail`, and `dkim=fail` unless another
signature in the same header passed (mailing lists and sending services often add a
second signature that breaks in transit while the author's domain one holds).
`softfail`, `neutral`, `none`, `temperror`, `permerror` and `policy` are not failures.

Why not the `authres` package: its last release is from 2019 and it has no type
information; the part we need (method and result of each statement, comments and
quoted strings skipped) is this page.
"""

from __future__ import annotations

import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

CHECKED = ("spf", "dkim", "dmarc")
_STATEMENT = re.compile(r"\s*([a-z0-9][a-z0-9_-]*)\s*(?:/\s*[0-9]+\s*)?=\s*([a-z0-9_-]+)", re.I)


def without_comments(value: str) -> str:
    """`value` with RFC 5322 comments (nested parentheses) removed, quoted strings kept."""
    out: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if quoted:
            quoted = char != '"'
            out.append(char)
        elif char == '"' and depth == 0:
            quoted = True
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _split(value: str) -> list[str]:
    """Split on `;` outside quoted strings."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def results(value: str) -> tuple[str, list[tuple[str, str]]]:
    """(authserv-id, [(method, result)...]) of one header value, lower-cased."""
    chunks = _split(without_comments(value))
    server = chunks[0].split()[0].lower() if chunks[0].split() else ""
    if "=" in chunks[0]:
        # Microsoft 365 writes no authserv-id: the first chunk is already a statement.
        server = ""
    else:
        chunks = chunks[1:]
    found = []
    for chunk in chunks:
        match = _STATEMENT.match(chunk)
        if match:
            found.append((match.group(1).lower(), match.group(2).lower()))
    return server, found


def failures(value: str) -> list[str]:
    """The failed checks one header reports, as `method=fail` statements."""
    _, found = results(value)
    passed = {m for m, r in found if r == "pass"}
    failed: dict[str, None] = {}
    for method, result in found:
        if method in CHECKED and result == "fail":
            if method == "dkim" and "dkim" in passed:
                continue  # another signature held (see the module docstring)
            failed[f"{method}={result}"] = None
    return list(failed)


def authentication_failures(raw: bytes) -> list[str]:
    """Every failure any Authentication-Results header of the message reports."""
    # Headers only, with the lenient compat32 policy: this runs on anyone's bytes.
    msg: Message = BytesHeaderParser(policy=compat32).parsebytes(raw)
    found: dict[str, None] = {}
    for value in msg.get_all("Authentication-Results") or []:
        for failure in failures(str(value)):
            found[failure] = None
    return list(found)
