"""pain.001: third-party files, SEPA rules, malicious XML, and sepaxml-written files."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sepaxml import SepaTransfer  # independent writer of pain.001.001.03/.09

from shared.formats import pain001
from shared.formats.errors import PaymentFileRefused
from tests.unit.formats.conftest import BANK

PAIN001 = BANK / "pain001"
XSD_DIR = Path(pain001.__file__).parent / "xsd"

# A minimal valid pain.001.001.03 (two transactions); the tests below break one rule each.
BASE = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">
 <CstmrCdtTrfInitn>
  <GrpHdr>
   <MsgId>MSG-1</MsgId><CreDtTm>2024-01-15T10:00:00</CreDtTm>
   <NbOfTxs>2</NbOfTxs><CtrlSum>128.45</CtrlSum><InitgPty><Nm>ACME ERP</Nm></InitgPty>
  </GrpHdr>
  <PmtInf>
   <PmtInfId>PMT-1</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg>
   <NbOfTxs>2</NbOfTxs><CtrlSum>128.45</CtrlSum>
   <ReqdExctnDt>2024-01-16</ReqdExctnDt>
   <Dbtr><Nm>ACME SAS</Nm></Dbtr>
   <DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct>
   <DbtrAgt><FinInstnId><BIC>AGRIFRPP</BIC></FinInstnId></DbtrAgt>
   <CdtTrfTxInf>
    <PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>
    <Amt><InstdAmt Ccy="EUR">123.45</InstdAmt></Amt>
    <CdtrAgt><FinInstnId><BIC>COBADEFFXXX</BIC></FinInstnId></CdtrAgt>
    <Cdtr><Nm>Dupont</Nm></Cdtr>
    <CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>
    <RmtInf><Ustrd>Invoice 42</Ustrd></RmtInf>
   </CdtTrfTxInf>
   <CdtTrfTxInf>
    <PmtId><EndToEndId>E2E-2</EndToEndId></PmtId>
    <Amt><InstdAmt Ccy="EUR">5.00</InstdAmt></Amt>
    <Cdtr><Nm>Martin</Nm></Cdtr>
    <CdtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></CdtrAcct>
   </CdtTrfTxInf>
  </PmtInf>
 </CstmrCdtTrfInitn>
</Document>
"""


def schema_errors(data: bytes, version: str = "pain.001.001.03") -> list[str]:
    """Validate against the ISO XSD directly (independently of pain001.parse)."""
    schema = etree.XMLSchema(etree.parse(str(XSD_DIR / f"{version}.xsd")))
    schema.validate(etree.fromstring(data))
    return [e.message for e in schema.error_log]


def test_base_file_is_accepted_with_its_payments() -> None:
    result = pain001.parse(BASE.encode())
    assert result.accepted, result.errors
    assert result.message_id == "MSG-1"
    assert result.version == "pain.001.001.03"
    [batch] = result.batches
    assert batch.payment_info_id == "PMT-1"
    assert batch.batch_booking is False
    assert batch.debtor_iban == "FR7630006000011234567890189"
    assert batch.requested_execution_date == date(2024, 1, 16)
    assert batch.control_sum == Decimal("128.45")
    first, second = result.payments
    assert first.amount == Decimal("123.45")
    assert first.creditor_bic == "COBADEFFXXX"
    assert first.remittance == "Invoice 42"
    assert second.creditor_bic is None
    assert second.creditor_iban == "FR1420041010050500013M02606"
    assert first.to_json() == {
        "end_to_end_id": "E2E-1",
        "amount": "123.45",
        "currency": "EUR",
        "creditor_name": "Dupont",
        "creditor_iban": "DE89370400440532013000",
        "creditor_bic": "COBADEFFXXX",
        "remittance": "Invoice 42",
        "requested_execution_date": "2024-01-16",
        "debtor_iban": "FR7630006000011234567890189",
        "as_received": {},
    }


