"""What exported files and folders are called: safe names, month folders, extensions."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.domain.entities import BankAccount, Document, Organization, Transaction

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_PRODUCT_NAME = "Receipts"

_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heif",
    "image/webp": "webp",
    "image/tiff": "tif",
    "image/gif": "gif",
    "application/xml": "xml",
    "text/xml": "xml",
}
# Characters Windows, Drive or Dropbox refuse or treat specially, and control characters.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
MAX_COMPONENT_BYTES = 255
"""A path component's limit on the filesystems a local folder lives on (ext4, APFS, NTFS
count 255 bytes or UTF-16 units) and in Dropbox (255 characters): 255 UTF-8 bytes fits all."""

_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def safe_name(
    text: str | None,
    max_chars: int = 80,
    fallback: str = "unnamed",
    max_bytes: int = MAX_COMPONENT_BYTES,
) -> str:
    """One path component that every backend accepts and no one can use to escape a folder.

    Removes separators, characters Windows/Drive/Dropbox refuse, control characters and
    invisible format characters (bidi overrides that make `exe.pdf` read as `fdp.exe`,
    zero-width spaces and joiners, soft hyphens, BOMs), collapses whitespace, strips
    leading and trailing dots and spaces (hidden files, `..`, Windows), shortens to
    `max_chars` characters and `max_bytes` UTF-8 bytes without splitting a character or
    leaving a base letter without its accents, and prefixes reserved device names.

    >>> safe_name("../../etc/passwd")
    'etc passwd'
    >>> safe_name("SumUp *Cafe du Coin")
    'SumUp Cafe du Coin'
    >>> safe_name("CON")
    '_CON'
    >>> safe_name(" .. ")
    'unnamed'
    >>> safe_name("invoice\u202efdp.exe")
    'invoicefdp.exe'
    >>> safe_name("😀" * 100, max_bytes=10)
    '😀😀'
    """
    value = unicodedata.normalize("NFC", text or "")
    value = _FORBIDDEN.sub(" ", value)
    value = "".join(c for c in value if unicodedata.category(c) != "Cf")
    value = " ".join(value.split()).strip(" .")
    value = _shorten(value, max_chars, max_bytes).rstrip(" .")
    if not value:
        value = fallback
    if value.split(".")[0].upper() in _RESERVED:
        value = "_" + value
    return value


def _shorten(value: str, max_chars: int, max_bytes: int) -> str:
    if len(value) <= max_chars and len(value.encode()) <= max(max_bytes, 0):
        return value
    cut = value[:max_chars].encode()[: max(max_bytes, 0)].decode("utf-8", errors="ignore")
    # A cut before combining marks would leave their base letter bare ("é" read as "e"):
    # the whole cluster goes instead.
    while cut and len(cut) < len(value) and unicodedata.combining(value[len(cut)]):
        cut = cut[:-1]
    return cut


def short_id(value: str, length: int = 8) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def paris_month(instant: datetime) -> str:
    """`YYYY-MM` of an instant in Europe/Paris (a payment at 23:30 UTC on the 31st is next month)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime refused: instants must carry their timezone")
    return instant.astimezone(PARIS).strftime("%Y-%m")


@dataclass(frozen=True)
class Receipt:
    document: Document
    transaction: Transaction
    account: BankAccount | None


def extension_for(media_type: str | None) -> str:
    return _EXTENSIONS.get((media_type or "").split(";")[0].strip().lower(), "bin")


def receipt_file_name(receipt: Receipt) -> str:
    """`YYYY-MM-DD_<counterparty>_<amount> <currency>_<short id>.<ext>`, safe and stable.

    The counterparty is the extracted supplier name when there is one (what the user
    recognises), else the bank's counterparty label.
    """
    tx = receipt.transaction
    day = tx.emitted_at.astimezone(PARIS).strftime("%Y-%m-%d")
    amount = safe_name(f"{tx.amount.amount} {tx.amount.currency}", 30, "0")
    ext = extension_for(receipt.document.media_type)
    suffix = f"_{amount}_{short_id(receipt.document.id)}.{ext}"
    budget = MAX_COMPONENT_BYTES - len(f"{day}_".encode()) - len(suffix.encode())
    who = safe_name(receipt.document.supplier_name or tx.counterparty, 60, "unknown", budget)
    return f"{day}_{who}{suffix}"


def company_folder_name(org: Organization) -> str:
    suffix = f" ({short_id(org.id, 6)})"
    budget = MAX_COMPONENT_BYTES - len(suffix)
    return f"{safe_name(org.legal_name, 60, 'Company', budget)}{suffix}"


def account_folder_name(account: BankAccount | None, account_id: str) -> str:
    if account is None:
        return safe_name(account_id, 60, "Account")
    iban = account.iban
    suffix = f" ({safe_name(iban[:4], 4, '')}-{safe_name(iban[-4:], 4, '')})"
    budget = MAX_COMPONENT_BYTES - len(suffix.encode())
    return f"{safe_name(account.name, 60, 'Account', budget)}{suffix}"
