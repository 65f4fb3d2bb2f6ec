"""Every input of the bad-input corpus (corpus.py) ends in a clean refusal or a correct result
within its budget; the counts are printed at the end of the run:

    N inputs: N refused cleanly, N correct, 0 crashes, 0 over budget
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import pytest
import requests

from local.demo import DEMO_PHONE, seed_demo_company
from shared import runtime
from shared.extraction.worker import ExtractionWorker

from . import corpus, files
from .conftest import SUMMARY

REFUSED, CORRECT, CRASH, OVER = "refused cleanly", "correct", "crashes", "over budget"


def _judge(case: corpus.Case, refused: str | None, result: Any, correct: bool) -> tuple[str, str]:
    """(outcome, detail) from a clean refusal code (or None) and whether the result is right."""
    expect = case.expect
    if refused == "over_budget":
        return OVER, "the worker's budget ran out"
    if refused is not None:
        if expect in (corpus.REFUSE, corpus.ANY) or expect == refused:
            return REFUSED, refused
        return CRASH, f"refused ({refused}) where {expect!r} was due"
    if expect == corpus.REFUSE or isinstance(expect, str) and expect != corpus.ANY:
        return CRASH, f"accepted where a refusal ({expect}) was due: {result}"
    return (CORRECT, "") if correct else (CRASH, f"wrong result: {result}")


def _file(case: corpus.Case, worker: ExtractionWorker, built: Any) -> tuple[str, str]:
    extraction = worker.extract(built, source_name=case.name)
    correct = extraction.refused is None and (
        case.expect(extraction) if callable(case.expect) else True
    )
    summary = [(d.text_source, str(d.total)) for d in extraction.documents]
    return _judge(case, extraction.refusal_code, summary, correct)


def _xml(case: corpus.Case, built: Any) -> tuple[str, str]:
    from shared.formats import pain001

    parsed = pain001.parse(built)
    if not parsed.accepted:
        assert parsed.errors, "a refusal must say why"
        return (
            _judge(case, "refused", None, False)
            if case.expect != corpus.REFUSE
            else (
                REFUSED,
                parsed.errors[0][:80],
            )
        )
    correct = case.expect(parsed) if callable(case.expect) else case.expect == corpus.ANY
    return _judge(case, None, f"accepted {parsed.message_id}", correct)


def _jsonl(case: corpus.Case, tmp_path, built: Any) -> tuple[str, str]:
    status, out, err = corpus.run_matching(tmp_path, built)
    if status != 0:
        assert err.strip(), "a refused input must be reported on stderr"
        return (
            _judge(case, "refused", None, False)
            if case.expect != corpus.REFUSE
            else (
                REFUSED,
                err.strip().splitlines()[-1][:80],
            )
        )
    lines = [json.loads(line) for line in out.splitlines()]
    if isinstance(case.expect, tuple):
        correct = [line["transaction_id"] for line in lines] == [case.expect[1]]
    else:
        correct = case.expect == corpus.ANY
    return _judge(case, None, lines, correct)


def _form(case: corpus.Case, stack, built: Any) -> tuple[str, str]:
    from local.stack import WHATSAPP_NUMBER

    changes = dict(built)
    unsigned = changes.pop("_unsigned", False)
    params = stack.twilio.build_incoming_message(DEMO_PHONE, WHATSAPP_NUMBER, "")
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    form, headers = stack.twilio.signed_webhook(stack.webhook_url, params)
    if unsigned:
        headers.pop("X-Twilio-Signature")
    response = requests.post(stack.webhook_url, data=form, headers=headers, timeout=60)
    code = response.status_code
    if code >= 500:
        return CRASH, f"HTTP {code}"
    if case.expect == corpus.ANY:
        return (CORRECT, "") if code < 300 else (REFUSED, f"HTTP {code}")
    if code != case.expect:
        return CRASH, f"HTTP {code} where {case.expect} was due"
    return (CORRECT, "") if code < 300 else (REFUSED, f"HTTP {code}")


@pytest.fixture(scope="module")
def worker():
    worker = ExtractionWorker()  # the production budgets (shared.limits)
    yield worker
    worker.close()


def test_every_bad_input_ends_in_a_clean_refusal_or_a_correct_result(stack, worker, tmp_path):
    seed_demo_company(runtime.store())
    cases = (
        corpus.image_and_pdf_cases()
        + corpus.xml_cases()
        + corpus.jsonl_cases()
        + corpus.form_cases()
    )
    if not files.CORPUS.exists():
        cases = [c for c in cases if not c.needs_corpus]
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    failures: list[str] = []
    pending: list[str] = []
    for case in cases:
        built = case.build()  # building a bomb is not part of its budget
        started = time.monotonic()
        try:
            if case.kind in ("image", "pdf"):
                outcome, detail = _file(case, worker, built)
            elif case.kind == "xml":
                outcome, detail = _xml(case, built)
            elif case.kind == "jsonl":
                outcome, detail = _jsonl(case, tmp_path, built)
            else:
                outcome, detail = _form(case, stack, built)
        except Exception as exc:  # noqa: BLE001 - a crash is what this test counts
            outcome, detail = CRASH, f"{type(exc).__name__}: {str(exc)[:200]}"
        elapsed = time.monotonic() - started
        if outcome != CRASH and elapsed > corpus.BUDGET_SECONDS:
            outcome, detail = OVER, f"{elapsed:.1f} s"
        kinds[case.kind] += 1
        line = f"{case.kind} / {case.name}: {outcome} {detail} ({elapsed:.2f} s)"
        if outcome in (CRASH, OVER) and case.pending:
            pending.append(f"{line} [pending: {case.pending}]")
            outcome = "pending"
        elif outcome in (CRASH, OVER):
            failures.append(line)
        outcomes[outcome] += 1
    total = sum(outcomes.values())
    SUMMARY.append(
        f"bad-input corpus: {total} inputs: {outcomes[REFUSED]} refused cleanly, "
        f"{outcomes[CORRECT]} correct, {outcomes[CRASH]} crashes, {outcomes[OVER]} over budget"
        + (f" ({outcomes['pending']} pending on other issues)" if pending else "")
        + " | "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    )
    SUMMARY.extend(f"  pending: {line}" for line in pending)
    SUMMARY.extend(f"  FAILED: {line}" for line in failures)
    assert total >= 100 or not files.CORPUS.exists()
    assert not failures, "\n".join(failures)
