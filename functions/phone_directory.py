"""Pub/Sub function (`directory.sync`, daily at 09:00 from Cloud Scheduler)."""

from __future__ import annotations

from functions.handlers import pubsub_job
from shared import runtime
from shared.events.pubsub import Delivery
from shared.usecases.phone_directory import sync_phone_directory


@pubsub_job("directory.sync")
def phone_directory_sync(delivery: Delivery) -> None:
    sync_phone_directory(runtime.store())
