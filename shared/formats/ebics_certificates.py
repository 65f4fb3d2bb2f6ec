"""EBICS subscriber certificates: checking the three a customer uploads, and key hashes.

A subscriber has three RSA key pairs, one per role (EBICS 3.0, "H005"):

============== ========== ===================================== ============================
role           versions   what the bank does with it            key usage required
============== ========== ===================================== ============================
authentication X002       verifies the signature of each request digitalSignature
encryption     E002       encrypts the transaction key for them  keyEncipherment
signature      A005, A006 verifies the orders' electronic sign.  nonRepudiation or
                                                                 digitalSignature, and no
                                                                 encipherment (dedicated key)
============== ========== ===================================== ============================

:func:`check_certificates` refuses, with one reason per fault (every fault, not the first):
unreadable X.509 (PEM or DER, one certificate, at most :data:`MAX_CERTIFICATE_BYTES`), a
private key sent by mistake, a key that is not RSA or shorter than :data:`MIN_KEY_BITS` (EBICS
3.0) or longer than :data:`MAX_KEY_BITS`, a certificate not yet valid or expired, a missing or
wrong key usage, and the same key used for two roles. Chains are not checked: EBICS T lets a
subscriber self-sign, and a bank that requires a CA checks the issuer on its side.

Key hashes, as the EBICS specification defines them for the INI/HIA letters and HPB:
:func:`public_key_hash` is SHA-256 over the ASCII text "<exponent> <modulus>", each in
lower-case hexadecimal without leading zeros; :func:`certificate_hash` is SHA-256 over the
certificate's DER bytes (the hash EBICS 3.0 letters show for certificates).
:func:`letter_format` writes a hash as the letters do: upper-case byte pairs separated by
spaces, 16 pairs a line.

>>> letter_format("00" * 31 + "ff")
'00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\\n00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 FF'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.errors import Refused

MAX_CERTIFICATE_BYTES = 16 * 1024
MIN_KEY_BITS = 2048
MAX_KEY_BITS = 8192  # beyond this, verification costs grow for no gain; none in practice


class Role(StrEnum):
    AUTHENTICATION = "authentication"
    ENCRYPTION = "encryption"
    SIGNATURE = "signature"


ROLE_VERSIONS: dict[Role, tuple[str, ...]] = {
    Role.AUTHENTICATION: ("X002",),
    Role.ENCRYPTION: ("E002",),
    Role.SIGNATURE: ("A005", "A006"),
}


@dataclass(frozen=True, slots=True)
class Refusal:
    """One reason a certificate is refused: which role, a stable code, and a sentence."""

    role: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.role}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"role": self.role, "code": self.code, "message": self.message}


class CertificatesRefused(Refused, ValueError):
    """The uploaded certificates are refused (well-formed request, refused by the rules:
    422); ``refusals`` lists every reason."""

    code = "certificates_refused"

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__("; ".join(str(r) for r in refusals))


@dataclass(frozen=True, slots=True)
class CheckedCertificate:
    """An accepted certificate and what the bank keeps of it."""

    role: Role
    version: str
    subject: str
    not_before: datetime
    not_after: datetime
    key_bits: int
    public_key_hash: str  # hex, lower case
    certificate_hash: str  # hex, lower case
    pem: str

    def to_json(self) -> dict[str, object]:
        return {
            "role": self.role.value,
            "version": self.version,
            "subject": self.subject,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "key_bits": self.key_bits,
            "public_key_hash": self.public_key_hash,
            "certificate_hash": self.certificate_hash,
        }


def public_key_hash(key: rsa.RSAPublicKey) -> str:
    """SHA-256 of "<exponent hex> <modulus hex>" (lower case, no leading zeros), as hex."""
    numbers = key.public_numbers()
    text = f"{numbers.e:x} {numbers.n:x}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def certificate_hash(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER encoding, as hex."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def letter_format(hex_digest: str) -> str:
    """A hash as the INI/HIA letters print it: 'AB CD ...', 16 pairs per line."""
    pairs = [hex_digest[i : i + 2].upper() for i in range(0, len(hex_digest), 2)]
    return "\n".join(" ".join(pairs[i : i + 16]) for i in range(0, len(pairs), 16))


def load_certificate(data: bytes | str) -> x509.Certificate:
    """One X.509 certificate from PEM or DER bytes; ValueError says why it is unreadable."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if not isinstance(data, bytes):
        raise ValueError("a certificate must be given as PEM text or DER bytes")
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise ValueError(f"{len(data)} bytes, more than {MAX_CERTIFICATE_BYTES} for a certificate")
    if b"PRIVATE KEY" in data:
        raise ValueError(
            "this is a private key: send only the certificate, and generate a new key pair, "
            "since this one has left your hands"
        )
    if b"-----BEGIN" in data:
        count = data.count(b"-----BEGIN CERTIFICATE-----")
        if count != 1:
            raise ValueError(f"expected one PEM certificate, found {count}")
        try:
            return x509.load_pem_x509_certificate(data)
        except ValueError as exc:
            raise ValueError(f"not a readable PEM X.509 certificate ({exc})") from None
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise ValueError(f"neither PEM nor DER X.509 ({exc})") from None


