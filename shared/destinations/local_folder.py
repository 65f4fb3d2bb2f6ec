"""A folder on the local disk as an export destination (the embedded default for a local run).

Ids are POSIX paths relative to `root` ("" is the root itself). Every id and name is
checked to stay inside `root`, symlinks included: a name such as `../x` or an id that
resolves outside is refused with `UnsafePath`. Files are written atomically (a temp
file in the same folder, fsynced, then linked into place), so a crash never leaves a
half-written receipt under its final name, and an existing file is never overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

from shared.destinations.base import DestinationError
from shared.errors import Invalid, NotFound


class UnsafePath(DestinationError, Invalid):
    """A name or id that would escape the destination root (path traversal)."""


class FolderMissing(DestinationError, NotFound):
    """The target folder does not exist (deleted by the user): it is not re-created."""


_MAX_RENAMES = 1000


def _check_name(name: str) -> None:
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or name.strip() != name
    ):
        raise UnsafePath(f"refused file or folder name {name!r}")


def _written_aside(folder: Path, data: bytes) -> Path:
    """`data` in a hidden temporary file of `folder`, on disk, ready to be put in place."""
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return Path(tmp_name)


class LocalFolder:
    """`Destination` over a directory tree; `kind = "local_folder"`."""

    kind = "local_folder"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._real_root = self.root.resolve()

    # ------------------------------------------------------------------ paths

    def _path(self, item_id: str | None) -> Path:
        """Absolute path of an id, refusing anything outside the root."""
        if not item_id:
            return self._real_root
        rel = PurePosixPath(item_id)
        if rel.is_absolute() or any(part in ("..", "") for part in rel.parts) or "\x00" in item_id:
            raise UnsafePath(f"refused id {item_id!r}: it must be a relative path inside the root")
        path = self._real_root.joinpath(*rel.parts)
        # resolve() follows symlinks: a link inside the root pointing outside is refused too.
        if not path.resolve().is_relative_to(self._real_root):
            raise UnsafePath(f"refused id {item_id!r}: it resolves outside the root")
        return path

    def _id(self, path: Path) -> str:
        return path.relative_to(self._real_root).as_posix()

    # ------------------------------------------------------------------ Destination

    def _child(self, folder_id: str | None, name: str) -> Path:
        """The path of `name` in an existing folder, refusing names and links that lead
        outside the root."""
        _check_name(name)
        folder = self._path(folder_id)
        if not folder.is_dir():
            raise FolderMissing(f"folder {folder_id!r} does not exist")
        path = folder / name
        self._path(self._id(path))  # refuse a symlinked name leading outside
        return path

    def ensure_folder(self, parent_id: str | None, name: str) -> str:
        path = self._child(parent_id, name)
        if path.exists() and not path.is_dir():
            raise DestinationError(f"{self._id(path)!r} exists and is a file, not a folder")
        path.mkdir(exist_ok=True)
        return self._id(path)

    def exists(self, item_id: str) -> bool:
        return self._path(item_id).exists()

    def find_file(self, folder_id: str, name: str) -> str | None:
        _check_name(name)
        path = self._path(folder_id) / name
        return self._id(path) if path.is_file() else None

    def list_files(self, folder_id: str) -> dict[str, str]:
        """`Destination.list_files`: {name: id} of the files in the folder (none if gone)."""
        folder = self._path(folder_id)
        if not folder.is_dir():
            return {}
        return {p.name: self._id(p) for p in folder.iterdir() if p.is_file()}

    def upload(
        self,
        folder_id: str,
        name: str,
        data: bytes,
        mime_type: str,
        properties: dict[str, str] | None = None,
    ) -> str:
        """Write a new file; a taken name becomes `name (1).ext`. Properties are not kept."""
        _check_name(name)
        folder = self._path(folder_id)
        if not folder.is_dir():
            raise FolderMissing(f"folder {folder_id!r} does not exist")
        tmp = _written_aside(folder, data)
        try:
            stem, suffix = Path(name).stem, Path(name).suffix
            for n in range(_MAX_RENAMES):
                target = folder / (name if n == 0 else f"{stem} ({n}){suffix}")
                try:
                    # link() fails if the target exists, so no concurrent writer is overwritten.
                    os.link(tmp, target)
                except FileExistsError:
                    continue
                return self._id(target)
            raise DestinationError(f"no free name for {name!r} in {folder_id!r}")
        finally:
            tmp.unlink(missing_ok=True)

    def put_file(self, folder_id: str, name: str, data: bytes, mime_type: str) -> str:
        """Write `name`, replacing the file of that name (an updated index record); a
        reader sees the old content or the new one, never a part."""
        target = self._child(folder_id, name)
        tmp = _written_aside(target.parent, data)
        try:
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return self._id(target)

    def link(self, item_id: str) -> str:
        return self._path(item_id).as_uri()

    def read(self, item_id: str) -> bytes:
        return self._path(item_id).read_bytes()
