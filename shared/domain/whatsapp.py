"""WhatsApp contact state and the rules that decide what may be sent to a number, and when.

- The 24-hour window: WhatsApp lets a business send free-form messages only within 24 hours
  of the user's last message; later, only an approved template may go (Twilio error 63016).
  We keep a small margin so that a message queued at 23:59 is not refused on delivery.
- Opt-out: a number that sent STOP (or ARRÊT, BAJA, STOPP...) receives nothing more but the
  confirmation, until it sends START.
- Receipt reminders: an organization chooses whether to send them and after how many hours;
  they respect quiet hours in the member's time zone and a daily cap per member.

>>> from datetime import UTC, datetime, timedelta
>>> now = datetime(2026, 12, 3, 12, tzinfo=UTC)
>>> Contact("+33612345678", last_inbound_at=now - timedelta(hours=23)).window_open(now)
True
>>> Contact("+33612345678", last_inbound_at=now - timedelta(hours=25)).window_open(now)
False
>>> settings = ReminderSettings(enabled=True)
>>> settings.quiet_at(datetime(2026, 12, 3, 22, 30, tzinfo=UTC), "Europe/Paris")
True
>>> settings.quiet_at(datetime(2026, 12, 3, 9, 0, tzinfo=UTC), "Europe/Paris")
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SESSION_WINDOW = timedelta(hours=24)
# Free-form only until 10 minutes before the window closes: sending and delivery take time.
WINDOW_MARGIN = timedelta(minutes=10)
# An activation code lives this long after the API issued it.
ACTIVATION_TTL = timedelta(days=14)
# The next document from a reminded number goes to the reminded transaction first, if it comes
# within this delay.
REMINDER_ANSWER_TTL = timedelta(days=7)
DEFAULT_TIME_ZONE = "Europe/Paris"


@dataclass(frozen=True)
class PendingReminder:
    organization_id: str
    transaction_id: str
    sent_at: datetime

    def live(self, now: datetime) -> bool:
        return now - self.sent_at <= REMINDER_ANSWER_TTL


@dataclass(frozen=True)
class Contact:
    """What we know about one WhatsApp number, whoever it belongs to."""

    phone: str  # E.164
    opted_out: bool = False
    last_inbound_at: datetime | None = None
    pending_reminder: PendingReminder | None = None
    reminders_by_day: dict[str, int] = field(default_factory=dict)  # local ISO date -> count

    def window_open(self, now: datetime) -> bool:
        """True while a free-form message may still be sent (the 24-hour window, less margin)."""
        if self.last_inbound_at is None:
            return False
        return now - self.last_inbound_at < SESSION_WINDOW - WINDOW_MARGIN


@dataclass(frozen=True)
class ReminderSettings:
    """An organization's receipt reminder policy (off unless the organization turns it on)."""

    enabled: bool = False
    delay_hours: int = 24  # after the card payment settles
    quiet_start: time = time(21, 0)  # no message from quiet_start...
    quiet_end: time = time(8, 0)  # ...to quiet_end, in the member's time zone
    daily_cap: int = 3  # reminders per member per local day
    lookback_days: int = 7  # older payments are not chased

    # Bounds the API enforces (documented in the OpenAPI document).
    MAX_DELAY_HOURS = 24 * 14
    MAX_DAILY_CAP = 20

    def __post_init__(self) -> None:
        if not 1 <= self.delay_hours <= self.MAX_DELAY_HOURS:
            raise ValueError(f"delay_hours must be 1..{self.MAX_DELAY_HOURS}")
        if not 1 <= self.daily_cap <= self.MAX_DAILY_CAP:
            raise ValueError(f"daily_cap must be 1..{self.MAX_DAILY_CAP}")
        if not 1 <= self.lookback_days <= 60:
            raise ValueError("lookback_days must be 1..60")

    def quiet_at(self, moment: datetime, time_zone: str | None) -> bool:
        local = moment.astimezone(zone(time_zone)).time()
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end

    def local_day(self, moment: datetime, time_zone: str | None) -> str:
        return moment.astimezone(zone(time_zone)).date().isoformat()


def zone(name: str | None) -> ZoneInfo:
    """The member's time zone, or Paris when unknown or not a valid IANA name."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)