# Each case breaks one SEPA rule that the XSD does not check: the XSD still passes.
SEPA_CASES = [
    ("<CtrlSum>128.45</CtrlSum><InitgPty>", "<CtrlSum>128.46</CtrlSum><InitgPty>",
     "AM10", "GrpHdr/CtrlSum", "CtrlSum is 128.46 but the amounts add up to 128.45"),
    ("<CtrlSum>128.45</CtrlSum>\n   <ReqdExctnDt>", "<CtrlSum>120</CtrlSum>\n   <ReqdExctnDt>",
     "AM10", "PmtInf[1]/CtrlSum", "CtrlSum is 120"),
    ("<NbOfTxs>2</NbOfTxs><CtrlSum>128.45</CtrlSum><InitgPty>",
     "<NbOfTxs>3</NbOfTxs><CtrlSum>128.45</CtrlSum><InitgPty>",
     "AM18", "GrpHdr/NbOfTxs", "NbOfTxs is 3 but there are 2"),
    ('<InstdAmt Ccy="EUR">5.00', '<InstdAmt Ccy="USD">5.00',
     "AM03", "CdtTrfTxInf[2]/Amt/InstdAmt", "currency USD is not EUR"),
    ("DE89370400440532013000", "DE89370400440532013001",
     "AC01", "CdtTrfTxInf[1]/CdtrAcct/Id/IBAN", "IBAN 'DE89370400440532013001' is invalid"),
    ("FR7630006000011234567890189", "FR7630006000011234567890188",
     "AC01", "PmtInf[1]/DbtrAcct/Id/IBAN", "is invalid"),
    ("123.45</InstdAmt>", "123.451</InstdAmt>",
     "AM12", "Amt/InstdAmt", "more than 2 decimals"),
    # Names are converted (see below), identifiers never are.
    ("<EndToEndId>E2E-1</EndToEndId>", "<EndToEndId>E2E&amp;1</EndToEndId>",
     "CH16", "EndToEndId", "character '&' (U+0026) is outside the SEPA character set"),
    ("<EndToEndId>E2E-2</EndToEndId>", "<EndToEndId>E2E*2</EndToEndId>",
     "CH16", "EndToEndId", "character '*' (U+002A) is outside the SEPA character set"),
    ("<Nm>Dupont</Nm>", "<Nm>Dupont 日本</Nm>", "CH16", "Nm", "'日' (U+65E5): no equivalent"),
    ("<Ustrd>Invoice 42</Ustrd>", "<Ustrd>Invoice 42 🙂</Ustrd>",
     "CH16", "Ustrd", "the text cannot be sent"),
    ("<PmtInfId>PMT-1</PmtInfId>", "<PmtInfId>PMT-1</PmtInfId>".replace("PMT-1", "PMT é"),
     "CH16", "PmtInfId", "'é' (U+00E9) is outside the SEPA"),
    ("<ReqdExctnDt>2024-01-16</ReqdExctnDt>", "<ReqdExctnDt>0001-01-16</ReqdExctnDt>",
     "DT01", "PmtInf[1]/ReqdExctnDt", "execution date 0001-01-16 is outside 2000..2099"),
    ("<ReqdExctnDt>2024-01-16</ReqdExctnDt>", "<ReqdExctnDt>9999-12-31</ReqdExctnDt>",
     "DT01", "PmtInf[1]/ReqdExctnDt", "execution date 9999-12-31 is outside 2000..2099"),
    ("<EndToEndId>E2E-1</EndToEndId>", "<EndToEndId>E2E//1</EndToEndId>",
     "CH16", "EndToEndId", "must not start or end with '/' nor contain '//'"),
    ("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CHK</PmtMtd>",
     "AG03", "PmtInf[1]/PmtMtd", "not a credit transfer"),
    ("<BIC>COBADEFFXXX</BIC>", "<BIC>COBAXXFFXXX</BIC>", "RC01", "CdtrAgt", "BIC"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "code", "where", "message"), SEPA_CASES)
def test_sepa_rule_refuses_a_schema_valid_file(
    old: str, new: str, code: str, where: str, message: str
) -> None:
    assert old in BASE
    data = BASE.replace(old, new, 1).encode()
    assert schema_errors(data) == []  # the XSD alone would let it through
    result = pain001.parse(data)
    assert not result.accepted
    assert result.payments == [] and result.batches == []
    assert result.message_id == "MSG-1"
    matching = [i for i in result.issues if message in i.message]
    assert matching, result.errors
    assert matching[0].code == code
    assert where in matching[0].where


def test_over_long_end_to_end_id_is_refused_by_code_and_schema() -> None:
    data = BASE.replace("E2E-1", "E" * 36).encode()
    result = pain001.parse(data)
    assert not result.accepted
    assert any("EndToEndId has 36 characters, more than 35" in e for e in result.errors)
    assert any(e.startswith("line ") and "schema:" in e for e in result.errors)


def test_validate_raises_with_every_reason() -> None:
    data = BASE.replace('Ccy="EUR">5.00', 'Ccy="GBP">5.00').replace("128.45", "1.00").encode()
    with pytest.raises(PaymentFileRefused) as info:
        pain001.validate(data)
    assert info.value.message_id == "MSG-1"
    assert len(info.value.reasons) == 3  # currency, group CtrlSum, PmtInf CtrlSum


