"""The replay of held dead letters: acknowledged only once published, never lost."""

from __future__ import annotations

from shared.ops.dead_letter_hold import HeldMessage
from shared.usecases.ops import REPLAY_ATTRIBUTE, replay_dead_letters


class HoldOnAList:
    """A hold subscription's contract (pull / acknowledge / release) over a list."""

    def __init__(self, messages: list[HeldMessage], publish_fails_at: int | None = None) -> None:
        self.waiting = list(messages)
        self.out: list[HeldMessage] = []
        self.acknowledged: list[str] = []
        self.published: list[tuple[bytes, dict[str, str]]] = []
        self.publish_fails_at = publish_fails_at

    def pull(self, max_messages: int) -> list[HeldMessage]:
        batch, self.waiting = self.waiting[:max_messages], self.waiting[max_messages:]
        self.out += batch
        return batch

    def republish(self, message: HeldMessage, attributes: dict[str, str]) -> str:
        if self.publish_fails_at == len(self.published):
            raise ConnectionError("pubsub unavailable")
        self.published.append((message.data, attributes))
        return f"new-{message.message_id}"

    def acknowledge(self, messages: list[HeldMessage]) -> None:
        for message in messages:
            self.out.remove(message)
            self.acknowledged.append(message.message_id)

    def release(self, messages: list[HeldMessage]) -> None:
        for message in messages:
            self.out.remove(message)
        self.waiting = list(messages) + self.waiting


def _held(n: int) -> list[HeldMessage]:
    return [
        HeldMessage(
            ack_id=f"ack-{i}",
            message_id=f"m{i}",
            data=f'{{"document_id": "d{i}"}}'.encode(),
            attributes={"origin": "x", "CloudPubSubDeadLetterSourceDeliveryCount": "10"},
        )
        for i in range(n)
    ]


def test_every_held_message_is_published_once_without_the_dead_letter_attributes():
    hold = HoldOnAList(_held(250))
    replay = replay_dead_letters(hold, "documents.received")
    assert len(replay.replayed) == 250 and replay.failed == []
    assert hold.acknowledged == [f"m{i}" for i in range(250)]
    assert hold.waiting == [] and hold.out == []
    data, attributes = hold.published[0]
    assert data == b'{"document_id": "d0"}'
    assert attributes == {"origin": "x", REPLAY_ATTRIBUTE: "m0"}


def test_a_failed_publish_keeps_that_message_and_the_rest_in_the_hold():
    hold = HoldOnAList(_held(5), publish_fails_at=2)
    replay = replay_dead_letters(hold, "documents.received")
    assert [held for held, _ in replay.replayed] == ["m0", "m1"]
    assert replay.failed[0][0] == "m2" and "pubsub unavailable" in replay.failed[0][1]
    assert hold.acknowledged == ["m0", "m1"]
    assert [m.message_id for m in hold.waiting] == ["m2", "m3", "m4"]
    assert hold.out == []


def test_max_bounds_the_replay():
    hold = HoldOnAList(_held(5))
    replay = replay_dead_letters(hold, "whatsapp.media", max_messages=3)
    assert len(replay.replayed) == 3 and len(hold.waiting) == 2
