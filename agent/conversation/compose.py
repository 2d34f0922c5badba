"""Turn a template kind and its context into the exact bytes we send.

Terms:
- *kind*: which message (`objectives`, `questionnaire`, `digest`, `notice`); each
  kind is three templates per language: `<kind>.subject.j2` (one line),
  `<kind>.txt.j2` (plain text) and `<kind>.html.j2` (HTML, autoescaped).
- *key*: the stable name of the send (see agent.core.model); the Message-ID and the
  MIME boundary are derived from it, and nothing random or read from the wall
  clock goes into the bytes, so composing the same inputs twice gives the same
  `raw` (a retry after a crash sends the very same message).

An admin may override any template by putting a file of the same name in
`<override_dir>/<lang>/`; the packaged `templates/<lang>/` fills the rest.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from html import escape as html_escape
from pathlib import Path
from urllib.parse import quote

import jinja2

from agent.core.model import Outgoing, short_hash
from agent.resources import templates as packaged_templates

_UNFOLDED = SMTP.clone(max_line_length=998)

LANGUAGES = ("fr", "en")


class ComposeError(ValueError):
    """A message cannot be composed: unknown language, missing template or variable."""


def message_id_for(key: str, domain: str, secret: bytes) -> str:
    """The Message-ID of the send named `key`: the same key (and secret) always gives the same id.

    An HMAC of the key with the installation's secret (agent.core.secret): keys are built
    from the roster (pairing, date, email), so an id derived from the key alone could be
    computed by anyone and cited in a forged reply. 32 hex digits (128 bits); ids of 24
    digits in mail sent before this were a plain hash of the key (agent.core.ledger.mail).
    """
    digest = hmac.new(secret, b"message-id\x1f" + key.encode(), hashlib.sha256).hexdigest()
    return f"<{digest[:32]}@{domain}>"


def content_id(key: str, name: str, domain: str) -> str:
    """The Content-ID (without brackets) of inline image `name` in the send named `key`."""
    return f"{name}.{short_hash(key, name, length=12)}@{domain}"


@dataclass(frozen=True)
class InlineImage:
    """A PNG shown inside the HTML part (referenced there as `cid:<content_id>`)."""

    content_id: str
    png: bytes
    filename: str


def mailto_link(to: str, subject: str, body: str, in_reply_to: str | None = None) -> str:
    """An RFC 6068 `mailto:` URL opening a reply prefilled with `subject` and `body`.

    `In-Reply-To` is a header field RFC 6068 allows in the URL; clients that honour
    it thread the reply, and the subject token covers those that don't.
    """
    fields = [("subject", subject), ("body", body)]
    if in_reply_to:
        fields.append(("In-Reply-To", in_reply_to))
    # safe="" so that "&", "=", "?", "<", ">" and "@" inside values are escaped
    # (RFC 6068 section 2: they are reserved in hfvalues); "@" stays in the address.
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields)
    return f"mailto:{quote(to, safe='@')}?{query}"


class Composer:
    """Renders templates (admin overrides first) and builds deterministic MIME messages."""

    def __init__(self, override_dir: Path | None = None) -> None:
        self.override_dir = override_dir
        self._envs: dict[str, jinja2.Environment] = {}

    def search_path(self, language: str) -> list[Path]:
        """Where templates for `language` are looked up, first match wins."""
        paths = [packaged_templates() / language]
        if self.override_dir is not None:
            paths.insert(0, Path(self.override_dir) / language)
        return paths

    def environment(self, language: str) -> jinja2.Environment:
        """The Jinja environment for `language`: overrides first, HTML autoescaped, a missing
        variable an error; `ComposeError` for an unknown language."""
        if language not in LANGUAGES:
            raise ComposeError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
        env = self._envs.get(language)
        if env is None:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader([str(p) for p in self.search_path(language)]),
                undefined=jinja2.StrictUndefined,
                autoescape=jinja2.select_autoescape(
                    enabled_extensions=("html.j2",), default_for_string=False, default=False
                ),
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
            self._envs[language] = env
        return env

    def render(self, name: str, language: str, context: Mapping[str, object]) -> str:
        """Render one template file (e.g. `questionnaire.txt.j2`) with `context`."""
        env = self.environment(language)
        try:
            return env.get_template(name).render(**context)
        except jinja2.TemplateNotFound as exc:
            where = ", ".join(str(p) for p in self.search_path(language))
            raise ComposeError(
                f"template {language}/{exc.name} not found (looked in {where})"
            ) from None
        except jinja2.UndefinedError as exc:
            raise ComposeError(f"template {language}/{name}: {exc.message}") from exc
        except jinja2.TemplateSyntaxError as exc:  # an admin's template that does not parse
            raise ComposeError(f"template {language}/{exc.name or name}, line {exc.lineno}: "
                               f"{exc.message}") from None

    def render_content(self, name: str, language: str, context: Mapping[str, object]) -> str:
        """Only the `content` block of an HTML template (the whole of it if it has none)."""
        env = self.environment(language)
        try:
            template = env.get_template(name)
            block = template.blocks.get("content")
            if block is None:
                return template.render(**context)
            return "".join(block(template.new_context(dict(context))))
        except jinja2.TemplateNotFound as exc:
            raise ComposeError(f"template {language}/{exc.name} not found") from None
        except jinja2.UndefinedError as exc:
            raise ComposeError(f"template {language}/{name}: {exc.message}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise ComposeError(f"template {language}/{exc.name or name}, line {exc.lineno}: "
                               f"{exc.message}") from None

    def render_text(
        self, kind: str, language: str, context: Mapping[str, object]
    ) -> tuple[str, str, str]:
        """(subject, plain text, html) of `kind` in `language`."""
        subject = " ".join(self.render(f"{kind}.subject.j2", language, context).split())
        text = self.render(f"{kind}.txt.j2", language, context).strip() + "\n"
        html = self.render(f"{kind}.html.j2", language, context).strip() + "\n"
        return subject, text, html

    def compose(
        self,
        kind: str,
        language: str,
        context: Mapping[str, object],
        *,
        key: str,
        message_id: str,
        sender: str,
        sender_name: str,
        to: Sequence[str],
        date: datetime,
        reply_to: str | None = None,
        in_reply_to: str | None = None,
        references: Sequence[str] = (),
        also: Sequence[tuple[str, str, Mapping[str, object]]] = (),
        images: Sequence[InlineImage] = (),
    ) -> Outgoing:
        """The message `kind` for `to`, as the bytes to send, keyed by `key` (`message_id`:
        its `message_id_for`).

        `also`: other mails (key, template, context) that travel inside this one, each
        after a rule: their whole text, and the content block of their HTML
        (agent.conversation.pacing).
        Their keys are listed in an X-Binome-Covers header.
        """
        if not to:
            raise ComposeError(f"{kind} ({key}): no recipient")
        subject, text, html = self.render_text(kind, language, context)
        greeting = text.split("\n", 1)[0].strip()
        # The sections go before this message's footer, so it closes the whole mail.
        head, rule, footer = text.rpartition("\n--\n")
        if not rule:
            head, footer = text, ""
        for _, other, other_context in also:
            _, more_text, _ = self.render_text(other, language, other_context)
            head = f"{head.rstrip()}\n\n{_RULE_TEXT}\n\n{_section_text(more_text, greeting)}"
            more = self.render_content(f"{other}.html.j2", language, other_context)
            html = _insert(html, f"{_RULE_HTML}\n{_section_html(more, greeting)}")
        if also:
            text = f"{head.rstrip()}\n{rule}{footer}" if rule else head
        msg = EmailMessage(policy=SMTP)
        msg["From"] = Address(display_name=sender_name, addr_spec=sender)
        msg["To"] = ", ".join(to)
        if reply_to:
            msg["Reply-To"] = reply_to
        msg["Subject"] = subject
        msg["Date"] = format_datetime(date)
        msg["Message-ID"] = message_id
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to
        if references:
            msg["References"] = " ".join(references)
        msg["X-Binome-Key"] = key
        if also:
            msg["X-Binome-Covers"] = " ".join(k for k, _, _ in also)
        msg["Auto-Submitted"] = "auto-generated"
        # quoted-printable keeps the bytes 7-bit and readable whatever the relay does.
        msg.set_content(text, charset="utf-8", cte="quoted-printable")
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        if images:
            # multipart/related around the HTML: clients show cid: images inline and
            # never fetch anything from the network.
            html_part = list(msg.iter_parts())[1]
            assert isinstance(html_part, EmailMessage)
            for image in images:
                html_part.add_related(image.png, "image", "png", cid=f"<{image.content_id}>",
                                      filename=image.filename, disposition="inline")
            html_part.set_boundary(f"==binome-{short_hash(key, 'related', length=24)}==")
        # After the parts: make_alternative moves every Content-* header into the first part.
        msg["Content-Language"] = language
        # The default boundary is random; one derived from the key keeps `raw` stable.
        msg.set_boundary(f"==binome-{short_hash(key, 'boundary', length=24)}==")
        return Outgoing(
            key=key,
            message_id=message_id,
            sender=sender,
            recipients=tuple(to),
            # Headers unfolded up to RFC 5322's hard limit: folding a long X-Binome-Key
            # (no spaces to fold at) would make it read back with a leading space.
            raw=msg.as_bytes(policy=_UNFOLDED),
        )


__all__ = ["Composer", "ComposeError", "InlineImage", "LANGUAGES", "content_id",
           "mailto_link", "message_id_for"]


# Between a message's own content and a mail that travels inside it.
_RULE_TEXT = "—" * 24
_RULE_HTML = '<hr style="border:none;border-top:1px solid #d4d4d8;margin:28px 0;">'
_MORE = "<!-- binome:more -->"  # where the layout wants more content to go


def _insert(html: str, more: str) -> str:
    """`more` at the layout's marker; an admin's layout without one gets it before </body>."""
    if _MORE in html:
        return html.replace(_MORE, f"{more}\n{_MORE}", 1)
    at = html.lower().rfind("</body>")
    return html[:at] + more + html[at:] if at >= 0 else html + more


# A mail travelling inside another reads as a section of it: the greeting is said once,
# at the top, and the footer (programme, how to pause or stop) once, at the bottom.
def _section_text(text: str, greeting: str) -> str:
    body = text.rsplit("\n--\n", 1)[0]
    first, _, rest = body.partition("\n")
    if first.strip() == greeting:
        body = rest.lstrip("\n")
    return body.rstrip() + "\n"


def _section_html(content: str, greeting: str) -> str:
    first, _, rest = content.lstrip("\n").partition("\n")
    return rest if greeting and f">{html_escape(greeting)}</" in first else content
