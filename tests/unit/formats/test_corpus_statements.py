"""Our strict validators on statement files written by others (../shared/corpus/bank).

Being strict is the point: these validators guard what we drop for a bank's customers, and
the existing parsers are lenient. Each file's outcome is pinned here, so a change in
strictness is a visible decision. Why the third-party files fail:

- fragments, not statements (cmxl/*, betterplace/* snippets, self-provided/sparkassen):
  a lone field, no :20:/:25:/:28C:/:60F: header -> "out of order" or "ends early";
- bank envelopes other than SWIFT blocks (ABN AMRO, ING, Rabobank and empty_non_swift
  header lines; mBank's SOH/ETX control characters) -> "text before the first field" or
  "outside the SWIFT X character set";
- real rule breaks that lenient parsers accept: betterplace/sepa_snippet.sta's balances do
  not add up (off by 300.08), :86: of 7 lines or lines of 66/78 characters, ':28C:' wrapped
  over two lines (ING), amounts without a comma (Knab), :61: without the mandatory reference
  or with a reference over 16 characters (ASN), 30 February, non-MT940 fields (:34F: of
  MT942, :12:, :26:), characters outside SWIFT X ('>', 'Ä', 'ä');
- CFONB: pennylane's deliberately broken files (ordering, 116-character record), a blank
  05 qualifier (pennylane example.txt), 04 records whose bank/branch differ from their 01
  (silarhi fixtures), a blank currency (akretion), a CFONB-240 file, and the reconstructed
  OCA files, whose 05 records follow a 04 of another operation (a reconstruction artefact).

Files are read as Latin-1 (byte = character), so a UTF-8 'Ü' shows as 'Ã'.
"""

from __future__ import annotations

import pytest

from shared.formats import cfonb120, mt940
from shared.formats.errors import FormatValidationError
from tests.unit.formats.conftest import BANK

