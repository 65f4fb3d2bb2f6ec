"""Onboarding letters: the same content as JSON and as a PDF that a PDF reader opens."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader  # independent reader

from shared.formats.ebics_certificates import Role, check_certificates
from shared.formats.ebics_letters import bank_keys_letter, configuration_letter, to_pdf
from tests.unit.formats.test_ebics_certificates import NOW, good_set

ISSUED = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def _letter():
    return configuration_letter(
        bank_name="Banque Exemple",
        host_id="BQEXPLHOST",
        partner_id="P0000042",
        user_id="U0000007",
        url="https://ebics.example.test/ebics",
        ebics_version="3.0",
        company_name="Atelier Lumière SAS",
        connection_id="conn-1",
        issued_at=ISSUED,
    )


def test_configuration_letter_json_and_pdf_say_the_same() -> None:
    letter = _letter()
    data = letter.to_json()
    assert data["host_id"] == "BQEXPLHOST"
    assert data["partner_id"] == "P0000042"
    assert data["user_id"] == "U0000007"
    assert data["url"] == "https://ebics.example.test/ebics"
    assert [c["role"] for c in data["certificates_expected"]] == [r.value for r in Role]
    pdf = to_pdf(letter)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert to_pdf(letter) == pdf  # deterministic
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Host ID: BQEXPLHOST", "Partner ID: P0000042", "User ID: U0000007",
                     "URL: https://ebics.example.test/ebics", "Atelier Lumière SAS",
                     "signature (A005/A006)", "2026-12-03 09:30"):  # fmt: skip
        assert expected in text, text


def test_bank_keys_letter_prints_hashes_as_ini_letters_do() -> None:
    bank = check_certificates(good_set(), now=NOW)
    letter = bank_keys_letter(
        bank_name="Banque Exemple",
        host_id="BQEXPLHOST",
        connection_id="conn-1",
        bank_certificates={r: bank[r] for r in (Role.AUTHENTICATION, Role.ENCRYPTION)},
        issued_at=ISSUED,
    )
    keys = {k["version"]: k for k in letter.to_json()["bank_keys"]}
    assert set(keys) == {"X002", "E002"}
    pairs = keys["E002"]["public_key_hash_letter"].split()
    assert "".join(pairs).lower() == bank[Role.ENCRYPTION].public_key_hash
    assert len(keys["E002"]["public_key_hash_letter"].splitlines()) == 2
    text = PdfReader(io.BytesIO(to_pdf(letter))).pages[0].extract_text()
    first_line = keys["X002"]["public_key_hash_letter"].splitlines()[0]
    assert first_line in text
