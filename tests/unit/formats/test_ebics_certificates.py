"""EBICS subscriber certificates: each refusal, and hashes checked against openssl."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared.formats.ebics_certificates import (
    CertificatesRefused,
    Role,
    check_certificates,
    letter_format,
    load_certificate,
    public_key_hash,
)
from tests.ebics_keys import USAGES, certificate_set, rsa_key
from tests.ebics_keys import certificate as make_certificate

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def certificate(key, *, usage, not_before=None, not_after=None, name="ACME SAS") -> bytes:
    return make_certificate(
        key, usage=usage, now=NOW, not_before=not_before, not_after=not_after, name=name
    )


def good_set() -> dict[Role, bytes]:
    return certificate_set(0, now=NOW)


def refusals_of(uploads: dict[Role, bytes | str]) -> list[tuple[str, str]]:
    with pytest.raises(CertificatesRefused) as caught:
        check_certificates(uploads, now=NOW)
    return [(r.role.split(" ")[0], r.code) for r in caught.value.refusals]


def test_three_good_certificates_are_accepted_with_their_hashes() -> None:
    checked = check_certificates(good_set(), now=NOW)
    assert set(checked) == set(Role)
    assert checked[Role.SIGNATURE].version == "A006"
    assert checked[Role.AUTHENTICATION].version == "X002"
    assert all(c.key_bits == 2048 for c in checked.values())
    assert checked[Role.ENCRYPTION].subject == "CN=ACME SAS"
    assert len({c.public_key_hash for c in checked.values()}) == 3


def test_an_expired_certificate_is_refused() -> None:
    uploads = good_set()
    uploads[Role.ENCRYPTION] = certificate(
        rsa_key(2048, 1),
        usage=USAGES[Role.ENCRYPTION],
        not_before=NOW - timedelta(days=800),
        not_after=NOW - timedelta(days=1),
    )
    assert refusals_of(uploads) == [("encryption", "expired")]


def test_a_certificate_not_yet_valid_is_refused() -> None:
    uploads = good_set()
    uploads[Role.SIGNATURE] = certificate(
        rsa_key(2048, 2), usage=USAGES[Role.SIGNATURE], not_before=NOW + timedelta(days=2)
    )
    assert refusals_of(uploads) == [("signature", "not_yet_valid")]


def test_a_1024_bit_key_is_refused() -> None:
    uploads = good_set()
    uploads[Role.AUTHENTICATION] = certificate(rsa_key(1024, 0), usage=USAGES[Role.AUTHENTICATION])
    with pytest.raises(CertificatesRefused) as caught:
        check_certificates(uploads, now=NOW)
    [refusal] = caught.value.refusals
    assert refusal.code == "key_too_short"
    assert refusal.message == "the key has 1024 bits; EBICS 3.0 requires at least 2048"
    assert refusal.role == "authentication (X002)"


@pytest.mark.parametrize(
    ("role", "usage", "message"),
    [
        (Role.AUTHENTICATION, {"key_encipherment": True}, "needs the digitalSignature"),
        (Role.ENCRYPTION, {"digital_signature": True}, "needs the keyEncipherment"),
        (Role.SIGNATURE, {"key_encipherment": True}, "needs the nonRepudiation or"),
        (Role.SIGNATURE, {"content_commitment": True, "data_encipherment": True},
         "signatures only"),
        (Role.ENCRYPTION, None, "no key usage extension"),
    ],
)  # fmt: skip
def test_a_key_usage_that_does_not_match_the_role_is_refused(
    role: Role, usage: dict[str, bool] | None, message: str
) -> None:
    uploads = good_set()
    uploads[role] = certificate(rsa_key(2048, list(Role).index(role)), usage=usage)
    with pytest.raises(CertificatesRefused) as caught:
        check_certificates(uploads, now=NOW)
    assert [(r.code, message in r.message) for r in caught.value.refusals][0] == (
        "key_usage",
        True,
    )
    assert all(r.role.startswith(role.value) for r in caught.value.refusals)


def test_the_same_key_for_two_roles_is_refused() -> None:
    uploads = good_set()
    # A second certificate, properly made for encryption, over the authentication key.
    uploads[Role.ENCRYPTION] = certificate(rsa_key(2048, 0), usage=USAGES[Role.ENCRYPTION])
    with pytest.raises(CertificatesRefused) as caught:
        check_certificates(uploads, now=NOW)
    [refusal] = caught.value.refusals
    assert refusal.code == "key_reused"
    assert "already the authentication key" in refusal.message


def test_every_fault_is_reported_at_once() -> None:
    uploads: dict[Role, bytes | str] = {
        Role.AUTHENTICATION: certificate(rsa_key(1024, 0), usage={"key_encipherment": True}),
        Role.ENCRYPTION: b"not a certificate",
    }
    assert refusals_of(uploads) == [
        ("authentication", "key_too_short"),
        ("authentication", "key_usage"),
        ("encryption", "unreadable"),
        ("signature", "missing"),
    ]


def test_other_key_types_private_keys_and_bundles_are_refused() -> None:
    uploads = good_set()
    uploads[Role.SIGNATURE] = certificate(
        ec.generate_private_key(ec.SECP256R1()), usage=USAGES[Role.SIGNATURE]
    )
    assert refusals_of(uploads) == [("signature", "not_rsa")]
    private_pem = rsa_key(2048, 2).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError, match="this is a private key"):
        load_certificate(private_pem)
    with pytest.raises(ValueError, match="expected one PEM certificate, found 2"):
        load_certificate(uploads[Role.ENCRYPTION] + uploads[Role.AUTHENTICATION])
    with pytest.raises(ValueError, match="more than 16384"):
        load_certificate(b"0" * 20000)


def test_der_is_accepted_as_well_as_pem() -> None:
    uploads = good_set()
    der = load_certificate(uploads[Role.ENCRYPTION]).public_bytes(serialization.Encoding.DER)
    uploads[Role.ENCRYPTION] = der
    assert check_certificates(uploads, now=NOW)[Role.ENCRYPTION].key_bits == 2048


def _openssl(pem: bytes, *args: str) -> str:
    done = subprocess.run(
        ["openssl", "x509", "-noout", *args], input=pem, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_hashes_match_an_independent_computation_with_openssl() -> None:
    uploads = good_set()
    checked = check_certificates(uploads, now=NOW)
    for role, pem in uploads.items():
        modulus = _openssl(pem, "-modulus").strip().removeprefix("Modulus=")
        exponent = re.search(r"Exponent: \d+ \(0x([0-9a-f]+)\)", _openssl(pem, "-text"))
        assert exponent is not None
        # The EBICS rule, from openssl's own printout: lower-case hex, no leading zeros.
        text = f"{exponent[1].lstrip('0')} {modulus.lower().lstrip('0')}"
        assert checked[role].public_key_hash == hashlib.sha256(text.encode()).hexdigest()
        fingerprint = _openssl(pem, "-fingerprint", "-sha256").strip().split("=", 1)[1]
        assert checked[role].certificate_hash == fingerprint.replace(":", "").lower()
        assert letter_format(checked[role].certificate_hash).replace("\n", " ") == (
            fingerprint.replace(":", " ")
        )


def test_leading_zero_bytes_are_not_part_of_the_hashed_text() -> None:
    # A modulus whose bytes (0a bc de f1) start with a zero digit: it is not hashed.
    key = rsa.RSAPublicNumbers(65537, 0x0ABCDEF1).public_key()
    assert public_key_hash(key) == hashlib.sha256(b"10001 abcdef1").hexdigest()
    assert letter_format(public_key_hash(key)).count("\n") == 1
