"""LocalFolder: the Destination contract on a real directory, and its path-traversal guard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shared.destinations.base import Destination, DestinationError
from shared.destinations.local_folder import FolderMissing, LocalFolder, UnsafePath
from shared.destinations.parcel import Overwritable


@pytest.fixture()
def dest(tmp_path: Path) -> LocalFolder:
    return LocalFolder(tmp_path / "export")


def test_implements_the_destination_protocol(dest: LocalFolder) -> None:
    assert isinstance(dest, Destination)
    assert dest.kind == "local_folder"


def test_ensure_folder_is_idempotent_and_nests(dest: LocalFolder) -> None:
    account = dest.ensure_folder(None, "FR7630001007941234567890185")
    assert dest.ensure_folder(None, "FR7630001007941234567890185") == account
    month = dest.ensure_folder(account, "2026-03")
    assert month == "FR7630001007941234567890185/2026-03"
    assert (dest.root / "FR7630001007941234567890185" / "2026-03").is_dir()


def test_upload_round_trip_and_find_file(dest: LocalFolder) -> None:
    folder = dest.ensure_folder(None, "2026-03")
    data = os.urandom(4096)
    file_id = dest.upload(folder, "receipt.pdf", data, "application/pdf")
    assert dest.read(file_id) == data
    assert dest.find_file(folder, "receipt.pdf") == file_id
    assert dest.find_file(folder, "other.pdf") is None
    assert dest.link(file_id).startswith("file://") and dest.link(file_id).endswith("receipt.pdf")


def test_upload_never_overwrites_an_existing_file(dest: LocalFolder) -> None:
    folder = dest.ensure_folder(None, "2026-03")
    first = dest.upload(folder, "receipt.pdf", b"first", "application/pdf")
    second = dest.upload(folder, "receipt.pdf", b"second", "application/pdf")
    assert first != second
    assert second == "2026-03/receipt (1).pdf"
    assert dest.read(first) == b"first"
    assert dest.read(second) == b"second"


def test_put_file_replaces_the_file_of_that_name_and_leaves_no_temporary(
    dest: LocalFolder,
) -> None:
    assert isinstance(dest, Overwritable)
    folder = dest.ensure_folder(None, "out")
    first = dest.put_file(folder, "a.json", b'{"v": 1}', "application/json")
    again = dest.put_file(folder, "a.json", b'{"v": 2}', "application/json")
    assert first == again and dest.read(again) == b'{"v": 2}'
    assert sorted(p.name for p in (dest.root / "out").iterdir()) == ["a.json"]
    with pytest.raises(FolderMissing):
        dest.put_file("gone", "a.json", b"{}", "application/json")


def test_upload_leaves_no_temporary_file(dest: LocalFolder) -> None:
    folder = dest.ensure_folder(None, "2026-03")
    dest.upload(folder, "a.pdf", b"x" * 10, "application/pdf")
    assert sorted(p.name for p in (dest.root / "2026-03").iterdir()) == ["a.pdf"]


def test_deleted_items_do_not_exist_and_deleted_folder_is_not_refilled(dest: LocalFolder) -> None:
    folder = dest.ensure_folder(None, "2026-03")
    file_id = dest.upload(folder, "a.pdf", b"x", "application/pdf")
    (dest.root / file_id).unlink()
    assert dest.exists(file_id) is False
    (dest.root / folder).rmdir()
    assert dest.exists(folder) is False
    with pytest.raises(FolderMissing):
        dest.upload(folder, "b.pdf", b"y", "application/pdf")
    assert not (dest.root / folder).exists()


@pytest.mark.parametrize("name", ["..", ".", "../evil.pdf", "a/b.pdf", "a\\b.pdf", "", "x\x00.pdf"])
def test_names_that_escape_the_root_are_refused(dest: LocalFolder, name: str) -> None:
    folder = dest.ensure_folder(None, "2026-03")
    with pytest.raises(UnsafePath):
        dest.upload(folder, name, b"x", "application/pdf")
    with pytest.raises(UnsafePath):
        dest.ensure_folder(folder, name)


@pytest.mark.parametrize("item_id", ["../outside", "/etc/passwd", "2026-03/../../outside"])
def test_ids_that_escape_the_root_are_refused(dest: LocalFolder, item_id: str) -> None:
    dest.ensure_folder(None, "2026-03")
    with pytest.raises(UnsafePath):
        dest.exists(item_id)
    with pytest.raises(UnsafePath):
        dest.upload(item_id, "a.pdf", b"x", "application/pdf")


def test_symlink_leading_outside_the_root_is_refused(dest: LocalFolder, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (dest.root / "escape").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath):
        dest.upload("escape", "a.pdf", b"x", "application/pdf")
    with pytest.raises(UnsafePath):
        dest.ensure_folder(None, "escape")
    assert list(outside.iterdir()) == []


def test_unsafe_path_is_a_destination_error() -> None:
    assert issubclass(UnsafePath, DestinationError)