def _key_usage(certificate: x509.Certificate) -> x509.KeyUsage | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None


def _usage_faults(role: Role, usage: x509.KeyUsage | None) -> list[str]:
    if usage is None:
        return ["the certificate has no key usage extension; EBICS requires one per role"]
    if role is Role.AUTHENTICATION and not usage.digital_signature:
        return ["an authentication (X002) certificate needs the digitalSignature key usage"]
    if role is Role.ENCRYPTION and not usage.key_encipherment:
        return ["an encryption (E002) certificate needs the keyEncipherment key usage"]
    if role is Role.SIGNATURE:
        faults = []
        if not (usage.content_commitment or usage.digital_signature):
            faults.append(
                "a signature (A005/A006) certificate needs the nonRepudiation or "
                "digitalSignature key usage"
            )
        if usage.key_encipherment or usage.data_encipherment:
            faults.append(
                "a signature (A005/A006) key must serve signatures only, but this "
                "certificate also allows encipherment"
            )
        return faults
    return []


def _name(certificate: x509.Certificate) -> str:
    try:
        return certificate.subject.rfc4514_string()[:256]
    except ValueError:
        return "(unreadable subject)"


def check_certificate(
    role: Role, data: bytes | str, *, now: datetime, version: str | None = None
) -> tuple[CheckedCertificate | None, list[Refusal]]:
    """Check one uploaded certificate for ``role``; the certificate or the reasons."""
    label = f"{role.value} ({'/'.join(ROLE_VERSIONS[role])})"
    version = version or ROLE_VERSIONS[role][-1]
    refusals: list[Refusal] = []
    if version not in ROLE_VERSIONS[role]:
        allowed = ", ".join(ROLE_VERSIONS[role])
        refusals.append(Refusal(label, "version", f"version {version!r} is not one of {allowed}"))
    try:
        certificate = load_certificate(data)
    except ValueError as exc:
        return None, [*refusals, Refusal(label, "unreadable", str(exc))]
    try:
        key = certificate.public_key()
    except (ValueError, TypeError) as exc:
        return None, [*refusals, Refusal(label, "unreadable", f"unreadable public key ({exc})")]
    if not isinstance(key, rsa.RSAPublicKey):
        return None, [
            *refusals,
            Refusal(label, "not_rsa", f"EBICS keys are RSA; this one is {type(key).__name__}"),
        ]
    bits = key.key_size
    if bits < MIN_KEY_BITS:
        refusals.append(
            Refusal(
                label,
                "key_too_short",
                f"the key has {bits} bits; EBICS 3.0 requires at least {MIN_KEY_BITS}",
            )  # fmt: skip
        )
    elif bits > MAX_KEY_BITS:
        refusals.append(
            Refusal(label, "key_too_long", f"the key has {bits} bits, more than {MAX_KEY_BITS}")
        )
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    if now < not_before:
        refusals.append(
            Refusal(
                label,
                "not_yet_valid",
                f"the certificate is valid only from {not_before.isoformat()}",
            )  # fmt: skip
        )
    if now > not_after:
        refusals.append(
            Refusal(label, "expired", f"the certificate expired on {not_after.isoformat()}")
        )
    try:
        usage = _key_usage(certificate)
    except ValueError as exc:
        usage = None
        refusals.append(Refusal(label, "key_usage", f"unreadable extensions ({exc})"))
    else:
        refusals.extend(Refusal(label, "key_usage", m) for m in _usage_faults(role, usage))
    if refusals:
        return None, refusals
    checked = CheckedCertificate(
        role=role,
        version=version,
        subject=_name(certificate),
        not_before=not_before,
        not_after=not_after,
        key_bits=bits,
        public_key_hash=public_key_hash(key),
        certificate_hash=certificate_hash(certificate),
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )
    return checked, []


def check_certificates(
    uploads: dict[Role, bytes | str],
    *,
    now: datetime | None = None,
    versions: dict[Role, str] | None = None,
) -> dict[Role, CheckedCertificate]:
    """Check the three certificates together, or raise :class:`CertificatesRefused` with
    every reason: each certificate's faults, a missing role, and a key used twice."""
    now = now or datetime.now(UTC)
    versions = versions or {}
    refusals: list[Refusal] = []
    checked: dict[Role, CheckedCertificate] = {}
    for role in Role:
        if role not in uploads or not uploads[role]:
            label = f"{role.value} ({'/'.join(ROLE_VERSIONS[role])})"
            refusals.append(Refusal(label, "missing", "no certificate was sent for this role"))
            continue
        certificate, faults = check_certificate(
            role, uploads[role], now=now, version=versions.get(role)
        )
        refusals.extend(faults)
        if certificate is not None:
            checked[role] = certificate
    seen: dict[str, Role] = {}
    for role, certificate in checked.items():
        first = seen.setdefault(certificate.public_key_hash, role)
        if first is not role:
            refusals.append(
                Refusal(
                    f"{role.value} ({'/'.join(ROLE_VERSIONS[role])})",
                    "key_reused",
                    f"the same key is already the {first.value} key; each role needs its own "
                    "key pair",
                )
            )
    if refusals:
        raise CertificatesRefused(refusals)
    return checked
