"""The matching engine compiled by mypyc (`shared.matching.native`): used only when built from
the sources on disk, and answering exactly as the interpreted engine does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from shared.config import Settings
from shared.matching import native
from tests.hostile.corpus import ORG, jsonl_cases

from .helpers import cli_match_command

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "BUILD_DIR", tmp_path)
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "manifest.json")
    return tmp_path


def write_manifest(build: Path, interpreter: str, sources: dict[str, str]) -> None:
    (build / "manifest.json").write_text(
        json.dumps({"interpreter": interpreter, "sources": sources})
    )


def test_a_build_of_these_sources_for_this_python_comes_first(build_dir):
    write_manifest(build_dir, native.interpreter_tag(), native.source_digests())
    path = ["/the/sources"]
    assert native.use_native_build(path, wanted=True)
    assert path == [str(build_dir / "shared" / "matching"), "/the/sources"]


def test_a_build_of_edited_sources_is_not_used(build_dir):
    sources = native.source_digests()
    sources["engine.py"] = "0" * 64
    write_manifest(build_dir, native.interpreter_tag(), sources)
    path = ["/the/sources"]
    assert native.current_build() is None
    assert not native.use_native_build(path, wanted=True)
    assert path == ["/the/sources"]


def test_a_build_for_another_python_or_none_at_all_is_not_used(build_dir):
    assert native.current_build() is None  # no manifest
    write_manifest(build_dir, "3.10.0 .cpython-310-x86_64-linux-gnu.so", native.source_digests())
    assert native.current_build() is None
    (build_dir / "manifest.json").write_text("{not json")
    assert native.current_build() is None


def test_matching_native_0_keeps_the_engine_interpreted(build_dir):
    write_manifest(build_dir, native.interpreter_tag(), native.source_digests())
    path = ["/the/sources"]
    assert not native.use_native_build(path, wanted=False)
    assert path == ["/the/sources"]
    # The setting: on unless `MATCHING_NATIVE` is 0 (the test suite sets it).
    assert Settings.from_env({}).matching_native
    assert not Settings.from_env({"MATCHING_NATIVE": "0"}).matching_native
    assert not native.native_wanted()


def test_the_records_and_the_command_line_are_never_compiled():
    # A compiled function checks its arguments' types: a malformed line must reach the
    # records' own checks and get its clear error.
    assert "model.py" not in native.COMPILED
    assert "commands.py" not in native.COMPILED
    assert {"engine.py", "scoring.py", "tips.py"} <= set(native.COMPILED)


def _run_cli(directory: Path, compiled: bool) -> tuple[int, str, str]:
    env = {**os.environ, "MATCHING_NATIVE": "1" if compiled else "0"}
    done = subprocess.run(
        cli_match_command(directory), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stdout, done.stderr.replace(str(directory), "DIR")


def _needs_a_current_build() -> None:
    if native.current_build() is None:
        pytest.skip("no current compiled build (scripts/build_native.py: needs a C compiler)")
    env = {**os.environ, "MATCHING_NATIVE": "1"}
    loaded = subprocess.run(
        [sys.executable, "-c", "import shared.matching.engine as e; print(e.__file__)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded.endswith(".so"), loaded  # the compiled engine is the one the CLI runs


@pytest.mark.slow
@pytest.mark.parametrize("style", ["brief", "fresh", "independent", "plain", "adversarial"])
def test_the_compiled_engine_answers_as_the_interpreted_one(style, tmp_path):
    _needs_a_current_build()
    written = subprocess.run(
        [
            sys.executable,
            "bench/matching.py",
            "--documents",
            "1500",
            "--transactions",
            "15000",
            "--seed",
            "11",
            "--style",
            style,
            "--write",
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "MATCHING_NATIVE": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert written.returncode == 0, written.stderr
    interpreted = _run_cli(tmp_path, compiled=False)
    compiled = _run_cli(tmp_path, compiled=True)
    assert interpreted[0] == 0, interpreted[2]
    assert len(interpreted[1].splitlines()) == 1500
    assert compiled == interpreted


def test_the_compiled_engine_answers_hostile_lines_as_the_interpreted_one():
    _needs_a_current_build()
    for case in jsonl_cases():
        txs, docs = case.build()
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            (directory / "org.json").write_text(json.dumps(ORG))
            (directory / "tx.jsonl").write_text("".join(json.dumps(t) + "\n" for t in txs))
            (directory / "docs.jsonl").write_text(docs)
            interpreted = _run_cli(directory, compiled=False)
            compiled = _run_cli(directory, compiled=True)
        assert compiled == interpreted, case.name