# ------------------------------------------------------------------------ hostile XML


def test_billion_laughs_is_refused_quickly() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{entities}]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>'
        "<GrpHdr><MsgId>&l9;</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>"
    ).encode()
    result = pain001.parse(data)
    assert not result.accepted
    assert result.errors == [
        "DOCTYPE: a DOCTYPE/DTD is not allowed in a payment file (entity expansion and "
        "external entities are refused)"
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_external_entity_does_not_leak_a_local_file(tmp_path: Path, encoding: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE-42")
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        f'<!DOCTYPE Document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        + BASE.split("?>", 1)[1].replace("<MsgId>MSG-1</MsgId>", "<MsgId>&xxe;</MsgId>")
    )
    result = pain001.parse(xml.encode(encoding))
    assert not result.accepted
    assert "DOCTYPE" in result.errors[0]
    assert "TOP-SECRET" not in json.dumps(result.to_json())


def test_malformed_xml_names_the_line() -> None:
    result = pain001.parse(b'<?xml version="1.0"?>\n<Document>\n<a></b></Document>')
    assert not result.accepted
    assert result.errors[0].startswith("line 3: malformed XML")


def test_not_xml_is_refused() -> None:
    assert pain001.parse(b"%PDF-1.7 ...").errors == ["not an XML document"]


# -------------------------------------------------------------- third-party corpus files


@pytest.mark.parametrize(
    ("name", "version", "count"),
    [
        ("generated-here/pain.001.001.02.xml", "pain.001.001.02", 2),
        ("generated-here/pain.001.001.03.xml", "pain.001.001.03", 2),
        ("generated-here/pain.001.001.09.xml", "pain.001.001.09", 1),
        ("generated-here/fintech_pain.001.001.03.xml", "pain.001.001.03", 7),
    ],
)
def test_corpus_files_are_accepted(name: str, version: str, count: int) -> None:
    data = (PAIN001 / name).read_bytes()
    assert schema_errors(data, version) == []
    result = pain001.parse(data)
    assert result.accepted, result.errors
    assert result.version == version
    assert len(result.payments) == count
    assert sum(p.amount for p in result.payments) == sum(b.control_sum for b in result.batches)
    assert all(p.currency == "EUR" for p in result.payments)


def test_php_sepa_xml_fixtures_are_refused_for_their_example_iban() -> None:
    # Their debtor IBAN BG87200500001234567890 fails the ISO 7064 check: a real bank would
    # refuse it too. Everything else in them is valid (XSD included).
    for version in ("pain.001.001.03", "pain.001.001.09"):
        data = (PAIN001 / "php-sepa-xml" / f"{version}.xml").read_bytes()
        assert schema_errors(data, version) == []
        result = pain001.parse(data)
        assert not result.accepted
        assert [i.code for i in result.issues] == ["AC01"]
        assert "BG87200500001234567890" in result.errors[0]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("test-pain-parse-00100102.xml", "unsupported message (urn:sepade:xsd:pain.001.001.02)"),
        ("test-pain-parse-00100109.xml", "unsupported message (urn:sepade:xsd:pain.001.001.09)"),
        ("test-pain-parse-00100203.xml", "unsupported message (urn:iso:std:iso:20022:tech:xsd:pain.001.002.03)"),
        ("test-pain-parse-00100303.xml", "unsupported message (urn:iso:std:iso:20022:tech:xsd:pain.001.003.03)"),
        ("test-pain-parse-invalid.xml", "unsupported message (urn:iso:std:iso:20022:tech:xsd:pain)"),
        ("test-pain-parse-none.xml", "unsupported message (no namespace)"),
        ("test-pain-parse-00100103.xml", "Missing child element(s). Expected is ( GrpHdr )"),
    ],
)  # fmt: skip
def test_hbci4java_stubs_are_refused_with_a_reason(name: str, reason: str) -> None:
    result = pain001.parse((PAIN001 / "hbci4java" / name).read_bytes())
    assert not result.accepted
    assert any(reason in e for e in result.errors), result.errors


def test_direct_debit_files_are_refused_with_a_clear_reason() -> None:
    for path in sorted((BANK / "pain008-refuse").rglob("*.xml")):
        result = pain001.parse(path.read_bytes())
        assert not result.accepted
        [issue] = result.issues
        assert issue.code == "AG03"
        assert "direct debit (pain.008)" in issue.message
        assert "not supported" in issue.message


