"""EBICS onboarding letters, as JSON and as PDF (pure; no PDF library needed).

- :func:`configuration_letter`: what the customer types into their EBICS client (host id,
  partner id, user id, URL, EBICS version) and what to send back (three certificates).
- :func:`bank_keys_letter`: the bank's key hashes, which the customer compares with what
  their client downloads (HPB) before trusting the bank's keys.

Each letter is a :class:`Letter` (title + labelled fields + notes); ``to_json()`` is the
API's JSON and :func:`to_pdf` renders the same content on A4 pages in Helvetica (Latin-1
text; anything else is transliterated). Same letter, same bytes: the PDF has no creation
date of its own, the letter's date is in its content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.formats.ebics_certificates import ROLE_VERSIONS, CheckedCertificate, Role, letter_format
from shared.formats.transliterate import to_cfonb

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
LINE_HEIGHT = 14
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LINE_HEIGHT
MAX_LINE_CHARACTERS = 90
MAX_PAGES = 20


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str
    title: str
    issued_at: datetime
    fields: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    data: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "title": self.title,
            "issued_at": self.issued_at.isoformat(),
            **self.data,
            "notes": list(self.notes),
        }


def configuration_letter(
    *,
    bank_name: str,
    host_id: str,
    partner_id: str,
    user_id: str,
    url: str,
    ebics_version: str,
    company_name: str,
    connection_id: str,
    issued_at: datetime,
) -> Letter:
    """The letter sent within 24 hours of a connection request."""
    roles = [f"{role.value} ({'/'.join(ROLE_VERSIONS[role])})" for role in Role]
    return Letter(
        kind="configuration",
        title=f"{bank_name}: EBICS configuration letter",
        issued_at=issued_at,
        fields=(
            ("Company", company_name),
            ("Connection", connection_id),
            ("EBICS version", ebics_version),
            ("Host ID", host_id),
            ("Partner ID", partner_id),
            ("User ID", user_id),
            ("URL", url),
        ),
        notes=(
            "Enter these parameters in your EBICS client, then send us your three "
            f"certificates: {', '.join(roles)}.",
            "Each certificate must hold its own RSA key of at least 2048 bits, be valid "
            "today, and carry the key usage of its role.",
            "We answer with the hashes of our keys; compare them with what your client "
            "downloads before you trust them.",
        ),
        data={
            "company_name": company_name,
            "connection_id": connection_id,
            "ebics_version": ebics_version,
            "host_id": host_id,
            "partner_id": partner_id,
            "user_id": user_id,
            "url": url,
            "certificates_expected": [
                {"role": role.value, "versions": list(ROLE_VERSIONS[role])} for role in Role
            ],
        },
    )


def bank_keys_letter(
    *,
    bank_name: str,
    host_id: str,
    connection_id: str,
    bank_certificates: dict[Role, CheckedCertificate],
    issued_at: datetime,
) -> Letter:
    """The bank's key hashes, answered once the customer's certificates are accepted."""
    fields: list[tuple[str, str]] = [("Host ID", host_id), ("Connection", connection_id)]
    keys = []
    for role, cert in sorted(bank_certificates.items(), key=lambda item: item[0].value):
        fields.append((f"{cert.version} public key hash (SHA-256)", ""))
        fields.extend(("", line) for line in letter_format(cert.public_key_hash).splitlines())
        fields.append((f"{cert.version} certificate hash (SHA-256)", ""))
        fields.extend(("", line) for line in letter_format(cert.certificate_hash).splitlines())
        keys.append(
            {
                "role": role.value,
                "version": cert.version,
                "public_key_hash": cert.public_key_hash,
                "public_key_hash_letter": letter_format(cert.public_key_hash),
                "certificate_hash": cert.certificate_hash,
                "certificate_hash_letter": letter_format(cert.certificate_hash),
                "not_after": cert.not_after.isoformat(),
            }
        )
    return Letter(
        kind="bank_keys",
        title=f"{bank_name}: our EBICS key hashes",
        issued_at=issued_at,
        fields=tuple(fields),
        notes=(
            "Public key hash: SHA-256 of the exponent and modulus in hexadecimal (EBICS "
            "2.5 and 3.0 letters); certificate hash: SHA-256 of the certificate (EBICS 3.0).",
            "If what your client shows differs, do not send any order and call us.",
        ),
        data={"host_id": host_id, "connection_id": connection_id, "bank_keys": keys},
    )


def _pdf_text(text: str) -> bytes:
    latin = "".join(ch if ord(ch) < 256 else to_cfonb(ch) for ch in text)
    raw = latin.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _lines(letter: Letter) -> list[tuple[str, str]]:
    """(font, text) lines: F2 bold, F1 regular, cut to fit the page width."""
    lines: list[tuple[str, str]] = [("F2", letter.title), ("F1", "")]
    lines.append(("F1", f"Date: {letter.issued_at.strftime('%Y-%m-%d %H:%M %Z').strip()}"))
    lines.append(("F1", ""))
    for label, value in letter.fields:
        if label and value:
            lines.append(("F1", f"{label}: {value}"))
        elif label:
            lines.append(("F2", label))
        else:
            lines.append(("F1", "    " + value))
    lines.append(("F1", ""))
    for note in letter.notes:
        words, current = note.split(), ""
        for word in words:
            if current and len(current) + 1 + len(word) > MAX_LINE_CHARACTERS:
                lines.append(("F1", current))
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(("F1", current))
    return [(font, text[:MAX_LINE_CHARACTERS]) for font, text in lines]


def to_pdf(letter: Letter) -> bytes:
    """A minimal PDF 1.4 of the letter: text pages, Helvetica, deterministic bytes."""
    lines = _lines(letter)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    pages = pages[:MAX_PAGES] or [[]]
    objects: list[bytes] = []  # object n is objects[n - 1]
    page_ids = [5 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{n} 0 R" for n in page_ids).encode()
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    for number, page in zip(page_ids, pages, strict=True):
        stream = [b"BT", b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN), b"%d TL" % LINE_HEIGHT]
        for font, text in page:
            stream.append(b"/%s 10 Tf (%s) Tj T*" % (font.encode(), _pdf_text(text)))
        stream.append(b"ET")
        content = b"\n".join(stream)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
