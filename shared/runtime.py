"""Composition root: builds each use case's dependencies once per instance, lazily."""

from __future__ import annotations

from functools import lru_cache

from shared.channels.twilio_whatsapp import WhatsAppChannel
from shared.config import settings
from shared.events.pubsub import publish
from shared.store.blobs import BlobStore, storage_client
from shared.store.firestore_store import FirestoreStore, firestore_client
from shared.store.whatsapp import WhatsAppStore
from shared.usecases.process_document import ProcessorDeps
from shared.usecases.receipt_reminders import ReminderDeps
from shared.usecases.whatsapp_activation import ActivationDeps
from shared.usecases.whatsapp_intake import IntakeDeps, MediaDeps
from shared.usecases.whatsapp_notify import NotifyDeps, notify_document


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


def intake_deps() -> IntakeDeps:
    config = settings()
    return IntakeDeps(
        store=store(),
        wa=wa_store(),
        channel=whatsapp_channel(),
        publish=lambda payload: publish(config.project, config.topic_whatsapp_media, payload),
        public_url=config.whatsapp_webhook_public_url,
        max_bytes=config.max_document_bytes,
    )


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
        publish=lambda payload: publish(config.project, config.topic_documents_received, payload),
        notify=notify_deps(),
        max_bytes=config.max_document_bytes,
    )


def activation_deps() -> ActivationDeps:
    return ActivationDeps(
        store=store(), wa=wa_store(), whatsapp_number=settings().twilio_whatsapp_number
    )


def reminder_deps() -> ReminderDeps:
    return ReminderDeps(store=store(), wa=wa_store(), notify=notify_deps())


def processor_deps() -> ProcessorDeps:
    notify = notify_deps()
    return ProcessorDeps(
        store=store(), blobs=blobs(), notify=lambda document: notify_document(document, notify)
    )


def reset_for_tests() -> None:
    """Forget cached clients and settings (tests switch emulators and env between runs)."""
    from shared import config

    for cached in (store, wa_store, blobs, whatsapp_channel, config.settings):
        cached.cache_clear()
