"""Submitting mail over SMTP (stdlib smtplib): 587 with STARTTLS, or 465 with TLS.

A 4xx answer is temporary (the server asks to try later), a 5xx permanent: RFC 5321
section 4.2.1. A message that some recipients refused still went to the others; the
refusals are logged, since sending again would duplicate it for those who got it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Sequence

from agent.core.errors import PermanentError, TemporaryError
from agent.providers.imap.connect import Endpoint, network_error, refuse_plain_text, resolve

log = logging.getLogger("binome")


def _connect(endpoint: Endpoint) -> smtplib.SMTP:
    refuse_plain_text(endpoint)
    resolve(endpoint)
    context = endpoint.context()
    try:
        if endpoint.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(endpoint.host, endpoint.port, context=context,
                                                  timeout=endpoint.timeout)
        else:
            smtp = smtplib.SMTP(endpoint.host, endpoint.port, timeout=endpoint.timeout)
        smtp.ehlo()
        if endpoint.security == "starttls":
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise TemporaryError(f"SMTP {endpoint.where}: capability: the server does not "
                                     "offer STARTTLS; use security = \"tls\" (port 465)")
            smtp.starttls(context=context)
            smtp.ehlo()
    except (OSError, smtplib.SMTPException) as exc:
        if isinstance(exc, smtplib.SMTPResponseException):
            raise _answer(endpoint, "connect", exc.smtp_code, exc.smtp_error) from exc
        raise network_error(endpoint, exc) from exc
    return smtp


def _text(text: bytes | str) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else text


def _answer(endpoint: Endpoint, step: str, code: int, text: bytes | str) -> Exception:
    said = _text(text)
    message = f"SMTP {endpoint.where}: {step}: the server answered {code} {said}"
    return PermanentError(message) if 500 <= code < 600 else TemporaryError(message)


def open_smtp(endpoint: Endpoint) -> smtplib.SMTP:
    """A connection ready to send: TLS in place and logged in (when the server has AUTH)."""
    smtp = _connect(endpoint)
    try:
        if smtp.has_extn("auth"):
            smtp.login(endpoint.username, endpoint.password())
        elif endpoint.security != "none":
            log.info("SMTP %s offers no AUTH: sending without logging in", endpoint.where)
    except smtplib.SMTPAuthenticationError as exc:
        smtp.close()
        raise TemporaryError(f"SMTP {endpoint.where}: login: the server refused "
                             f"{endpoint.username!r} ({exc.smtp_code} {_text(exc.smtp_error)})"
                             ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        raise network_error(endpoint, exc) from exc
    return smtp


def submit(endpoint: Endpoint, sender: str, recipients: Sequence[str], raw: bytes,
           accepted: Callable[[], None] = lambda: None) -> None:
    """Send `raw` as is to `recipients`, from the envelope sender `sender`; `accepted` is
    called the moment the server took it (before the session is even closed)."""
    smtp = open_smtp(endpoint)
    try:
        refused = smtp.sendmail(sender, list(recipients), raw)
        accepted()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{r}: {c} {t.decode(errors='replace')}"
                           for r, (c, t) in exc.recipients.items())
        error = PermanentError if all(500 <= c < 600 for c in codes) else TemporaryError
        raise error(f"SMTP {endpoint.where}: every recipient refused: {detail}") from exc
    except smtplib.SMTPResponseException as exc:
        raise _answer(endpoint, "send", exc.smtp_code, exc.smtp_error) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise network_error(endpoint, exc) from exc
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    for recipient, (code, text) in refused.items():
        log.warning("SMTP %s refused recipient %s: %s %s", endpoint.where, recipient, code,
                    text.decode(errors="replace"))
