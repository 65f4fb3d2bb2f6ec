"""Pub/Sub functions of the core-banking feed (docs/FEED.md); the rules live in
`shared/usecases/feed.py`.

- `transactions_feed` (topic `transactions.events`): one canonical transaction event per
  message; matching of the organization's waiting documents runs at once.
- `companies_feed` (topic `companies.events`): organizations, members, bank accounts.

A malformed event is logged and acknowledged (a retry cannot fix it). An event for an
organization or account not known yet raises, so Pub/Sub redelivers it with backoff (the
company stream may be behind); after the subscription's attempts it reaches the dead
letter topic.
"""

from __future__ import annotations

from functools import lru_cache

import functions_framework

from shared import runtime
from shared.config import settings
from shared.events.pubsub import BadEvent, decode_pubsub_cloudevent, publish
from shared.log import get_logger
from shared.store.feed import FeedStore
from shared.usecases import feed as usecase

log = get_logger(__name__)


def _on_new_account(org_id: str, account_id: str) -> None:
    """Queue a run of each active export of the company: the account gets its folder."""
    from shared.store.integrations import IntegrationStore

    store = runtime.store()
    topic = settings().topic_exports_sync
    for org, integration_id in IntegrationStore(store.db).list_active_exports():
        if org == org_id:
            publish(
                settings().project,
                topic,
                {
                    "organization_id": org_id,
                    "integration_id": integration_id,
                    "run_id": f"new-account-{account_id}",
                },
            )


@lru_cache(maxsize=1)
def feed_deps() -> usecase.FeedDeps:
    from shared.usecases.phone_directory import sync_phone_directory
    from shared.usecases.rematch import rematch_organization

    store = runtime.store()
    return usecase.FeedDeps(
        feed=FeedStore(store.db),
        rematch=lambda org_id: rematch_organization(org_id, runtime.processor_deps()),
        sync_directory=lambda: sync_phone_directory(runtime.store()),
        on_new_account=_on_new_account,
    )


def _apply(cloud_event, apply, name: str) -> None:
    try:
        delivery = decode_pubsub_cloudevent(cloud_event)
    except BadEvent as exc:
        log.error(f"{name}: malformed message dropped", error=str(exc))
        return
    try:
        apply(feed_deps(), delivery.payload)
    except usecase.InvalidEvent as exc:
        log.error(f"{name}: invalid event dropped", error=str(exc))
    except usecase.NotYetKnown as exc:
        log.warning(f"{name}: retry later", error=str(exc))
        raise


@functions_framework.cloud_event
def transactions_feed(cloud_event) -> None:
    _apply(cloud_event, usecase.apply_transaction_event, "transactions.events")


@functions_framework.cloud_event
def companies_feed(cloud_event) -> None:
    _apply(cloud_event, usecase.apply_company_event, "companies.events")
