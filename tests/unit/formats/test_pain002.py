"""pain.002.001.03 status reports: checked in code and read back by an independent model.

No pain.002.001.03 XSD is available here (see shared/formats/xsd/SOURCES.md). The reports are
checked by our structural validator, read with lxml, and parsed back with the ISO 20022 data
classes of the PyPI package `pyiso20022` (generated from the official schema) through
`xsdata`, with unknown elements refused. Those two are test-only packages; when they are not
installed, only that last read-back is skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest
from lxml import etree

from shared.formats import pain001, pain002
from shared.formats.errors import FormatValidationError, UnrepresentableError
from tests.unit.formats.conftest import BANK
from tests.unit.formats.test_pain001 import BASE

WHEN = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


NS = {"p": pain002.NAMESPACE}


def read_back(data: bytes) -> SimpleNamespace:
    """The parts of a report the tests look at, read with lxml after the structural check."""
    pain002.validate_status_report(data)
    root = etree.fromstring(data)
    group = root.find("p:CstmrPmtStsRpt/p:OrgnlGrpInfAndSts", NS)
    reasons = [
        SimpleNamespace(
            code=info.findtext("p:Rsn/p:Cd", namespaces=NS),
            texts=[e.text for e in info.findall("p:AddtlInf", NS)],
        )
        for info in group.findall("p:StsRsnInf", NS)
    ]
    return SimpleNamespace(
        msg_id=root.findtext("p:CstmrPmtStsRpt/p:GrpHdr/p:MsgId", namespaces=NS),
        orgnl_msg_id=group.findtext("p:OrgnlMsgId", namespaces=NS),
        orgnl_msg_nm_id=group.findtext("p:OrgnlMsgNmId", namespaces=NS),
        orgnl_nb_of_txs=group.findtext("p:OrgnlNbOfTxs", namespaces=NS),
        orgnl_ctrl_sum=group.findtext("p:OrgnlCtrlSum", namespaces=NS),
        status=group.findtext("p:GrpSts", namespaces=NS),
        reasons=reasons,
    )


def test_rejection_report_for_a_refused_file() -> None:
    refused = pain001.parse(BASE.replace('Ccy="EUR">5.00', 'Ccy="USD">5.00').encode())
    report = pain002.status_report_for(refused, created_at=WHEN, message_id="STS-1")
    read = read_back(report)
    assert read.msg_id == "STS-1"
    assert read.orgnl_msg_id == "MSG-1"
    assert read.orgnl_msg_nm_id == "pain.001.001.03"
    assert read.orgnl_nb_of_txs == "2"
    assert read.status == "RJCT"
    assert "AM03" in [r.code for r in read.reasons]
    text = " ".join(" ".join(r.texts) for r in read.reasons)
    assert "currency USD is not EUR" in text


def test_acceptance_report() -> None:
    accepted = pain001.parse(BASE.encode())
    read = read_back(pain002.status_report_for(accepted, created_at=WHEN))
    assert read.status == "ACCP"
    assert read.reasons == []


def test_direct_debit_refusal_report_names_the_original_message() -> None:
    path = next((BANK / "pain008-refuse").rglob("*.xml"))
    refused = pain001.parse(path.read_bytes())
    read = read_back(pain002.status_report_for(refused, created_at=WHEN))
    assert read.orgnl_msg_id == "OurMessageIdentification"
    assert read.orgnl_msg_nm_id == "pain.008.001.02"
    [reason] = read.reasons
    assert reason.code == "AG03"
    assert all(len(piece) <= 105 for piece in reason.texts)
    assert "direct debit" in " ".join(reason.texts)


def test_long_and_non_ascii_reasons_are_split_and_transliterated() -> None:
    reason = "Référence « dupliquée » " * 20
    report = pain002.write_status_report(
        "MSG-9", "pain.001.001.09", "RJCT", [reason, pain002.StatusReason("DU01", "same MsgId")],
        created_at=datetime(2024, 1, 15, 11, 0, tzinfo=timezone(timedelta(hours=1))),
        original_control_sum=Decimal("10.50"),
    )  # fmt: skip
    read = read_back(report)
    narrative, duplicate = read.reasons
    assert narrative.code == "NARR"
    assert len(narrative.texts) > 1
    assert all(len(piece) <= 105 for piece in narrative.texts)
    assert "Reference ' dupliquee '" in narrative.texts[0]
    assert duplicate.code == "DU01"
    assert Decimal(read.orgnl_ctrl_sum) == Decimal("10.50")
    assert b"2024-01-15T11:00:00+01:00" in report


def test_bad_status_and_naive_time_are_refused() -> None:
    with pytest.raises(UnrepresentableError, match="status 'NOPE'"):
        pain002.write_status_report("M", "pain.001.001.03", "NOPE", [])
    with pytest.raises(UnrepresentableError, match="timezone"):
        pain002.write_status_report("M", "pain.001.001.03", "RJCT", [], created_at=datetime.now())


def test_structural_validator_catches_order_and_length() -> None:
    report = pain002.write_status_report("MSG-1", "pain.001.001.03", "RJCT", ["x"], created_at=WHEN)
    root = etree.fromstring(report)
    group = root[0][1]
    group.insert(0, group[2])  # GrpSts before OrgnlMsgId
    with pytest.raises(FormatValidationError, match="OrgnlGrpInfAndSts"):
        pain002.validate_status_report(etree.tostring(root))
    long_id = report.replace(b"<OrgnlMsgId>MSG-1<", b"<OrgnlMsgId>" + b"M" * 36 + b"<")
    with pytest.raises(FormatValidationError, match="OrgnlMsgId must have 1 to 35"):
        pain002.validate_status_report(long_id)


def test_reports_parse_with_the_iso20022_models() -> None:
    models = pytest.importorskip("pyiso20022.pain.pain_002_001_03")
    parsers = pytest.importorskip("xsdata.formats.dataclass.parsers")
    config = pytest.importorskip("xsdata.formats.dataclass.parsers.config")
    parser = parsers.XmlParser(
        config=config.ParserConfig(fail_on_unknown_properties=True, fail_on_converter_warnings=True)
    )
    refused = pain001.parse(BASE.replace("128.45", "1.00").encode())
    reports = [
        pain002.status_report_for(refused, created_at=WHEN, initiating_party="Bank FR"),
        pain002.status_report_for(pain001.parse(BASE.encode()), created_at=WHEN),
        pain002.write_status_report("M", "pain.001.001.09", "RJCT", ["x" * 300],
                                    original_control_sum=Decimal("1.00"), created_at=WHEN),
    ]  # fmt: skip
    for report in reports:
        doc = parser.from_bytes(report, models.Document)
        group = doc.cstmr_pmt_sts_rpt.orgnl_grp_inf_and_sts
        ours = read_back(report)
        assert group.orgnl_msg_id == ours.orgnl_msg_id
        assert group.grp_sts.value == ours.status
        assert [i.rsn.cd for i in group.sts_rsn_inf] == [r.code for r in ours.reasons]
        assert [i.addtl_inf for i in group.sts_rsn_inf] == [r.texts for r in ours.reasons]
    assert doc.cstmr_pmt_sts_rpt.orgnl_grp_inf_and_sts.orgnl_ctrl_sum == Decimal("1.00")
