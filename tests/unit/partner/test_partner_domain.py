"""Partner space rules: paths, consent, roles, coverage, index records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.domain import partner_paths as paths
from shared.domain import partners as p
from shared.domain.entities import Document, DocumentType, Organization, Plan
from shared.domain.money import Money
from shared.domain.partner_index import index_csv, index_record, path_values

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
COMPANY = Organization("c1", "Atelier Nord SAS", "FR", Plan.BUSINESS, "FR40303265045", "303265045")


def document(**kw) -> Document:
    values = dict(
        id="doc1",
        organization_id="c1",
        source="upload",
        checksum="x",
        storage_uri="gs://b/o",
        media_type="application/pdf",
        received_at=T0,
        document_type=DocumentType.INVOICE,
        supplier_name="Papeterie Lyon",
        issue_date=date(2026, 11, 20),
        total=Money.parse("120.00", "EUR"),
        invoice_number="F-2026-7",
        transaction_id="tx9",
        fields={"documents": [{"vat_amounts": {"20": "20.00"}, "supplier_vat": "FR1"}]},
    )
    values.update(kw)
    return Document(**values)


# ---------------------------------------------------------------- paths


def test_default_template_renders_the_layout_accountants_know():
    segments = paths.render(
        paths.validate_template(paths.DEFAULT_TEMPLATE, "dropbox"),
        path_values(document(), COMPANY),
        "dropbox",
    )
    assert segments == (
        "Invoice_import",
        "Atelier Nord SAS_FR40303265045",
        "AP",
        "2026-11-20_F-2026-7_doc1.pdf",
    )


@pytest.mark.parametrize(
    "template, reason",
    [
        ("../{document_id}.{ext}", "'..'"),
        ("a/../{document_id}.{ext}", "'..'"),
        ("/abs/{document_id}.{ext}", "relative"),
        ("a//{document_id}.{ext}", "''"),
        ("{client}/{document_id}.{ext}", "unknown variable"),
        ("a/{document_id.{ext}", "braces"),
        ("a/fixed.pdf", "must contain a variable"),
        ("a/{client_name}.{ext}", "stay unique"),
        ("a:b/{document_id}.{ext}", "refuses"),
        ("a\x00/{document_id}", "control"),
        ("/".join(["d"] * 9) + "/{document_id}", "at most"),
    ],
)
def test_unsafe_templates_are_refused_when_saved(template, reason):
    with pytest.raises(paths.InvalidPath, match=reason):
        paths.validate_template(template, "onedrive")


def test_values_cannot_escape_their_segment_or_use_refused_names():
    values = {"client_name": "..", "document_id": "CON", "ext": "pdf", "doc_number": "a/b"}
    out = paths.render("{client_name}/{doc_number}/{document_id}.{ext}", values, "onedrive")
    assert out == ("_", "a_b", "_CON.pdf")  # trailing dots are refused by OneDrive
    long = paths.render(
        "{supplier}_{document_id}.{ext}",
        {"supplier": "x" * 500, "ext": "pdf", "document_id": "d"},
        "sftp",
    )
    assert len(long[0]) == paths.MAX_SEGMENT and long[0].endswith(".pdf")


# ---------------------------------------------------------------- consent and roles


def test_consent_comes_only_from_the_company_and_revocation_is_final():
    pending = p.request("firm1", "c1", None)
    assert not pending.active
    active = p.accept(pending, by="owner1", at=T0)
    assert active.active and active.decided_by == "owner1"
    revoked = p.revoke(active, at=T0 + timedelta(days=1))
    assert revoked.status is p.ConsentStatus.REVOKED
    with pytest.raises(p.ConsentError):
        p.accept(revoked, by="owner1", at=T0)
    assert p.request("firm1", "c1", revoked).status is p.ConsentStatus.REQUESTED


@pytest.mark.parametrize(
    "role, action, allowed",
    [
        (p.FirmRole.ADMINISTRATOR, p.Action.INSTALL_EXTENSIONS, True),
        (p.FirmRole.CLIENT_MANAGER, p.Action.INSTALL_EXTENSIONS, False),
        (p.FirmRole.ACCOUNTANT, p.Action.INVITE_MEMBERS, False),
        (p.FirmRole.CLIENT_MANAGER, p.Action.MANAGE_ACTIVATIONS, True),
        (p.FirmRole.CLIENT_MANAGER, p.Action.READ_DOCUMENTS, False),
        (p.FirmRole.ADMINISTRATOR, p.Action.READ_DOCUMENTS, True),
    ],
)
def test_roles(role, action, allowed):
    member = p.FirmMember("u", "firm1", role)
    consent = p.invite("firm1", "c1", by="owner1", at=T0)
    if allowed:
        p.authorize(member, action, consent)
    else:
        with pytest.raises(p.NotPermitted):
            p.authorize(member, action, consent)


def test_accountants_work_only_on_assigned_clients():
    consent = p.invite("firm1", "c1", by="owner1", at=T0)
    p.authorize(
        p.FirmMember("u", "firm1", p.FirmRole.ACCOUNTANT, frozenset({"c1"})),
        p.Action.READ_DOCUMENTS,
        consent,
    )
    with pytest.raises(p.NotPermitted, match="not assigned"):
        p.authorize(
            p.FirmMember("u", "firm1", p.FirmRole.ACCOUNTANT), p.Action.READ_DOCUMENTS, consent
        )


@pytest.mark.parametrize(
    "consent",
    [
        None,
        p.Consent("firm1", "c1", p.ConsentStatus.REQUESTED),
        p.Consent("firm2", "c1", p.ConsentStatus.ACTIVE),
        p.Consent("firm1", "c1", p.ConsentStatus.REVOKED),
    ],
)
def test_without_active_consent_everything_is_refused(consent):
    admin = p.FirmMember("u", "firm1", p.FirmRole.ADMINISTRATOR)
    for action in (p.Action.MANAGE_ACTIVATIONS, p.Action.READ_STATUS, p.Action.READ_DOCUMENTS):
        with pytest.raises(p.NotPermitted):
            p.authorize(admin, action, consent)


def test_activation_covers_only_documents_from_its_start():
    activation = p.Activation("a1", "firm1", "e1", "c1", activated_at=T0)
    assert activation.covers(T0) and activation.covers(T0 + timedelta(seconds=1))
    assert not activation.covers(T0 - timedelta(seconds=1))
    from dataclasses import replace

    assert not replace(activation, status=p.ActivationStatus.DISABLED).covers(T0)


# ---------------------------------------------------------------- index record


def test_index_record_carries_exact_amounts_and_the_match():
    record = index_record(document(), COMPANY, "2026-11-20_F-2026-7_doc1.pdf")
    assert record["total"] == "120.00" and record["vat"] == "20.00" and record["net"] == "100.00"
    assert record["currency"] == "EUR" and record["transaction_id"] == "tx9"
    assert record["doc_type"] == "AP" and record["number"] == "F-2026-7"
    csv_text = index_csv([record])
    header, line = csv_text.strip().split("\n")
    assert header.startswith("document_id;doc_type") and "20=20.00" in line


def test_a_sale_issued_by_the_client_is_ar():
    sale = document(fields={"documents": [{"supplier_vat": COMPANY.vat}]})
    assert index_record(sale, COMPANY, "x.pdf")["doc_type"] == "AR"
    assert path_values(sale, COMPANY)["doc_type"] == "AR"