# ------------------------------------------------- sepaxml writes, we read: property test


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    version=st.sampled_from(["pain.001.001.03", "pain.001.001.09"]),
    cents=st.lists(st.integers(min_value=1, max_value=99_999_999_999), min_size=1, max_size=8),
    name=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -.", min_size=1,
                 max_size=40).filter(str.strip),
    batch=st.booleans(),
)  # fmt: skip
def test_files_written_by_sepaxml_are_read_exactly(
    version: str, cents: list[int], name: str, batch: bool
) -> None:
    writer = SepaTransfer(
        {
            "name": "ACME SAS",
            "IBAN": "FR7630006000011234567890189",
            "BIC": "AGRIFRPP",
            "batch": batch,
            "currency": "EUR",
        },
        schema=version,
    )
    for i, amount in enumerate(cents):
        writer.add_payment(
            {
                "name": name.strip(),
                "IBAN": "DE89370400440532013000",
                "BIC": "COBADEFFXXX",
                "amount": amount,
                "execution_date": date(2030, 1, 2),
                "description": f"Invoice {i}",
                "endtoend_id": f"E2E-{i}",
            }
        )
    # sepaxml's own validation is slow (pure-Python xmlschema); lxml checks the same ISO XSD.
    data = writer.export(validate=False)
    assert schema_errors(data, version) == []
    result = pain001.parse(data)
    assert result.accepted, result.errors
    assert result.version == version
    assert [p.amount for p in result.payments] == [Decimal(c).scaleb(-2) for c in cents]
    assert [p.end_to_end_id for p in result.payments] == [f"E2E-{i}" for i in range(len(cents))]
    assert all(p.requested_execution_date == date(2030, 1, 2) for p in result.payments)
    assert all(p.creditor_name == name.strip() for p in result.payments)
    assert len(result.batches) == (1 if batch else len(cents))


# ------------------------------------- the SEPA character set, converted as banks convert it


def sepaxml_file(version: str, payments: list[dict], *, debtor: str = "ACME SAS") -> bytes:
    """A pain.001 written by sepaxml (an ERP-side library), texts kept as given."""
    writer = SepaTransfer(
        {
            "name": debtor,
            "IBAN": "FR7630006000011234567890189",
            "BIC": "AGRIFRPP",
            "batch": True,
            "currency": "EUR",
        },
        schema=version,
        clean=False,
    )
    for i, payment in enumerate(payments):
        writer.add_payment(
            {
                "IBAN": "DE89370400440532013000",
                "BIC": "COBADEFFXXX",
                "amount": 1000 + i,
                "execution_date": date(2030, 1, 2),
                "description": f"Invoice {i}",
                "endtoend_id": f"E2E-{i}",
                **payment,
            }
        )
    return writer.export(validate=False)


@pytest.mark.parametrize("version", ["pain.001.001.03", "pain.001.001.09"])
def test_names_with_ampersand_and_star_are_accepted_and_converted(version: str) -> None:
    data = sepaxml_file(
        version,
        [
            {"name": "Dupont & Fils"},
            {"name": "AMZN*MKTP FR", "description": "Commande n°42 – 50 % payé"},
            {"name": "Müller Straße $"},
        ],
        debtor="Café & Co",
    )
    assert b"Dupont &amp; Fils" in data and b"AMZN*MKTP" in data  # as the ERP wrote them
    assert schema_errors(data, version) == []
    result = pain001.parse(data)
    assert result.accepted, result.errors
    names = [p.creditor_name for p in result.payments]
    assert names == ["Dupont + Fils", "AMZN.MKTP FR", "Muller Strasse ."]
    assert result.payments[1].remittance == "Commande no42 - 50 . paye"
    assert dict(result.payments[0].as_received) == {"creditor_name": "Dupont & Fils"}
    assert dict(result.payments[1].as_received) == {
        "creditor_name": "AMZN*MKTP FR",
        "remittance": "Commande n°42 – 50 % payé",
    }
    assert result.payments[2].to_json()["as_received"] == {"creditor_name": "Müller Straße $"}
    assert result.batches[0].debtor_name == "Cafe + Co"
    wheres = {c.where: (c.received, c.sent) for c in result.conversions}
    assert wheres["PmtInf[1]/CdtTrfTxInf[1]/Cdtr/Nm"] == ("Dupont & Fils", "Dupont + Fils")
    assert wheres["PmtInf[1]/Dbtr/Nm"] == ("Café & Co", "Cafe + Co")
    # every text that will be sent is in the basic set
    sent = [p.creditor_name for p in result.payments] + [p.remittance for p in result.payments]
    assert all(pain001.SEPA_TEXT_RE.fullmatch(text) for text in sent)