# relative path -> None (valid) or (line at fault, start of the message)
MT940_EXPECTED: dict[str, tuple[int, str] | None] = {
    "generated-here/sample.sta": None,
    "oca-bank-statement-import-10.0/account_bank_statement_import_mt940_base_test_files_test-ing.940": (7, ':28C: must fit on one line'),
    "oca-bank-statement-import-10.0/account_bank_statement_import_mt940_base_test_files_test-sns.940": (17, "character '>' is outside the SWIFT X character set"),
    "oca-bank-statement-import-10.0/account_bank_statement_import_mt940_base_test_files_test-wrong-file.940": (1, 'text before the first field (expected :20:)'),
    "oca-bank-statement-import-10.0/account_bank_statement_import_mt940_nl_ing_test_files_test-ing-old.940": (1, 'text before the first field (expected :20:)'),
    "oca-bank-statement-import-10.0/account_bank_statement_import_mt940_nl_ing_test_files_test-ing.940": (7, ':28C: must fit on one line'),
    "wolph-mt940_tests/ASNB/0708271685_09022020_164516.940.txt": (6, ":61: '2001010101D65,00NOVBNL47INGB9999999999' does not match"),
    "wolph-mt940_tests/betterplace/amount_formats.sta": (1, 'field :60F: out of order (expected :20:)'),
    "wolph-mt940_tests/betterplace/currency_in_25.sta": (1, 'field :25: out of order (expected :20:)'),
    "wolph-mt940_tests/betterplace/empty_86.sta": (1, 'field :86: out of order (expected :20:)'),
    "wolph-mt940_tests/betterplace/empty_entry_date.sta": (1, 'field :61: out of order (expected :20:)'),
    "wolph-mt940_tests/betterplace/empty_line.sta": (2, 'message ends early (expected :21: or :25:)'),
    "wolph-mt940_tests/betterplace/missing_crlf_at_end.sta": (1, 'field :62F: out of order (expected :20:)'),
    "wolph-mt940_tests/betterplace/sepa_mt9401.sta": (31, ':86: has 7 lines, more than 6'),
    "wolph-mt940_tests/betterplace/sepa_snippet.sta": (55, ':62F: closing balance -4472049.09 != opening -1970431.87 + e'),
    "wolph-mt940_tests/betterplace/sepa_snippet_broken.sta": (6, 'field :25: out of order (expected :61: or :62F: or :62M: or '),
    "wolph-mt940_tests/betterplace/with_binary_character.sta": (1, "character 'Ã' is outside the SWIFT X character set"),
    "wolph-mt940_tests/cmxl/account_balance_credit.sta": (1, 'field :60F: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/account_balance_debit.sta": (1, 'field :60F: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/account_identification_iban.sta": (1, 'field :25: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/account_identification_legacy.sta": (1, 'field :25: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/available_balance.sta": (1, 'field :64: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/closing_balance.sta": (1, 'field :62F: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/mt940.sta": (37, ':86: line has 78 characters, more than 65'),
    "wolph-mt940_tests/cmxl/reference.sta": (1, 'message ends early (expected :21: or :25:)'),
    "wolph-mt940_tests/cmxl/statement_details.sta": (1, 'field :61: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/statement_line.sta": (1, 'field :61: out of order (expected :20:)'),
    "wolph-mt940_tests/cmxl/statement_number.sta": (1, 'field :28C: out of order (expected :20:)'),
    "wolph-mt940_tests/jejik/abnamro.sta": (1, 'text before the first field (expected :20:)'),
    "wolph-mt940_tests/jejik/generic.sta": None,
    "wolph-mt940_tests/jejik/ing.sta": (1, 'text before the first field (expected :20:)'),
    "wolph-mt940_tests/jejik/knab.sta": (17, ":61: amount '500': an amount needs digits and exactly one co"),
    "wolph-mt940_tests/jejik/postfinance.sta": (8, ':86: line has 66 characters, more than 65'),
    "wolph-mt940_tests/jejik/rabobank-iban.sta": (1, 'text before the first field (expected :20:)'),
    "wolph-mt940_tests/jejik/rabobank.sta": (1, 'text before the first field (expected :20:)'),
    "wolph-mt940_tests/jejik/sns.sta": None,
    "wolph-mt940_tests/jejik/triodos.sta": (6, "character '>' is outside the SWIFT X character set"),
    "wolph-mt940_tests/mBank/mt940.sta": (1, "character '\\x01' is outside the SWIFT X character set"),
    "wolph-mt940_tests/mBank/mt942.sta": (1, "character '\\x01' is outside the SWIFT X character set"),
    "wolph-mt940_tests/mBank/with_newline_in_tnr.sta": (1, "character '\\x01' is outside the SWIFT X character set"),
    "wolph-mt940_tests/sberbank/171011_01234945.sta": (4, ':28: must fit on one line'),
    "wolph-mt940_tests/self-provided/details_60-63.sta": (5, ":61: '170914D233,15NMSC' does not match YYMMDD[MMDD]C|D|RC|R"),
    "wolph-mt940_tests/self-provided/empty_non_swift.sta": (1, 'text before the first field (expected :20:)'),
    "wolph-mt940_tests/self-provided/february_30.sta": (6, ":61: value date '160230' is not a valid YYMMDD date"),
    "wolph-mt940_tests/self-provided/gv_codes.sta": (5, ":61: '170914D233,15NMSC' does not match YYMMDD[MMDD]C|D|RC|R"),
    "wolph-mt940_tests/self-provided/invalid_statement.sta": (1, 'text before the first field (expected :20:)'),
    "wolph-mt940_tests/self-provided/long_statement_number.sta": (3, ":28: '1810118101' is not number[/page]"),
    "wolph-mt940_tests/self-provided/malformed_details.sta": (5, ":61: '170914D233,15NMSC' does not match YYMMDD[MMDD]C|D|RC|R"),
    "wolph-mt940_tests/self-provided/mt942.sta": (4, 'field :34F: is not an MT940 field'),
    "wolph-mt940_tests/self-provided/overly_long_details.sta": (5, ":61: '170914D233,15NMSC' does not match YYMMDD[MMDD]C|D|RC|R"),
    "wolph-mt940_tests/self-provided/raiffeisen-cmi.sta": (3, 'message ends early (expected :60F: or :60M:)'),
    "wolph-mt940_tests/self-provided/raphaelm.sta": (17, "character 'Ã' is outside the SWIFT X character set"),
    "wolph-mt940_tests/self-provided/sparkassen.sta": (1, 'field :61: out of order (expected :20:)'),
    "wolph-mt940_tests/self-provided/transaction_details_wrapped.sta": (9, 'field :12: is not an MT940 field'),
    "wolph-mt940_tests/self-provided/whitespace.sta": (5, ":61: '170914D233,15NMSC' does not match YYMMDD[MMDD]C|D|RC|R"),
    "wolph-mt940_tests/self-provided/wrapped_timestamp.sta": (8, 'field :26: is not an MT940 field'),
}  # fmt: skip

CFONB120_EXPECTED: dict[str, tuple[int, str] | None] = {
    "akretion-python-cfonb/bank_statement.cfo": (1, "currency '   ' (positions 17-19) is not an ISO code"),
    "generated-here/sample.cfonb120": None,
    "oca-l10n-france-reconstructed/cfonb_classic.reconstructed.cfo": (21, "05 record's positions 3-40 differ from its 04 record's"),
    "oca-l10n-france-reconstructed/cfonb_no_carriage_return.reconstructed.cfo": (21, "05 record's positions 3-40 differ from its 04 record's"),
    "pennylane-cfonb/end_of_statement_without_beginning.txt": (6, "account, currency or decimals differ from the 01 record's"),
    "pennylane-cfonb/example.txt": (13, "qualifier '   ' (positions 46-48) is not 3 capitals"),
    "pennylane-cfonb/invalid_date.txt": (1, 'record has 116 characters, not 120'),
    "pennylane-cfonb/new_statement_without_previous_ended.txt": (6, 'new 01 record before the 07 that closes the previous one'),
    "pennylane-cfonb/operation.txt": (1, '04 record outside a statement (no 01 before it)'),
    "pennylane-cfonb/operation_already_defined.txt": (1, '04 record outside a statement (no 01 before it)'),
    "pennylane-cfonb/operation_detail_without_operation.txt": (3, '05 complement record without a 04 before it'),
    "pennylane-cfonb/operation_out_of_statement.txt": (1, '04 record outside a statement (no 01 before it)'),
    "pennylane-cfonb/operation_unstarted.txt": (1, '05 record outside a statement (no 01 before it)'),
    "silarhi-cfonb-parser/cfonb.240-complex-test.txt": (1, 'record has 240 characters, not 120'),
    "silarhi-cfonb-parser/complex-test.txt": (2, "account, currency or decimals differ from the 01 record's"),
    "silarhi-cfonb-parser/non-strict-test.txt": (2, "account, currency or decimals differ from the 01 record's"),
    "silarhi-cfonb-parser/simple-test.txt": None,
    "silarhi-cfonb-parser/test-unused-parts.txt": (3, "positions 8-11 must be blank, found '0000'"),
}  # fmt: skip


def _corpus_files(folder: str, skip: set[str]) -> list[str]:
    root = BANK / folder
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.suffix not in skip and "LICENSE" not in p.name
    )


def test_every_corpus_file_has_a_pinned_outcome() -> None:
    assert _corpus_files("mt940", {".yml", ".py"}) == sorted(MT940_EXPECTED)
    assert _corpus_files("cfonb120", set()) == sorted(CFONB120_EXPECTED)


@pytest.mark.parametrize(
    ("module", "folder", "name", "expected"),
    [(mt940, "mt940", n, e) for n, e in MT940_EXPECTED.items()]
    + [(cfonb120, "cfonb120", n, e) for n, e in CFONB120_EXPECTED.items()],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_corpus_file_outcome(module, folder: str, name: str, expected) -> None:
    text = (BANK / folder / name).read_bytes().decode("latin-1")
    if expected is None:
        statements = module.parse(text)
        assert statements
        for statement in statements:
            total = sum((e.amount for e in statement.entries), statement.opening_balance)
            assert total == statement.closing_balance
        return
    line, message = expected
    with pytest.raises(FormatValidationError) as info:
        module.validate(text)
    assert info.value.line == line
    assert info.value.message.startswith(message)
