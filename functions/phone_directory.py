"""Pub/Sub function (`directory.sync`, daily at 09:00 from Cloud Scheduler)."""

from __future__ import annotations

import functions_framework

from shared import runtime
from shared.usecases.phone_directory import sync_phone_directory


@functions_framework.cloud_event
def phone_directory_sync(cloud_event) -> None:
    sync_phone_directory(runtime.store())
