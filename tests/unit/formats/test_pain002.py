"""pain.002.001.03 status reports: checked in code and read back by an independent model.

No pain.002.001.03 XSD is available here (see shared/formats/xsd/SOURCES.md). The reports are
checked by our structural validator and parsed back with the ISO 20022 data classes of the
PyPI package `pyiso20022` (generated from the official schema) through `xsdata`, with unknown
elements refused.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree
from pyiso20022.pain.pain_002_001_03 import Document
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig

from shared.formats import pain001, pain002
from shared.formats.errors import FormatValidationError, UnrepresentableError
from tests.unit.formats.conftest import BANK
from tests.unit.formats.test_pain001 import BASE

WHEN = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def read_back(data: bytes) -> Document:
    config = ParserConfig(fail_on_unknown_properties=True, fail_on_converter_warnings=True)
    return XmlParser(config=config).from_bytes(data, Document)


def test_rejection_report_for_a_refused_file() -> None:
    refused = pain001.parse(BASE.replace('Ccy="EUR">5.00', 'Ccy="USD">5.00').encode())
    report = pain002.status_report_for(refused, created_at=WHEN, message_id="STS-1")
    pain002.validate_status_report(report)
    doc = read_back(report)
    group = doc.cstmr_pmt_sts_rpt.orgnl_grp_inf_and_sts
    assert doc.cstmr_pmt_sts_rpt.grp_hdr.msg_id == "STS-1"
    assert group.orgnl_msg_id == "MSG-1"
    assert group.orgnl_msg_nm_id == "pain.001.001.03"
    assert group.orgnl_nb_of_txs == "2"
    assert group.grp_sts.value == "RJCT"
    codes = [info.rsn.cd for info in group.sts_rsn_inf]
    assert "AM03" in codes
    text = " ".join(" ".join(info.addtl_inf) for info in group.sts_rsn_inf)
    assert "currency USD is not EUR" in text


def test_acceptance_report() -> None:
    accepted = pain001.parse(BASE.encode())
    report = pain002.status_report_for(accepted, created_at=WHEN)
    pain002.validate_status_report(report)
    group = read_back(report).cstmr_pmt_sts_rpt.orgnl_grp_inf_and_sts
    assert group.grp_sts.value == "ACCP"
    assert group.sts_rsn_inf == []


def test_direct_debit_refusal_report_names_the_original_message() -> None:
    path = next((BANK / "pain008-refuse").rglob("*.xml"))
    refused = pain001.parse(path.read_bytes())
    report = pain002.status_report_for(refused, created_at=WHEN)
    pain002.validate_status_report(report)
    group = read_back(report).cstmr_pmt_sts_rpt.orgnl_grp_inf_and_sts
    assert group.orgnl_msg_id == "OurMessageIdentification"
    assert group.orgnl_msg_nm_id == "pain.008.001.02"
    [info] = group.sts_rsn_inf
    assert info.rsn.cd == "AG03"
    assert all(len(piece) <= 105 for piece in info.addtl_inf)
    assert "direct debit" in " ".join(info.addtl_inf)


def test_long_and_non_ascii_reasons_are_split_and_transliterated() -> None:
    reason = "Référence « dupliquée » " * 20
    report = pain002.write_status_report(
        "MSG-9", "pain.001.001.09", "RJCT", [reason, pain002.StatusReason("DU01", "same MsgId")],
        created_at=datetime(2024, 1, 15, 11, 0, tzinfo=timezone(timedelta(hours=1))),
        original_control_sum=Decimal("10.50"),
    )  # fmt: skip
    pain002.validate_status_report(report)
    group = read_back(report).cstmr_pmt_sts_rpt.orgnl_grp_inf_and_sts
    narrative, duplicate = group.sts_rsn_inf
    assert narrative.rsn.cd == "NARR"
    assert len(narrative.addtl_inf) > 1
    assert all(len(piece) <= 105 for piece in narrative.addtl_inf)
    assert "Reference ' dupliquee '" in narrative.addtl_inf[0]
    assert duplicate.rsn.cd == "DU01"
    assert group.orgnl_ctrl_sum == Decimal("10.50")
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
