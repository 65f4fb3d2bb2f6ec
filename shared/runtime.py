"""The one composition root: builds each use case's dependencies once per instance, lazily.

Functions ask this module for their use case's dependencies and nothing else; clients
(Firestore, Storage, Pub/Sub, Twilio) are created on first use and reused across
invocations (Cloud Functions keeps an instance warm). Settings come from `shared.config`
only; vendor credentials are built only in `shared.destinations.factory`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from shared.channels.twilio_whatsapp import WhatsAppChannel
from shared.config import Settings, settings
from shared.destinations.base import Destination
from shared.destinations.factory import build_destination, drive_from_tokens
from shared.events.pubsub import publish
from shared.extraction import ocr
from shared.log import get_logger
from shared.matching.aliases import AliasLine
from shared.matching.model import MalformedLine
from shared.matching.policy import MatchingPolicy
from shared.store.blobs import BlobStore, storage_client
from shared.store.dropzone import DropzoneRepository
from shared.store.ebics import DropBucket, EbicsStore
from shared.store.feed import FeedStore
from shared.store.firestore_store import FirestoreStore, firestore_client
from shared.store.integrations import IntegrationStore
from shared.store.manual_matches import ManualMatchStore
from shared.store.partners import PartnerStore
from shared.store.token_vault import vault_from_env
from shared.store.whatsapp import WhatsAppStore
from shared.usecases.dead_letters import DeadLetterDeps
from shared.usecases.dropzone_import import DropzoneDeps
from shared.usecases.ebics import BankHost, EbicsDeps
from shared.usecases.feed import FeedDeps
from shared.usecases.matching_service import MatchingService
from shared.usecases.nightly_export import ExportDeps
from shared.usecases.partner_dispatch import DispatchDeps
from shared.usecases.process_document import ProcessorDeps
from shared.usecases.receipt_reminders import ReminderDeps
from shared.usecases.whatsapp_activation import ActivationDeps
from shared.usecases.whatsapp_intake import IntakeDeps, MediaDeps
from shared.usecases.whatsapp_notify import NotifyDeps, notify_document

log = get_logger(__name__)


@lru_cache(maxsize=1)
def store() -> FirestoreStore:
    return FirestoreStore(firestore_client(settings().project))


@lru_cache(maxsize=1)
def wa_store() -> WhatsAppStore:
    return WhatsAppStore(store().db)


@lru_cache(maxsize=1)
def blobs() -> BlobStore:
    config = settings()
    return BlobStore(storage_client(config.project), config.documents_bucket)


@lru_cache(maxsize=1)
def whatsapp_channel() -> WhatsAppChannel:
    config = settings()
    return WhatsAppChannel(
        account_sid=config.twilio_account_sid,
        auth_token=config.twilio_auth_token,
        sender=config.twilio_whatsapp_number,
        api_base_url=config.twilio_api_base_url,
    )


def publisher_to(topic: str) -> Any:
    """`publish(payload) -> message id` on `topic` of this project."""
    project = settings().project
    return lambda payload: publish(project, topic, payload)


def intake_deps() -> IntakeDeps:
    config = settings()
    return IntakeDeps(
        store=store(),
        wa=wa_store(),
        channel=whatsapp_channel(),
        publish=publisher_to(config.topic_whatsapp_media),
        public_url=config.whatsapp_webhook_public_url,
        max_bytes=config.max_document_bytes,
    )


@lru_cache(maxsize=1)
def configure_engines() -> None:
    """Engine options from the settings (the pure engines read no environment)."""
    config = settings()
    ocr.configure(**config.ocr_options())


def notify_deps() -> NotifyDeps:
    """What sends WhatsApp messages by REST (statuses, reminders, the dead-letter ❌)."""
    config = settings()
    return NotifyDeps(
        store=store(),
        wa=wa_store(),
        channel=whatsapp_channel() if config.twilio_account_sid else None,
        templates=config.whatsapp_templates,
        status_callback_url=config.whatsapp_status_callback_url or None,
        max_mb=config.max_document_bytes // (1024 * 1024),
    )


def media_deps() -> MediaDeps:
    config = settings()
    return MediaDeps(
        store=store(),
        wa=wa_store(),
        blobs=blobs(),
        channel=whatsapp_channel(),
        publish=publisher_to(config.topic_documents_received),
        notify=notify_deps(),
        max_bytes=config.max_document_bytes,
    )


def activation_deps() -> ActivationDeps:
    return ActivationDeps(
        store=store(), wa=wa_store(), whatsapp_number=settings().twilio_whatsapp_number
    )


def reminder_deps() -> ReminderDeps:
    return ReminderDeps(store=store(), wa=wa_store(), notify=notify_deps())


def dead_letter_deps() -> DeadLetterDeps:
    return DeadLetterDeps(store=store(), notify=notify_deps(), media=media_deps, ebics=ebics_deps)


def learned_aliases(org_id: str) -> list[AliasLine]:
    """The aliases people taught by attaching by hand (api: ManualMatchStore), as the
    matching engine reads them; an unreadable one is skipped, not fatal."""
    found = []
    for alias in ManualMatchStore(store().db).list_aliases(org_id):
        try:
            found.append(
                AliasLine.from_json(
                    {
                        "id": alias.id,
                        "supplier_name": alias.supplier or None,
                        "supplier_vat": alias.supplier_vat,
                        "supplier_iban": alias.supplier_iban,
                        "counterparty": alias.descriptor or None,
                        "counterparty_iban": alias.counterparty_iban,
                        "learned_on": alias.created_at.date().isoformat()
                        if alias.created_at
                        else None,
                        "document_id": alias.document_id or None,
                        "transaction_id": alias.transaction_id or None,
                    }
                )
            )
        except MalformedLine as exc:
            log.warning("learned alias skipped", organization_id=org_id, error=str(exc))
    return found


def matching_service(policy: MatchingPolicy | None = None) -> MatchingService:
    return MatchingService(store(), policy=policy or MatchingPolicy(), aliases=learned_aliases)


def processor_deps() -> ProcessorDeps:
    configure_engines()
    notify = notify_deps()
    return ProcessorDeps(
        store=store(),
        blobs=blobs(),
        notify=lambda document: notify_document(document, notify),
        matching=matching_service(),
        approved=lambda document: publish_document_approved(document.organization_id, document.id),
    )


def destination(
    kind: str, config: dict[str, Any], on_rotated: Callable[[str], None] | None = None
) -> Destination:
    return build_destination(kind, config, settings=settings(), on_rotated=on_rotated)


@lru_cache(maxsize=1)
def export_deps() -> ExportDeps:
    config = settings()
    shared_store = store()
    return ExportDeps(
        store=shared_store,
        integrations=IntegrationStore(shared_store.db),
        blobs=blobs(),
        publish_sync=publisher_to(config.topic_exports_sync),
        build_destination=destination,
        product_name=config.product_name,
        time_budget_seconds=config.export_time_budget_seconds,
    )


def dropzone_deps() -> DropzoneDeps:
    """Rebuilt per run (cheap: the clients under it are cached)."""
    configure_engines()
    config = settings()
    repo = DropzoneRepository(store())

    def drive_for(integration: Any) -> Any:
        org_id, iid = integration.organization_id, integration.id
        tokens = repo.get_oauth(org_id, iid)
        return drive_from_tokens(
            tokens,
            iid,
            settings=config,
            on_rotated=lambda token: repo.keep_rotated_refresh_token(org_id, iid, token),
        )

    return DropzoneDeps(
        store=store(),
        repo=repo,
        blobs=blobs(),
        drive_for=drive_for,
        matching=matching_service(),
        approved=lambda document: publish_document_approved(document.organization_id, document.id),
    )


def publish_dropzone_sync(payload: dict[str, Any]) -> str:
    return str(publisher_to(settings().topic_dropzone_sync)(payload))


@lru_cache(maxsize=1)
def ebics_deps() -> EbicsDeps:
    config = settings()
    shared_store = store()
    return EbicsDeps(
        store=shared_store,
        ebics=EbicsStore(shared_store.db),
        drop=DropBucket(storage_client(config.project), config.ebics_drop_bucket),
        bank=ebics_bank_host(config),
    )


def ebics_bank_host(config: Settings) -> BankHost | None:
    """The bank's EBICS host; None when not configured. A configured host whose own
    certificates fail the checks (expired, weak) fails loudly here, at cold start."""
    if not config.ebics_host_id:
        return None
    return BankHost.from_pems(
        name=config.ebics_bank_name or config.ebics_host_id,
        host_id=config.ebics_host_id,
        url=config.ebics_server_url,
        authentication_pem=config.ebics_bank_authentication_cert,
        encryption_pem=config.ebics_bank_encryption_cert,
    )


def partner_store() -> PartnerStore:
    return PartnerStore(store().db, vault_from_env())


def partner_dispatch_deps() -> DispatchDeps:
    from datetime import UTC, datetime

    from shared.destinations.partner_factory import open_for_activation

    shared_store = store()
    partners = partner_store()

    def open_sender(extension: Any, secrets: dict[str, str], activation: Any) -> Any:
        def save(new: dict[str, str]) -> None:
            partners.save_secrets(extension.firm_id, extension.id, new)

        return open_for_activation(extension, secrets, activation, save_secrets=save)

    return DispatchDeps(
        partners=partners,
        organization=shared_store.get_organization,
        document=shared_store.get_document,
        blob=blobs().get,
        open_sender=open_sender,
        clock=lambda: datetime.now(UTC),
    )


def publish_document_approved(org_id: str, document_id: str) -> str:
    payload = {"organization_id": org_id, "document_id": document_id}
    return str(publisher_to(settings().topic_documents_approved)(payload))


def _on_new_account(org_id: str, account_id: str) -> None:
    """Queue a run of each active export of the company, which creates the new
    account's folder at once (`prepare_accounts`)."""
    publish_sync = publisher_to(settings().topic_exports_sync)
    for org, integration_id in IntegrationStore(store().db).list_active_exports():
        if org == org_id:
            publish_sync(
                {
                    "organization_id": org_id,
                    "integration_id": integration_id,
                    "run_id": f"new-account-{account_id}",
                    "prepare_accounts": [account_id],
                }
            )


@lru_cache(maxsize=1)
def feed_deps() -> FeedDeps:
    from shared.usecases.phone_directory import sync_phones
    from shared.usecases.rematch import rematch_organization

    return FeedDeps(
        feed=FeedStore(store().db),
        rematch=lambda org_id: rematch_organization(org_id, processor_deps()),
        sync_phones=lambda phones: sync_phones(store(), phones),
        on_new_account=_on_new_account,
        approved=publish_document_approved,
    )


def reset_for_tests() -> None:
    """Forget cached clients and settings (tests switch emulators and env between runs)."""
    from shared import config

    for cached in (
        store,
        wa_store,
        blobs,
        whatsapp_channel,
        export_deps,
        ebics_deps,
        feed_deps,
        configure_engines,
        config.settings,
    ):
        cached.cache_clear()
