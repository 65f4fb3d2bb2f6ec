"""EBICS key pairs and certificates for tests, made with `cryptography` as an EBICS client
makes them (self-signed, EBICS T): one key per role, with the key usage of that role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from shared.formats.ebics_certificates import Role

USAGES = {
    Role.AUTHENTICATION: {"digital_signature": True},
    Role.ENCRYPTION: {"key_encipherment": True},
    Role.SIGNATURE: {"content_commitment": True},
}
_FLAGS = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
          "key_agreement", "key_cert_sign", "crl_sign")  # fmt: skip


@cache
def rsa_key(bits: int = 2048, n: int = 0) -> rsa.RSAPrivateKey:
    """Keys are slow to make: one per (size, index) for the whole run."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def certificate(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    *,
    usage: dict[str, bool] | None,
    now: datetime | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    name: str = "ACME SAS",
) -> bytes:
    """A self-signed PEM certificate; ``usage`` None leaves the key usage extension out."""
    now = now or datetime.now(UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=30))
        .not_valid_after(not_after or now + timedelta(days=700))
    )
    if usage is not None:
        flags = dict.fromkeys(_FLAGS, False) | usage
        builder = builder.add_extension(
            x509.KeyUsage(**flags, encipher_only=False, decipher_only=False), critical=True
        )
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def certificate_set(first_key: int = 0, now: datetime | None = None) -> dict[Role, bytes]:
    """Three good certificates, keys ``first_key``..``first_key + 2``."""
    return {
        role: certificate(rsa_key(2048, first_key + i), usage=USAGES[role], now=now)
        for i, role in enumerate(Role)
    }


BANK_KEYS = (10, 11)  # the bank's authentication and encryption keys


def bank_certificates() -> dict[Role, bytes]:
    return {
        Role.AUTHENTICATION: certificate(
            rsa_key(2048, BANK_KEYS[0]), usage=USAGES[Role.AUTHENTICATION], name="Bank"
        ),
        Role.ENCRYPTION: certificate(
            rsa_key(2048, BANK_KEYS[1]), usage=USAGES[Role.ENCRYPTION], name="Bank"
        ),
    }


def set_bank_host(set_env: Callable[[str, str], None]) -> None:
    """The bank's EBICS host, as the deployment configures it (environment variables);
    `set_env` is the fixture of tests/conftest.py."""
    certs = bank_certificates()
    for name, value in (
        ("EBICS_HOST_ID", "BANKHOST01"),
        ("EBICS_SERVER_URL", "https://ebics.bank.example/ebics"),
        ("EBICS_BANK_NAME", "Banque Exemple"),
        ("EBICS_BANK_AUTHENTICATION_CERT", certs[Role.AUTHENTICATION].decode()),
        ("EBICS_BANK_ENCRYPTION_CERT", certs[Role.ENCRYPTION].decode()),
    ):
        set_env(name, value)


def bank_key_hashes() -> list[str]:
    """The bank's public key hashes, computed here as a customer's client would."""
    from shared.formats.ebics_certificates import letter_format, public_key_hash

    return [letter_format(public_key_hash(rsa_key(2048, n).public_key())) for n in BANK_KEYS]
