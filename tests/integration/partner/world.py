"""A partner world on the emulators: a firm, two clients, and real SFTP/SMTP/HTTP peers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from shared import runtime
from shared.destinations.partner_factory import open_for_activation
from shared.destinations.webhook import new_secret
from shared.domain.entities import Document, DocumentStatus, DocumentType, Organization, Plan
from shared.domain.money import Money
from shared.domain.partners import (
    Activation,
    Extension,
    ExtensionKind,
    Firm,
    FirmMember,
    FirmRole,
    invite,
)
from shared.store.partners import PartnerStore
from shared.store.token_vault import LocalKey, TokenVault
from shared.usecases.partner_dispatch import DispatchDeps
from tests.fakes.http_server import ThreadedServer
from tests.fakes.sftp_server import SftpServer
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.webhook_receiver import WebhookReceiver

FAST_RETRY = {"max_attempts": 3, "base_delay": 0.0, "max_delay": 0.0}
ACTIVATED_AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
FIRM = Firm("firm-1", "Cabinet Dupont")
CLIENTS = (
    Organization("client-a", "Atelier Nord SAS", "FR", Plan.BUSINESS, "FR40303265045", "303265045"),
    Organization("client-b", "Boulangerie Sud", "FR", Plan.BUSINESS, "FR83404833048", "404833048"),
)


@dataclass
class Peers:
    sftp: SftpServer
    smtp: SmtpServer
    hook: WebhookReceiver
    hook_url: str
    hook_secret: str


@contextmanager
def peers(tmp_path: Path) -> Iterator[Peers]:
    secret = new_secret()
    receiver = WebhookReceiver(secret, retry_after=0)
    with (
        SftpServer(tmp_path / "sftp") as sftp,
        SmtpServer() as smtp,
        ThreadedServer(receiver) as http,
    ):
        yield Peers(sftp, smtp, receiver, http.base_url + "/hooks", secret)


@dataclass
class Clock:
    now: datetime = ACTIVATED_AT + timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    partners: PartnerStore
    peers: Peers
    clock: Clock = field(default_factory=Clock)
    counter: int = 0

    def deps(self) -> DispatchDeps:
        store = runtime.store()
        blobs = runtime.blobs()

        return DispatchDeps(
            partners=self.partners,
            organization=store.get_organization,
            document=store.get_document,
            blob=blobs.get,
            open_sender=open_for_activation,
            clock=self.clock,
        )

    def add_document(
        self,
        company: Organization,
        received_at: datetime,
        number: str = "F-1",
        transaction_id: str | None = "tx-1",
    ) -> Document:
        self.counter += 1
        data = b"%PDF-1.7 " + f"{company.id}-{self.counter}".encode() + bytes(200)
        uri, checksum = runtime.blobs().put_document(company.id, data, "application/pdf")
        document = Document(
            id=f"doc-{company.id}-{self.counter}",
            organization_id=company.id,
            source="upload",
            checksum=checksum,
            storage_uri=uri,
            media_type="application/pdf",
            received_at=received_at,
            status=DocumentStatus.MATCHED if transaction_id else DocumentStatus.UNMATCHED,
            document_type=DocumentType.INVOICE,
            supplier_name="Papeterie Lyon",
            issue_date=date(2026, 11, 28),
            total=Money.parse("120.00", "EUR"),
            invoice_number=number,
            transaction_id=transaction_id,
            fields={"documents": [{"vat_amounts": {"20": "20.00"}}]},
        )
        runtime.store().save_document(document)
        return document


def install(world: World, kind: ExtensionKind) -> Extension:
    p = world.peers
    if kind is ExtensionKind.SFTP:
        settings = {
            "host": "127.0.0.1",
            "port": p.sftp.port,
            "username": p.sftp.username,
            "host_key": p.sftp.host_key,
            "root": "/",
        }
        secrets = {"password": p.sftp.password}
    elif kind is ExtensionKind.EMAIL:
        settings = {
            "host": "127.0.0.1",
            "port": p.smtp.port,
            "from_address": "exports@cabinet-dupont.fr",
            "security": "none",
        }
        secrets = {}
    else:
        settings = {"url": p.hook_url}
        secrets = {"secret": p.hook_secret}
    settings["retry"] = FAST_RETRY
    extension = Extension(f"ext-{kind.value}", FIRM.id, kind, kind.value, settings, ACTIVATED_AT)
    world.partners.save_extension(extension, secrets)
    return extension


def build_world(tmp_peers: Peers) -> World:
    vault = TokenVault(LocalKey(os.urandom(32)))
    partners = PartnerStore(runtime.store().db, vault)
    store = runtime.store()
    for company in CLIENTS:
        store.put_organization(company)
        partners.save_consent(invite(FIRM.id, company.id, by="owner", at=ACTIVATED_AT))
    partners.save_firm(FIRM)
    partners.save_member(FirmMember("admin-1", FIRM.id, FirmRole.ADMINISTRATOR))
    return World(partners, tmp_peers)


def activate(
    world: World, extension: Extension, company: Organization, **params: str
) -> Activation:
    activation = Activation(
        f"act-{extension.kind.value}-{company.id}",
        FIRM.id,
        extension.id,
        company.id,
        ACTIVATED_AT,
        dict(params),
    )
    world.partners.save_activation(activation)
    return activation
