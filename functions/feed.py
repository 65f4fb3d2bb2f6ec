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

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases import feed as usecase

# The composition root's builder, under the name callers used.
feed_deps = runtime.feed_deps


@pubsub_job("transactions.events")
def transactions_feed(delivery: Delivery) -> None:
    # InvalidEvent is acknowledged; NotYetKnown (a RetryLater) is redelivered.
    usecase.apply_transaction_event(runtime.feed_deps(), delivery.payload)


@pubsub_job("companies.events")
def companies_feed(delivery: Delivery) -> None:
    usecase.apply_company_event(runtime.feed_deps(), delivery.payload)
