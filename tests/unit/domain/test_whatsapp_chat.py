"""The chat's pure parts: commands, the message catalogue, the window and reminder rules."""

from __future__ import annotations

import doctest
import re
import string
from datetime import UTC, datetime, time, timedelta

import pytest

from shared.domain import chat_commands, messages, whatsapp
from shared.domain.chat_commands import CODE_ALPHABET, CODE_LENGTH, new_activation_code, parse
from shared.domain.messages import LANGUAGES, keys, language_for, reason, render
from shared.domain.whatsapp import Contact, PendingReminder, ReminderSettings


@pytest.mark.parametrize("module", [chat_commands, messages, whatsapp])
def test_docstring_examples_hold(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", keys())
def test_every_text_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    texts = messages._TEXTS[key]
    assert set(texts) == set(LANGUAGES)
    assert len({frozenset(_fields(text)) for text in texts.values()}) == 1


def test_template_variables_name_placeholders_of_their_text() -> None:
    for key, names in messages.TEMPLATE_VARIABLES.items():
        assert set(names) == _fields(messages._TEXTS[key]["en"])


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("STOP", "stop"),
        (" stop ", "stop"),
        ("Arrêt", "stop"),
        ("ARRETER", "stop"),
        ("Baja.", "stop"),
        ("darse de baja", "stop"),
        ("STOPP", "stop"),
        ("Unsubscribe!", "stop"),
        ("START", "start"),
        ("alta", "start"),
        ("Anmelden", "start"),
        ("stop the bus", "other"),
        ("empresas", "companies"),
        ("Firmen", "companies"),
        ("switch", "companies"),
        ("switch 2", "switch"),
        ("cambiar 3", "switch"),
        ("", "other"),
    ],
)
def test_commands(body: str, kind: str) -> None:
    assert parse(body).kind == kind


@pytest.mark.parametrize(
    "body",
    ["switch " + "9" * 5000, "switch 0" + " " * 100_000, "switch " + "1" * 4],
)
def test_switch_with_an_unreadable_number_has_no_choice(body: str) -> None:
    command = parse(body)
    assert command.kind == "switch" and command.choice in (None, 0)


def test_long_text_is_not_a_command_even_if_it_starts_like_one() -> None:
    assert parse("stop" + " " * 300 + "please read my long message").kind == "other"


def test_activation_code_is_found_in_the_prefilled_text_and_only_with_its_alphabet() -> None:
    code = new_activation_code()
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert parse(f"ACT-{code}").code == code
    assert parse(f"Hello act-{code.lower()} thanks").code == code
    assert parse("ACT-0OIL1234").kind == "other"  # look-alike characters are not in codes


@pytest.mark.parametrize(
    ("locale", "phone", "language"),
    [
        ("es", "+33612345678", "es"),
        ("de_CH", "+33612345678", "de"),
        ("it-IT", "+34612345678", "es"),  # not one of ours: the number decides
        (None, "+4915112345678", "de"),
        (None, "+41791234567", "de"),
        (None, "+352621123456", "fr"),
        (None, "+351912345678", "en"),  # Portugal: none of our four languages
        (None, "+5215512345678", "es"),
        (None, "whatsapp:+33612345678", "fr"),
        (None, None, "en"),
    ],
)
def test_language_from_locale_else_country(locale, phone, language) -> None:
    assert language_for(locale, phone) == language


@pytest.mark.parametrize(
    "code",
    [
        "unsupported_type", "too_large", "empty_file", "corrupt_pdf", "encrypted_pdf",
        "corrupt_image", "decompression_bomb", "too_many_pages", "unreadable", "too_much_text",
        "over_budget", "fetch_failed", "processing_failed",
    ],
)  # fmt: skip
def test_every_refusal_code_has_a_reason_in_every_language(code: str) -> None:
    for language in LANGUAGES:
        text = reason(code, language, max_mb=15)
        assert text and "{" not in text


def test_unknown_refusal_code_reads_as_unreadable_and_sizes_are_filled_in() -> None:
    assert reason("something_new", "en") == reason("unreadable", "en")
    assert "15 MB" in reason("too_large", "en", max_mb=15)
    assert re.search(r"\bdamaged\b", reason("corrupt_image", "en"))


def test_a_day_ending_with_a_period_gets_no_second_one() -> None:
    text = render(
        "matched_later",
        "fr",
        document="Votre document",
        counterparty="X",
        amount="1 €",
        day="20 nov.",
    )
    assert text.endswith("du 20 nov.") and not text.endswith("..")


def test_window_closes_24_hours_after_the_last_message_less_the_margin() -> None:
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert not Contact("+33600000000").window_open(now)
    edge = now - (whatsapp.SESSION_WINDOW - whatsapp.WINDOW_MARGIN)
    assert not Contact("+33600000000", last_inbound_at=edge).window_open(now)
    assert Contact("+33600000000", last_inbound_at=edge + timedelta(seconds=1)).window_open(now)


def test_a_pending_reminder_expires() -> None:
    sent = datetime(2026, 12, 1, tzinfo=UTC)
    reminder = PendingReminder("org", "tx", sent)
    assert reminder.live(sent + timedelta(days=6))
    assert not reminder.live(sent + timedelta(days=8))


def test_quiet_hours_are_in_the_member_time_zone_and_may_not_wrap() -> None:
    evening = datetime(2026, 12, 3, 20, 30, tzinfo=UTC)  # 21:30 in Paris, 15:30 in New York
    night = ReminderSettings()
    assert night.quiet_at(evening, "Europe/Paris")
    assert not night.quiet_at(evening, "America/New_York")
    assert night.quiet_at(evening, "Not/AZone")  # unknown zones read as Paris
    lunch = ReminderSettings(quiet_start=time(12), quiet_end=time(14))
    assert lunch.quiet_at(datetime(2026, 12, 3, 12, tzinfo=UTC), "Europe/Paris")
    assert not lunch.quiet_at(datetime(2026, 12, 3, 14, tzinfo=UTC), "Europe/Paris")


@pytest.mark.parametrize(
    "kwargs", [{"delay_hours": 0}, {"delay_hours": 10_000}, {"daily_cap": 0}, {"lookback_days": 99}]
)
def test_reminder_settings_are_bounded(kwargs) -> None:
    with pytest.raises(ValueError):
        ReminderSettings(**kwargs)
