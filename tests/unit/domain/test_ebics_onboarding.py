"""The onboarding state machine and the downgrade choice (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.ebics_onboarding import (
    Onboarding,
    OnboardingState,
    OnboardingStepRefused,
    apply_choice,
    normalize_hash,
    plan_choice,
)

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
BANK_KEYS = [
    {"version": "X002", "public_key_hash": "ab" * 32},
    {"version": "E002", "public_key_hash": "cd" * 32},
]


def test_each_step_in_order_reaches_live_with_its_deadlines() -> None:
    step = Onboarding.request(T0)
    assert step.state is OnboardingState.REQUESTED
    assert step.letter_due_at == T0 + timedelta(hours=24)
    step = step.issue_letter({"host_id": "H"}, T0 + timedelta(hours=1))
    assert step.state is OnboardingState.LETTER_SENT
    step = step.refuse_certificates([{"role": "x", "code": "expired", "message": "m"}], T0)
    assert step.state is OnboardingState.LETTER_SENT and step.last_refusal
    step = step.accept_certificates({"signature": {"pem": "P", "version": "A006"}}, BANK_KEYS, T0)
    assert step.state is OnboardingState.KEYS_ACCEPTED and step.last_refusal == []
    assert step.live_due_at == T0 + timedelta(hours=24)
    assert "pem" not in step.to_json()["certificates"]["signature"]
    step = step.go_live(["AB " * 31 + "AB", "cd" * 32], T0 + timedelta(hours=2))
    assert step.is_live and step.live_at == T0 + timedelta(hours=2)
    assert Onboarding.from_dict(step.to_dict()) == step


def test_steps_out_of_order_are_refused_saying_what_comes_first() -> None:
    requested = Onboarding.request(T0)
    with pytest.raises(OnboardingStepRefused, match="is requested; certificates are uploaded"):
        requested.accept_certificates({}, BANK_KEYS, T0)
    with pytest.raises(OnboardingStepRefused, match="the certificates must be accepted first"):
        requested.go_live([], T0)
    sent = requested.issue_letter({}, T0)
    with pytest.raises(OnboardingStepRefused, match="already issued"):
        sent.issue_letter({}, T0)
    accepted = sent.accept_certificates({}, BANK_KEYS, T0)
    with pytest.raises(OnboardingStepRefused, match="is keys_accepted"):
        accepted.refuse_certificates([], T0)


def test_going_live_needs_every_bank_hash_confirmed() -> None:
    accepted = Onboarding.request(T0).issue_letter({}, T0).accept_certificates({}, BANK_KEYS, T0)
    with pytest.raises(OnboardingStepRefused, match="E002 public key hash"):
        accepted.go_live(["ab" * 32, "ee" * 32], T0)
    assert normalize_hash("AB:CD") == ""  # too short: never matches


def test_a_downgrade_leaves_a_choice_and_removes_nothing_by_itself() -> None:
    assert plan_choice("business", 1, ["c1"], T0) is None
    choice = plan_choice("business", 1, ["c1", "c2", "c3"], T0)
    assert choice is not None and choice.connection_ids == ("c1", "c2", "c3")
    assert apply_choice(choice, ["c2"]) == ["c1", "c3"]
    assert apply_choice(choice, []) == ["c1", "c2", "c3"]
    with pytest.raises(ValueError, match="allows 1 connection"):
        apply_choice(choice, ["c1", "c2"])
    with pytest.raises(ValueError, match="not among"):
        apply_choice(choice, ["c9"])
