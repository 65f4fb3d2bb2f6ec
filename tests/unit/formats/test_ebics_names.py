"""EBICS 2.4 file formats and EBICS 3.0 BTF services in object names."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from shared.formats import ebics_names
from shared.formats.ebics_names import (
    InboundKind,
    UnknownNameError,
    inbound_kind,
    is_inbox_object,
    statement_object_name,
    statement_suffix,
    status_report_object_name,
)

IBAN = "FR7630006000011234567890189"


def test_module_examples_hold() -> None:
    assert doctest.testmod(ebics_names).failed == 0


@pytest.mark.parametrize(
    ("fmt", "version", "suffix"),
    [
        ("mt940", "2.4", "camt.fin.mt940.stm"),
        ("cfonb120", "2.4", "camt.xxx.cfonb120.stm"),
        ("mt940", "3.0", "EOP.mt940"),
        ("cfonb120", "3.0", "EOP.cfonb120"),
    ],
)
def test_statement_names_per_ebics_version(fmt: str, version: str, suffix: str) -> None:
    assert statement_suffix(fmt, version) == suffix
    name = statement_object_name(
        "fr76 3000 6000 0112 3456 7890 189", date(2024, 2, 29), fmt, version
    )
    assert name == f"outbox/statements/{IBAN}/2024-02-29/{IBAN}_20240229.{suffix}"


def test_unknown_inputs_are_refused() -> None:
    with pytest.raises(UnknownNameError, match="statement format 'camt053'"):
        statement_suffix("camt053", "2.4")
    with pytest.raises(UnknownNameError, match="EBICS version '2.5'"):
        statement_suffix("mt940", "2.5")
    with pytest.raises(UnknownNameError, match="invalid IBAN"):
        statement_object_name("FR00", date(2024, 1, 1), "mt940", "2.4")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("inbox/a.pain.001.001.02.sct", InboundKind("pain.001", "pain.001.001.02", None)),
        ("inbox/b.pain.001.001.09.sct", InboundKind("pain.001", "pain.001.001.09", None)),
        ("inbox/c.pain.008.001.02.sdd", InboundKind("pain.008", "pain.008.001.02", None)),
        ("inbox/d.SCT.pain.001", InboundKind("pain.001", None, "SCT")),
        ("inbox/e.SDD.pain.008.xml", InboundKind("pain.008", None, "SDD")),
        ("inbox/f.sct", InboundKind("pain.001", None, None)),
        ("inbox/payments.xml", None),
    ],
)
def test_inbound_names(name: str, kind: InboundKind | None) -> None:
    assert inbound_kind(name) == kind


def test_inbox_and_report_names() -> None:
    assert is_inbox_object("inbox/x.xml")
    assert not is_inbox_object("outbox/reports/x.xml")
    assert not is_inbox_object("inbox/")
    assert (
        status_report_object_name("inbox/erp/f.pain.001.001.03.sct", "2.4")
        == "outbox/reports/f.pain.001.001.03.sct.pain.002.001.03.sct"
    )
    assert status_report_object_name("inbox/f.xml", "3.0") == "outbox/reports/f.xml.PSR.pain.002"
