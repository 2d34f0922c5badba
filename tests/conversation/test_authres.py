"""Authentication-Results (RFC 8601): which headers say SPF, DKIM or DMARC failed."""

from __future__ import annotations

import pytest

from agent.conversation.replies.authres import (
    authentication_failures,
    failures,
    results,
    without_comments,
)

# Real-world shapes: Gmail, Microsoft 365 (with comments and a reason), Fastmail (versions,
# several signatures), and the RFC 8601 appendix examples.
GMAIL_PASS = ("mx.google.com;\r\n       dkim=pass header.i=@ex.fr header.s=s1 header.b=abc;\r\n"
              "       spf=pass (google.com: domain of nadia@ex.fr designates 1.2.3.4 as "
              "permitted sender) smtp.mailfrom=nadia@ex.fr;\r\n"
              "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=ex.fr")
M365_FAIL = ("spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=ex.fr; dkim=none (message not "
             "signed) header.d=none;dmarc=fail action=quarantine header.from=ex.fr;"
             "compauth=fail reason=000")


@pytest.mark.parametrize(("value", "expected"), [
    (GMAIL_PASS, []),
    (M365_FAIL, ["spf=fail", "dmarc=fail"]),
    ("example.org 1; none", []),
    ("example.com; spf=softfail smtp.mailfrom=x.org; dkim=neutral; dmarc=none", []),
    ("example.com; spf=temperror; dkim=permerror; dmarc=policy", []),
    ("example.com; dkim=fail reason=\"bad; signature\" header.d=list.org", ["dkim=fail"]),
    # A broken list signature beside the author's good one is not a failure...
    ("fm1.example; dkim=fail header.d=lists.org; dkim=pass header.d=ex.fr; dmarc=pass", []),
    # ...but DMARC failing is, whatever the signatures say.
    ("fm1.example; dkim=pass header.d=evil.example; dmarc=fail header.from=ex.fr",
     ["dmarc=fail"]),
    ("example.com; DKIM/1=FAIL (bad sig); SPF = Fail", ["dkim=fail", "spf=fail"]),
    # A comment that looks like a failure is only a comment.
    ("example.com (spf=fail; dmarc=fail); spf=pass", []),
    ("", []),
    (";;;=;", []),
])
def test_failures_of_one_header(value: str, expected: list[str]) -> None:
    assert failures(value) == expected


def test_results_reads_the_server_and_each_statement() -> None:
    assert results(GMAIL_PASS) == (
        "mx.google.com", [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")])
    assert results(M365_FAIL)[0] == ""  # Microsoft 365 names no server
    assert without_comments('a (b (c) d) "x (y)" \\( e') == 'a  "x (y)" \\( e'


def _message(*headers: str) -> bytes:
    lines = [f"Authentication-Results: {h}" for h in headers]
    return ("\r\n".join([*lines, "From: nadia@ex.fr", "Subject: hi", "", "Note : 4", ""])
            ).encode()


def test_every_header_of_a_message_is_read() -> None:
    # Our server's header on top says pass; a hop before it recorded a DMARC failure.
    raw = _message(GMAIL_PASS, "relay.example; dmarc=fail header.from=ex.fr", M365_FAIL)
    assert authentication_failures(raw) == ["dmarc=fail", "spf=fail"]
    assert authentication_failures(_message(GMAIL_PASS)) == []
    assert authentication_failures(_message()) == []
    assert authentication_failures(b"\x00\xff garbage without headers") == []