def test_a_name_that_conversion_makes_too_long_is_refused() -> None:
    name = "ß" * 40  # 40 characters, 80 once converted ("ss")
    result = pain001.parse(sepaxml_file("pain.001.001.03", [{"name": name}]))
    assert not result.accepted
    [issue] = result.issues
    assert issue.code == "CH16"
    assert "80 characters, more than 70" in issue.message


def test_identifiers_are_never_converted() -> None:
    data = sepaxml_file("pain.001.001.09", [{"name": "Dupont", "endtoend_id": "FACT&42"}])
    result = pain001.parse(data)
    assert not result.accepted
    assert any(
        i.code == "CH16" and "EndToEndId" in i.where and "'&'" in i.message for i in result.issues
    ), result.errors


# ------------------------------------------------ hostile values in real (sepaxml) files


def _mutated(old: bytes, new: bytes, version: str = "pain.001.001.03") -> pain001.PaymentFile:
    data = sepaxml_file(version, [{"name": "Dupont"}, {"name": "Martin"}])
    assert old in data, data
    return pain001.parse(data.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        (b"<CtrlSum>20.01</CtrlSum>", b"<CtrlSum>sNaN</CtrlSum>", "AM10",
         "CtrlSum 'sNaN' is not a decimal number"),
        (b"<CtrlSum>20.01</CtrlSum>", b"<CtrlSum>NaN</CtrlSum>", "AM10", "not a decimal"),
        (b"<CtrlSum>20.01</CtrlSum>", b"<CtrlSum>1E+999999</CtrlSum>", "AM10", "not a decimal"),
        (b"<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>²</NbOfTxs>".encode(), "AM18",
         "NbOfTxs '²' (U+00B2) is not a count"),
        (b"<NbOfTxs>2</NbOfTxs>", b"<NbOfTxs>" + b"9" * 5000 + b"</NbOfTxs>", "AM18",
         "(5000 characters) is not a count"),
        (b">10.00<", b">" + b"9" * 30 + b"<", "AM12", "is not a decimal number"),
        (b">10.00<", b">" + b"9" * 27 + b".999<", "AM12", "is not a decimal number"),
        (b">10.00<", b">1E+999999<", "AM12", "'1E+999999' is not a decimal number"),
        (b"2030-01-02", b"0001-01-02", "DT01", "execution date 0001-01-02 is outside 2000..2099"),
        (b"2030-01-02", b"9999-01-02", "DT01", "execution date 9999-01-02 is outside 2000..2099"),
        (b"2030-01-02", b"2030-02-30", "DT01", "date '2030-02-30' is invalid"),
    ],
)  # fmt: skip
def test_hostile_numbers_and_dates_are_refused_with_a_reason(
    old: bytes, new: bytes, code: str, message: str
) -> None:
    result = _mutated(old, new)  # never raises
    assert not result.accepted and result.payments == []
    matching = [i for i in result.issues if message in i.message]
    assert matching, result.errors
    assert matching[0].code == code
    assert all(len(i.message) < 600 for i in result.issues)  # nothing echoes 5,000 digits


def test_a_repeated_payment_information_id_is_refused() -> None:
    writer_data = sepaxml_file("pain.001.001.03", [{"name": "Dupont"}])
    tree = etree.fromstring(writer_data)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    [pmt] = tree.findall(".//p:PmtInf", ns)
    twin = etree.fromstring(etree.tostring(pmt))  # the same block again, same PmtInfId
    pmt.addnext(twin)
    group = tree.find(".//p:GrpHdr", ns)
    group.find("p:NbOfTxs", ns).text = "2"
    group.find("p:CtrlSum", ns).text = "20.00"
    result = pain001.parse(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    assert not result.accepted
    [issue] = [i for i in result.issues if i.code == "DU02"]
    assert issue.where.startswith("PmtInf[2]/PmtInfId")
    assert "repeats PmtInf[1]" in issue.message


def test_execution_dates_are_bounded_relative_to_the_day_the_file_arrives() -> None:
    data = sepaxml_file("pain.001.001.09", [{"name": "Dupont"}])  # executes 2030-01-02
    assert pain001.parse(data, today=date(2029, 6, 1)).accepted
    ahead = pain001.parse(data, today=date(2028, 12, 1))
    assert not ahead.accepted and "more than 366 days ahead" in ahead.errors[0]
    behind = pain001.parse(data, today=date(2031, 3, 1))
    assert not behind.accepted and "more than 366 days past" in behind.errors[0]
