"""What an operator does from the console or a terminal (docs/RUNBOOK.md).

- pause and resume the product's Scheduler jobs (maintenance, an incident);
- re-run one integration now (an export or a Dropzone), or one day's EBICS statements;
- rotate a secret: add the new value as the latest version, keep the previous one enabled
  while instances still hold it, and retire older versions.

- replay the dead letters of a topic after a fix: each held message is published again on
  its topic once, then acknowledged (answering them is `shared/usecases/dead_letters.py`'s job).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from shared.errors import NotFound
from shared.ops.dead_letter_hold import HeldMessage
from shared.ops.scheduler import ScheduledJob
from shared.ops.secrets import SecretVersion

Publish = Callable[[str, dict[str, Any]], str]
"""publish(topic, payload) -> message id."""

RERUN_TOPICS = {"export": "exports.sync", "drive_dropzone": "dropzone.sync"}
"""Integration kind -> the topic its worker listens on."""


class Schedules(Protocol):
    def list(self) -> list[ScheduledJob]: ...
    def pause(self, name: str) -> ScheduledJob: ...
    def resume(self, name: str) -> ScheduledJob: ...


class Secrets(Protocol):
    def add(self, secret_id: str, value: bytes) -> SecretVersion: ...
    def list(self, secret_id: str) -> list[SecretVersion]: ...
    def disable(self, secret_id: str, number: int) -> SecretVersion: ...


class Hold(Protocol):
    def pull(self, max_messages: int) -> list[HeldMessage]: ...
    def republish(self, message: HeldMessage, attributes: dict[str, str]) -> str: ...
    def acknowledge(self, messages: list[HeldMessage]) -> None: ...
    def release(self, messages: list[HeldMessage]) -> None: ...


DEAD_LETTER_ATTRIBUTE_PREFIX = "CloudPubSubDeadLetter"
"""Attributes Pub/Sub adds when it dead-letters a message; they are not the sender's."""

REPLAY_ATTRIBUTE = "replayed_dead_letter"
"""Set on a replayed message: the held message's id, so logs tie the two together."""

REPLAY_BATCH = 100


@dataclass(frozen=True)
class Replay:
    topic: str
    replayed: list[tuple[str, str]]  # (held message id, new message id)
    failed: list[tuple[str, str]]  # (held message id, error): left in the hold


class UnknownJob(NotFound):
    """A job name that is not one of the product's Scheduler jobs."""


def set_schedules(
    schedules: Schedules, paused: bool, names: Iterable[str] | None = None
) -> list[ScheduledJob]:
    """Pause (or resume) the named jobs, or all the product's jobs; returns their new state."""
    known = {job.name: job for job in schedules.list()}
    wanted = list(names) if names else sorted(known)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise UnknownJob(f"not a job of this product: {', '.join(unknown)}; known: {sorted(known)}")
    change = schedules.pause if paused else schedules.resume
    return [change(name) for name in wanted]


def rerun_integration(
    publish: Publish, kind: str, org_id: str, integration_id: str, now: datetime
) -> str:
    """Publish a run of one integration now; its worker's lease and ledger keep it idempotent."""
    topic = RERUN_TOPICS.get(kind)
    if topic is None:
        raise ValueError(f"no rerun for integration kind {kind!r}; known: {sorted(RERUN_TOPICS)}")
    stamp = now.isoformat(timespec="seconds")
    payload: dict[str, Any] = {"organization_id": org_id, "integration_id": integration_id}
    if topic == "exports.sync":
        payload["run_id"] = f"manual-{stamp}"
    else:
        payload["run_key"] = f"manual:{stamp}"
    return publish(topic, payload)


def rerun_statements(publish: Publish, day: date) -> str:
    """(Re)write one day's EBICS statements; the files are named by day, so a rerun replaces."""
    return publish("ebics.statements", {"date": day.isoformat()})


@dataclass(frozen=True)
class Rotation:
    secret_id: str
    new_version: int
    kept_enabled: list[int]
    disabled: list[int]


def rotate_secret(
    secrets: Secrets, secret_id: str, value: bytes, keep_previous: int = 1
) -> Rotation:
    """Add `value` as the latest version; keep `keep_previous` older enabled versions.

    Functions read `latest` at cold start, so running instances keep the old value until
    they recycle: the previous version stays enabled for that overlap, and a later call
    with keep_previous=0 (`ops retire-secret`) disables it.
    """
    if not value.strip():
        raise ValueError("refusing an empty secret value")
    new = secrets.add(secret_id, value)
    return retire_secret_versions(secrets, secret_id, keep_previous, newest=new.number)


def retire_secret_versions(
    secrets: Secrets, secret_id: str, keep_previous: int = 0, newest: int | None = None
) -> Rotation:
    enabled = [v.number for v in secrets.list(secret_id) if v.state == "ENABLED"]
    if not enabled:
        raise ValueError(f"secret {secret_id} has no enabled version")
    newest = newest or max(enabled)
    older = sorted((n for n in enabled if n < newest), reverse=True)
    keep, retire = older[:keep_previous], older[keep_previous:]
    for number in retire:
        secrets.disable(secret_id, number)
    return Rotation(secret_id, newest, keep, sorted(retire))


def replay_dead_letters(hold: Hold, topic: str, max_messages: int | None = None) -> Replay:
    """Publish each held dead letter of `topic` again, once, and acknowledge it.

    A message is acknowledged only after its publish succeeded; one that could not be
    published goes back to the hold at once, and the replay stops there (the cause is
    usually the same for the rest: ops rerun the command once it is fixed). The handlers
    are idempotent, so a message replayed twice (a crash between publish and acknowledge)
    is processed once.
    """
    replayed: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    while max_messages is None or len(replayed) < max_messages:
        want = (
            REPLAY_BATCH
            if max_messages is None
            else min(REPLAY_BATCH, max_messages - len(replayed))
        )
        batch = hold.pull(want)
        if not batch:
            break
        done: list[HeldMessage] = []
        for index, message in enumerate(batch):
            attributes = {
                key: value
                for key, value in message.attributes.items()
                if not key.startswith(DEAD_LETTER_ATTRIBUTE_PREFIX)
            }
            attributes[REPLAY_ATTRIBUTE] = message.message_id
            try:
                new_id = hold.republish(message, attributes)
            except Exception as error:  # noqa: BLE001 - reported, and the message is kept
                failed.append((message.message_id, f"{type(error).__name__}: {error}"[:300]))
                hold.acknowledge(done)
                hold.release(batch[index:])
                return Replay(topic, replayed, failed)
            done.append(message)
            replayed.append((message.message_id, new_id))
        hold.acknowledge(done)
    return Replay(topic, replayed, failed)
