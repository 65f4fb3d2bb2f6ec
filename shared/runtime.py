"""Composition root: builds each use case's dependencies once per instance, lazily."""

from __future__ import annotations

from functools import lru_cache

from shared.channels.twilio_whatsapp import WhatsAppChannel
from shared.config import settings
from shared.events.pubsub import publish
from shared.store.blobs import BlobStore, storage_client
from shared.store.firestore_store import FirestoreStore, firestore_client
from shared.usecases.process_document import ProcessorDeps
from shared.usecases.whatsapp_intake import IntakeDeps


@lru_cache(maxsize=1)
def store() -> FirestoreStore:
    return FirestoreStore(firestore_client(settings().project))


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
        blobs=blobs(),
        channel=whatsapp_channel(),
        publish=lambda payload: publish(config.project, config.topic_documents_received, payload),
        public_url=config.whatsapp_webhook_public_url,
        max_bytes=config.max_document_bytes,
    )


def processor_deps() -> ProcessorDeps:
    channel = whatsapp_channel()
    return ProcessorDeps(store=store(), blobs=blobs(), notify=channel.send_text)


def reset_for_tests() -> None:
    """Forget cached clients and settings (tests switch emulators and env between runs)."""
    from shared import config

    for cached in (store, blobs, whatsapp_channel, config.settings):
        cached.cache_clear()
