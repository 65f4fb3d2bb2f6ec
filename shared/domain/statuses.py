"""The one status vocabulary of integrations (export, Dropzone) and of their runs.

`IntegrationStatus` is what an integration's status document shows ops and the app;
`RunOutcome` is what one run answers its caller (the worker function decides from it
whether to continue, acknowledge or ask Pub/Sub to redeliver). Both are `StrEnum`s: they
are stored and logged as their plain values.
"""

from __future__ import annotations

import enum


class IntegrationStatus(enum.StrEnum):
    PENDING = "pending"  # connected, first run not started
    ACTIVE = "active"  # connected, idle (Dropzone)
    RUNNING = "running"  # a run is in progress (progress fields move)
    OK = "ok"  # the last run finished with every item exported
    ERROR = "error"  # the last run finished, some items failed (see their entries)
    RETRYING = "retrying"  # rate limits or 5xx outlived the backoff; the next run resumes
    RECONNECT_NEEDED = "reconnect_needed"  # credentials revoked or expired: reconnect
    STORAGE_FULL = "storage_full"  # the destination's quota is exhausted
    # The exact words the Dropzone issue asks the user to see.
    BROKEN = "broken: disconnect and reconnect"
    DISCONNECTED = "disconnected"


class RunOutcome(enum.StrEnum):
    DONE = "done"  # the run finished (items may remain for a continuation: see the report)
    PARTIAL = "partial"  # stopped at a checkpoint (time budget): publish a continuation
    SKIPPED = "skipped"  # nothing to do (inactive, or this run was already done)
    BUSY = "busy"  # another worker holds the lease: redeliver later
    LEASE_LOST = "lease_lost"  # the lease was taken over mid-run: stop touching it
    RETRYING = "retrying"  # transient failures outlived the backoff: redeliver later
    RECONNECT_NEEDED = "reconnect_needed"
    STORAGE_FULL = "storage_full"
    BROKEN = "broken"  # the integration's setup is broken (folders deleted...)
    ERROR = "error"  # stopped on an error the status message names (settings, tenant gone)
