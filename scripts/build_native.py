"""Compile the matching engine with mypyc into var/native (see shared/matching/native.py).

    .venv/bin/python scripts/build_native.py [--force]

Skipped when the build there is current (its manifest matches the sources and this Python).
Needs a C compiler and Python's headers; without them it says so and exits 1, and the engine
stays interpreted. Takes about a minute and a half of CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["MATCHING_NATIVE"] = "0"  # the build must not load the build it replaces
sys.path.insert(0, str(ROOT))

from shared.matching import native  # noqa: E402

SETUP = """
from mypyc.build import mypycify
from setuptools import setup

setup(
    name="matching-native",
    packages=[],
    py_modules=[],
    ext_modules=mypycify({modules!r}, opt_level="3", target_dir={c_dir!r}),
)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="build even when current")
    args = parser.parse_args(argv)
    if not args.force and native.current_build() is not None:
        return 0
    digests = native.source_digests()
    modules = [f"shared/matching/{name}" for name in native.COMPILED]
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        (work_dir / "setup.py").write_text(SETUP.format(modules=modules, c_dir=str(work_dir / "c")))
        out = work_dir / "out"
        # Built from the project's root: mypyc reads the modules the engine imports too.
        done = subprocess.run(
            [
                sys.executable,
                str(work_dir / "setup.py"),
                "build_ext",
                "--build-lib",
                str(out),
                "--build-temp",
                str(work_dir / "tmp"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
            print("build_native: not built; the matching engine stays interpreted", file=sys.stderr)
            return 1
        if native.source_digests() != digests:  # (an edit during the build)
            print("build_native: sources changed during the build; run it again", file=sys.stderr)
            return 1
        shutil.rmtree(native.BUILD_DIR, ignore_errors=True)
        shutil.copytree(out, native.BUILD_DIR)
    manifest = {"interpreter": native.interpreter_tag(), "sources": digests}
    native.MANIFEST.write_text(json.dumps(manifest, indent=1))
    print(f"build_native: {len(modules)} modules compiled into {native.BUILD_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
