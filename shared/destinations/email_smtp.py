"""Email over SMTP (smtplib): the only module that talks SMTP.

A firm installs its relay once (host, port, TLS mode, login, sender address); each
client's activation names the target address (an accounting inbox, typically).

- **One message per document** (`send`) or **a daily digest** (`send_digest`). A message
  carries the document and its index record (`.json`) as attachments. An update (the
  document matched to its payment after it was sent) is a reply to the first message
  carrying the new index record alone: an inbox that imports attachments gets no second
  copy of the document.
- **Size.** A message stays under `max_message_bytes` (default 18 MB, below the 20-25 MB
  most providers accept) *encoded*: base64 grows attachments by 4/3 plus line breaks. A
  digest larger than that is split into several messages ("part 2/3"); a single document
  that cannot fit is refused with `FileTooLarge` (intake bounds documents at 15 MB, so
  this only happens with a smaller configured limit).
- **Idempotency.** `Message-ID` is derived from the parcel's key (and the part number),
  so a resend after a lost answer carries the same id and mail systems and accounting
  inboxes drop the duplicate.
- **Failure mapping (`_classify`):** 452 / 552 (mailbox or storage full) ->
  `MailboxFull`, retried with backoff then left retryable; other 4xx and lost
  connections -> retried, then `RetryableError`; refused login -> `ReconnectNeeded`;
  other 5xx (unknown recipient, policy refusal) -> `RecipientRefused`, permanent.
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from shared.destinations.base import (
    DestinationError,
    FileTooLarge,
    ReconnectNeeded,
    RetryableError,
    RetryPolicy,
    Transient,
)
from shared.destinations.network import check_public_host
from shared.destinations.parcel import Parcel

MAX_MESSAGE_BYTES = 18 * 1024 * 1024
_HEADROOM = 64 * 1024  # headers, text body and MIME boundaries
SECURITY_MODES = ("starttls", "tls", "none")


class MailboxFull(RetryableError):
    """The recipient's mailbox (or the relay's storage) is full: 452 / 552."""

    status = "mailbox_full"


class RecipientRefused(DestinationError):
    """The relay refused the recipient or the message for good (5xx)."""

    status = "recipient_refused"


def encoded_size(raw: int) -> int:
    """Bytes an attachment of `raw` bytes takes in a message (base64, 76-char lines + CRLF).

    >>> encoded_size(57)
    78
    """
    b64 = 4 * ((raw + 2) // 3)
    return b64 + 2 * ((b64 + 75) // 76)


def check_address(address: str) -> str:
    """A plain `local@domain` address; refuses header injection and display names.

    >>> check_address("inbox@cabinet.fr")
    'inbox@cabinet.fr'
    >>> check_address("a@b.fr\\r\\nBcc: x@y.z")
    Traceback (most recent call last):
    ...
    ValueError: not a valid email address: 'a@b.fr\\r\\nBcc: x@y.z'
    """
    local, _, domain = address.rpartition("@")
    if (
        not local
        or "." not in domain
        or len(address) > 254
        or any(c.isspace() or c in '<>,;:"()[]\\' for c in address)
        or any(ord(c) < 32 for c in address)
    ):
        raise ValueError(f"not a valid email address: {address!r}")
    return address


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    from_address: str
    security: str = "starttls"  # starttls | tls | none (a local relay only)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    max_message_bytes: int = MAX_MESSAGE_BYTES
    allow_local: bool = False  # the deployment's PARTNER_ALLOW_LOCAL_HOSTS, never the firm's

    def __post_init__(self) -> None:
        if not self.host or not (0 < self.port < 65536):
            raise ValueError("SMTP settings need host and port (1-65535)")
        check_public_host(self.host, allow_local=self.allow_local, resolve=False)
        if self.security not in SECURITY_MODES:
            raise ValueError(f"SMTP security must be one of {SECURITY_MODES}")
        check_address(self.from_address)
        if bool(self.username) != bool(self.password):
            raise ValueError("SMTP username and password go together")
        if self.max_message_bytes < 1024 * 1024:
            raise ValueError("SMTP max_message_bytes must be at least 1 MiB")

    @property
    def domain(self) -> str:
        return self.from_address.rpartition("@")[2]


def _code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return max(codes) if codes else None
    return getattr(exc, "smtp_code", None)


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ReconnectNeeded(f"SMTP login refused ({exc.smtp_code})")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DestinationError(f"SMTP relay lacks a required feature: {exc}")
    if isinstance(
        exc, smtplib.SMTPServerDisconnected | socket.timeout | OSError
    ) and not isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
        return Transient(RetryableError(f"SMTP connection failed: {exc!r}"))
    code = _code(exc)
    text = f"SMTP refused ({code}): {exc}"
    if code in (452, 552):
        return Transient(MailboxFull(f"recipient mailbox full ({code})"))
    if code is not None and 400 <= code < 500:
        return Transient(RetryableError(text))
    if code is not None and code >= 500:
        return RecipientRefused(text)
    if isinstance(exc, DestinationError):
        return exc
    return DestinationError(f"SMTP failed: {exc!r}")


class EmailSender:
    """Sends parcels to one address through the firm's relay."""

    kind = "email"

    def __init__(
        self, settings: SmtpSettings, to_address: str, retry: RetryPolicy | None = None
    ) -> None:
        self.settings = settings
        self.to_address = check_address(to_address)
        self.retry = retry or RetryPolicy(max_attempts=5, max_delay=60.0)
        self.retries = 0

    @staticmethod
    def message_id_for(key: str, domain: str, part: int = 1) -> str:
        """The Message-ID of part `part` of the delivery `key`, sent from `domain`."""
        digest = hashlib.sha256(f"{key}|{part}".encode()).hexdigest()[:40]
        return f"<{digest}@{domain}>"

    def message_id(self, key: str, part: int = 1) -> str:
        return self.message_id_for(key, self.settings.domain, part)

    # ------------------------------------------------------------------ building

    def _fits(self, parcels: Sequence[Parcel]) -> bool:
        size = sum(encoded_size(len(p.data)) + encoded_size(len(p.index_json())) for p in parcels)
        return size + _HEADROOM <= self.settings.max_message_bytes

    def batches(self, parcels: Sequence[Parcel]) -> list[list[Parcel]]:
        """Parcels grouped in order into messages that each fit the size limit."""
        out: list[list[Parcel]] = []
        for parcel in parcels:
            if not self._fits([parcel]):
                raise FileTooLarge(
                    f"{parcel.name} ({len(parcel.data)} bytes) does not fit in one message"
                    f" of {self.settings.max_message_bytes} bytes"
                )
            if out and self._fits([*out[-1], parcel]):
                out[-1].append(parcel)
            else:
                out.append([parcel])
        return out

    def build(self, parcels: Sequence[Parcel], subject: str, message_id: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.settings.from_address
        msg["To"] = self.to_address
        msg["Subject"] = subject
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = message_id
        lines = [f"- {'/'.join((*p.folder, p.name))}" for p in parcels]
        msg.set_content("Documents:\n" + "\n".join(lines) + "\n")
        for p in parcels:
            maintype, _, subtype = p.mime_type.partition("/")
            msg.add_attachment(
                p.data, maintype=maintype, subtype=subtype or "octet-stream", filename=p.name
            )
            msg.add_attachment(
                p.index_json(), maintype="application", subtype="json", filename=p.index_name
            )
        return msg

    # ------------------------------------------------------------------ sending

    def _deliver(self, msg: EmailMessage) -> None:
        s = self.settings

        def attempt() -> None:
            check_public_host(s.host, allow_local=s.allow_local)  # DNS may answer otherwise now
            if s.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                client.ehlo()
                if s.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                if s.username and s.password:
                    client.login(s.username, s.password)
                client.send_message(msg, to_addrs=[self.to_address])
            finally:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    client.close()

        self.retry.call(attempt, _classify, self._count_retry)

    def _count_retry(self) -> None:
        self.retries += 1

    def send(self, parcel: Parcel) -> str:
        """One message for one document; returns its Message-ID."""
        message_id = self.message_id(parcel.key)
        if parcel.update_of is not None:
            self._deliver(self.build_update(parcel, message_id))
            return message_id
        (batch,) = self.batches([parcel])
        self._deliver(self.build(batch, f"Document {parcel.name}", message_id))
        return message_id

    def build_update(self, parcel: Parcel, message_id: str) -> EmailMessage:
        assert parcel.update_of is not None
        # The first message's id as sent (a digest's parts), else as it was derived.
        sent = [i for i in (parcel.first_receipt or "").split() if i.startswith("<")]
        first = " ".join(sent) or self.message_id(parcel.update_of)
        msg = EmailMessage()
        msg["From"] = self.settings.from_address
        msg["To"] = self.to_address
        msg["Subject"] = f"Re: Document {parcel.name}"
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = message_id
        msg["In-Reply-To"] = first.split()[0]
        msg["References"] = first
        transaction = parcel.index.get("transaction_id")
        change = (
            f"It is now matched to the bank transaction {transaction}."
            if transaction
            else "It is no longer matched to a bank transaction."
        )
        msg.set_content(
            f"The index record of {'/'.join((*parcel.folder, parcel.name))} changed. {change}\n"
            "The new record is attached; the document itself is unchanged.\n"
        )
        msg.add_attachment(
            parcel.index_json(), maintype="application", subtype="json", filename=parcel.index_name
        )
        return msg

    def send_digest(self, digest_key: str, parcels: Sequence[Parcel], title: str) -> list[str]:
        """The day's documents in as few messages as fit; returns their Message-IDs.

        `digest_key` (e.g. activation id + date) makes the ids stable across resends, as
        long as the same parcels are sent in the same order.
        """
        batches = self.batches(parcels)
        ids = []
        for number, batch in enumerate(batches, start=1):
            subject = title if len(batches) == 1 else f"{title} (part {number}/{len(batches)})"
            message_id = self.message_id(digest_key, number)
            self._deliver(self.build(batch, subject, message_id))
            ids.append(message_id)
        return ids
