"""Knowing when the workspace is on a network drive (promise 6): the mount table says
which file system holds the file, and the window shows it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studio_desk.store import health

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reads /proc/mounts")

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
//fileserver/studio {where}/Shared\\040Drive cifs rw,relatime,vers=3.1.1 0 0
nas:/export/projects {where}/nfs nfs4 rw,relatime,vers=4.2 0 0
anna@studio:/home/anna {where}/sshfs fuse.sshfs rw,nosuid,nodev 0 0
/dev/vdb {where}/nfs/local-inside ext4 rw 0 0
"""


@pytest.fixture
def mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A mount table naming folders under ``tmp_path`` as network shares."""
    for folder in ("Shared Drive/clients", "nfs/local-inside", "sshfs"):
        (tmp_path / folder).mkdir(parents=True)
    table = tmp_path / "mounts"
    table.write_text(MOUNTS.format(where=tmp_path), encoding="utf-8")
    monkeypatch.setattr(health, "_MOUNTS", table)
    return tmp_path


@pytest.mark.parametrize(("place", "kind"), [
    ("Shared Drive/clients/Studio.studiodesk", "cifs"),  # a space in the mount point
    ("nfs/Studio.studiodesk", "nfs4"),
    ("sshfs/Studio.studiodesk", "fuse.sshfs"),
    ("nfs/local-inside/Studio.studiodesk", "local"),  # a disk mounted inside a share
    ("Studio.studiodesk", "local"),
])
def test_the_drive_holding_the_workspace_is_named(mounts: Path, place: str,
                                                  kind: str) -> None:
    path = mounts / place
    assert health.filesystem_kind(path) == kind
    assert health.is_network_drive(path) is (kind != "local")


def test_a_share_reached_through_a_link_is_still_a_share(mounts: Path) -> None:
    link = mounts / "shortcut"
    link.symlink_to(mounts / "nfs")
    assert health.filesystem_kind(link / "Studio.studiodesk") == "nfs4"


def test_a_missing_workspace_is_judged_by_its_folder(mounts: Path) -> None:
    assert health.filesystem_kind(mounts / "sshfs" / "new" / "Studio.studiodesk") == \
        "fuse.sshfs"


def test_without_a_mount_table_the_kind_is_unknown(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_MOUNTS", tmp_path / "no such table")
    assert health.filesystem_kind(tmp_path) == "unknown"
    assert not health.is_network_drive(tmp_path)


def test_this_machines_own_disk_is_local() -> None:
    assert health.filesystem_kind(Path.cwd()) in {"local", *health.NETWORK_FILESYSTEMS}
    assert health.filesystem_kind(Path("/proc")) == "local"
