"""The matching engine compiled to C by mypyc, used when it was built from these very sources.

`scripts/build_native.py` (run by `scripts/bootstrap.sh` where a C compiler is found) compiles
the engine's modules (`COMPILED`) into `BUILD_DIR` with a manifest of their sources' digests
and the interpreter they were built for. `shared.matching` puts that directory first on its
package path only when the manifest matches the sources on disk and this interpreter: an
edited source, another Python or no build at all leaves the engine interpreted, with the same
results (the compiled and interpreted engines answer the same bytes:
`tests/unit/matching/test_native.py`). About a fifth less CPU on a statement of 100,000 lines.

The input records and the command line (`model`, `commands`) are never compiled: a compiled
function checks its arguments' declared types, and the records are where a malformed line
must get its own clear error. `MATCHING_NATIVE=0` keeps the engine interpreted (the test
suite sets it, so that tests may patch the engine's functions).
"""

from __future__ import annotations

import hashlib
import json
import sys
import sysconfig
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUILD_DIR = PACKAGE_DIR.parents[1] / "var" / "native"
MANIFEST = BUILD_DIR / "manifest.json"
# Everything but the package marker, the records and the command line (see above), and this.
NOT_COMPILED = frozenset({"__init__.py", "model.py", "commands.py", "native.py"})
COMPILED = tuple(sorted(p.name for p in PACKAGE_DIR.glob("*.py") if p.name not in NOT_COMPILED))


def interpreter_tag() -> str:
    """The interpreter a build is for: its version and its extension modules' suffix."""
    return f"{sys.version} {sysconfig.get_config_var('EXT_SUFFIX')}"


def source_digests() -> dict[str, str]:
    """sha256 of each compiled module's source, by file name."""
    return {
        name: hashlib.sha256((PACKAGE_DIR / name).read_bytes()).hexdigest() for name in COMPILED
    }


def current_build() -> Path | None:
    """The build directory when its manifest matches the sources and this interpreter."""
    try:
        manifest = json.loads(MANIFEST.read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("interpreter") != interpreter_tag():
        return None
    if manifest.get("sources") != source_digests():
        return None
    return BUILD_DIR


def native_wanted() -> bool:
    """The setting `MATCHING_NATIVE` (`shared.config`); a malformed configuration, whatever
    its fault, leaves the engine interpreted rather than failing its import."""
    from shared.config import settings
    from shared.errors import ConfigError

    try:
        return settings().matching_native
    except ConfigError:
        return False


def use_native_build(package_path: list[str], wanted: bool | None = None) -> bool:
    """Put the compiled modules before the sources on `package_path` (the package's
    `__path__`) when a current build exists and it is `wanted` (by default, as the
    setting `MATCHING_NATIVE` says)."""
    if not (native_wanted() if wanted is None else wanted):
        return False
    build = current_build()
    if build is None:
        return False
    package_path.insert(0, str(build / "shared" / "matching"))
    # mypyc's runtime support is one top-level module beside the package.
    if str(build) not in sys.path:
        sys.path.append(str(build))
    return True
