"""Where an export may be written (issue 12, items 2, 3 and 6), with real files, links,
pipes and processes.

An export is built under a random name made with ``O_EXCL`` and renamed over its target
(``core.safe_files``): a link planted under a predictable temporary name cannot send it
elsewhere, and a folder, a link, a pipe or a device named as the target is refused in
one sentence, left as it was. A name that can only be a folder (``.``, ``''``, ``/``) is
refused in one line, not with a traceback.

The tests marked ``needs_safe_csv_writer`` run the command line's CSV and workbook
exports end to end; they are skipped until ``core.csvio`` writes through
``core.safe_files`` (its own writer still uses a predictable ``.partial`` name).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_desk.core import csvio, safe_files
from studio_desk.core.safe_files import (
    ExportTargetError,
    check_export_target,
    write_bytes_atomically,
)
from tests.helpers.cli import ROOT, ok, one_line_error, rows_of, studio_desk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX links, pipes, devices")

AS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0

needs_safe_csv_writer = pytest.mark.skipif(
    csvio.write_bytes_atomically is not safe_files.write_bytes_atomically,
    reason="core.csvio does not write through core.safe_files yet")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


@pytest.fixture(scope="module")
def studio_with_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace with a proposed plan "Split" (made once; tests copy it)."""
    folder = tmp_path_factory.mktemp("studio")
    env = dict(os.environ, STUDIO_DESK_DATA_DIR=str(folder / "data"),
               STUDIO_DESK_CONFIG_DIR=str(folder / "config"))
    ok(studio_desk("demo", "w.studiodesk", "--projects", "8", "--people", "4",
                   "--clients", "4", cwd=folder, env=env))
    ok(studio_desk("plan", "propose", "Split", "--db", "w.studiodesk", cwd=folder, env=env))
    return folder / "w.studiodesk"


@pytest.fixture
def folder(tmp_path: Path, studio_with_plan: Path) -> Path:
    """A folder holding a copy of that workspace, ``w.studiodesk``, and nothing else."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(studio_with_plan, work / "w.studiodesk")
    return work


def listing(folder: Path) -> dict[str, str]:
    """What each entry of ``folder`` is: a link (and where to), a file's text, a pipe..."""
    found = {}
    for entry in os.scandir(folder):
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode):
            found[entry.name] = "link to " + os.readlink(entry.path)
        elif stat.S_ISFIFO(mode):
            found[entry.name] = "pipe"
        elif stat.S_ISDIR(mode):
            found[entry.name] = "folder"
        else:
            found[entry.name] = Path(entry.path).read_bytes().hex()[:64]
    return found


# --- the writer itself ---------------------------------------------------------------------

def test_a_link_planted_under_a_temporary_name_is_not_written_through(
        tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("a colleague's notes", encoding="utf-8")
    for planted in ("out.csv.partial", ".out.csv.partial", "out.csv.tmp", "out.csv~"):
        (tmp_path / planted).symlink_to(victim)

    write_bytes_atomically(tmp_path / "out.csv", b"name\r\nAcme\r\n")

    assert victim.read_text(encoding="utf-8") == "a colleague's notes"
    assert (tmp_path / "out.csv").read_bytes() == b"name\r\nAcme\r\n"
    assert not (tmp_path / "out.csv").is_symlink()
    # The planted links are left as they were, and nothing else is left behind.
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["victim.txt", "out.csv", "out.csv.partial", ".out.csv.partial", "out.csv.tmp",
         "out.csv~"])


def test_special_files_named_as_the_target_are_refused_and_left_alone(
        tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "link.csv").symlink_to(victim)
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    (tmp_path / "folder.csv").mkdir()
    before = listing(tmp_path)
    cases = {"pipe.csv": "is a named pipe (FIFO)", "link.csv": "is a link",
             "dangling.csv": "is a link", "folder.csv": "is a folder"}
    for name, words in cases.items():
        target = tmp_path / name
        with pytest.raises(ExportTargetError) as caught:
            write_bytes_atomically(target, b"name\r\nAcme\r\n")
        message = str(caught.value)
        assert message.startswith(str(target)) and words in message, message
        assert "was not written" in message and "\n" not in message
    for device, words in (("/dev/null", "is a device"), ("/dev/stdout", "is a link")):
        with pytest.raises(ExportTargetError, match=words):
            write_bytes_atomically(device, b"x")
    assert listing(tmp_path) == before
    assert not (tmp_path / "nowhere.csv").exists()


def test_names_that_can_only_be_folders_are_refused_in_one_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    for name, words in (("", "An empty file name"), (".", ". is a folder"),
                        ("..", ".. is a folder"), ("/", "/ is a folder"),
                        ("reports/", "reports/ is a folder"),
                        ("reports", "reports is a folder"),
                        ("new folder/", "new folder/ is a folder"),
                        ("missing/out.csv", "the folder missing does not exist")):
        with pytest.raises(ExportTargetError) as caught:
            write_bytes_atomically(name, b"x")
        assert words in str(caught.value), str(caught.value)
        assert "\n" not in str(caught.value)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ExportTargetError, match="notes.txt is not a folder"):
        write_bytes_atomically("notes.txt/out.csv", b"x")
    assert sorted(os.listdir(tmp_path)) == ["notes.txt", "reports"]


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual(
        tmp_path: Path) -> None:
    private = tmp_path / "private.csv"
    private.write_bytes(b"old")
    private.chmod(0o600)
    write_bytes_atomically(private, b"new")
    assert private.read_bytes() == b"new"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600

    shared = tmp_path / "shared.csv"
    shared.write_bytes(b"old")
    shared.chmod(0o664)
    write_bytes_atomically(shared, b"new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664

    fresh = tmp_path / "fresh.csv"
    write_bytes_atomically(fresh, b"new")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # 0666 less the umask 022
    assert sorted(os.listdir(tmp_path)) == ["fresh.csv", "private.csv", "shared.csv"]


def test_a_read_only_target_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "signed-off.csv"
    target.write_bytes(b"approved figures")
    if AS_ROOT:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        made = subprocess.run(["chattr", "+i", str(target)], capture_output=True)
        if made.returncode:
            pytest.skip("the immutable attribute is not available here")
    else:
        target.chmod(0o444)
    try:
        with pytest.raises(ExportTargetError, match="signed-off.csv is read-only"):
            write_bytes_atomically(target, b"new")
    finally:
        if AS_ROOT:
            subprocess.run(["chattr", "-i", str(target)], check=True)
    assert target.read_bytes() == b"approved figures"
    assert os.listdir(tmp_path) == ["signed-off.csv"]


_WRITE_UNDER_A_SIZE_LIMIT = """
import resource, signal, sys
from studio_desk.core.safe_files import write_bytes_atomically
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
try:
    write_bytes_atomically(sys.argv[1], b"x" * 1_000_000)
except OSError as exc:
    print(exc.errno, exc.filename)
"""


def test_a_write_the_disk_cannot_take_leaves_the_old_file_and_no_scrap(
        tmp_path: Path) -> None:
    """A real process whose files may not grow past 100 kB (as a full disk): the write
    fails naming the target, which keeps its old bytes, and the scrap is removed."""
    target = tmp_path / "clients.csv"
    target.write_bytes(b"the export of yesterday")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", _WRITE_UNDER_A_SIZE_LIMIT, str(target)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    errno_, filename = done.stdout.split(maxsplit=1)
    assert int(errno_) in (27, 28) and filename.strip() == str(target)  # EFBIG / ENOSPC
    assert target.read_bytes() == b"the export of yesterday"
    assert os.listdir(tmp_path) == ["clients.csv"]


def test_checking_a_target_creates_and_changes_nothing(tmp_path: Path) -> None:
    assert check_export_target(tmp_path / "new.csv") is None
    (tmp_path / "old.csv").write_bytes(b"x")
    status = check_export_target(tmp_path / "old.csv")
    assert status is not None and stat.S_ISREG(status.st_mode)
    assert os.listdir(tmp_path) == ["old.csv"]


# --- the command line ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("export", "clients", "."), ("export", "clients", ""), ("export", "clients", "/"),
    ("export", "clients", "exports/"), ("export", "people", "nowhere/people.xlsx"),
    ("capacity", "--csv", "."), ("capacity", "--csv", ""),
    ("plan", "export", "Split", "."), ("plan", "calendar", "Split", "."),
    ("plan", "compare", "Split", "Split", "--csv", "."),
    ("plan", "print", "Split", "--out", "."),
], ids=lambda args: " ".join(repr(a) if not a or a == "." else a for a in args))
def test_a_target_that_is_a_folder_is_one_line_not_a_traceback(
        folder: Path, args: tuple[str, ...]) -> None:
    (folder / "exports").mkdir()
    before = listing(folder)
    line = one_line_error(studio_desk(*args, "--db", "w.studiodesk", cwd=folder))
    assert line.startswith("studio-desk: error: ")
    assert "was not written" in line
    assert listing(folder) == before


def test_exports_refuse_a_pipe_a_link_and_a_device(folder: Path) -> None:
    victim = folder / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.mkfifo(folder / "pipe.csv")
    (folder / "link.csv").symlink_to("victim.txt")
    (folder / "link.xlsx").symlink_to("victim.txt")
    before = listing(folder)
    for target, words in (("pipe.csv", "named pipe"), ("link.csv", "is a link"),
                          ("link.xlsx", "is a link"), ("/dev/stdout", "is a link"),
                          ("/dev/null", "is a device")):
        for args in (("export", "clients", target), ("capacity", "--csv", target),
                     ("plan", "export", "Split", target)):
            line = one_line_error(studio_desk(*args, "--db", "w.studiodesk", cwd=folder))
            assert f"{target} " in line and words in line, line
    assert listing(folder) == before
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_good_target_still_gets_its_export(folder: Path) -> None:
    said = ok(studio_desk("export", "clients", "clients.csv", "--db", "w.studiodesk",
                          cwd=folder))
    assert said == "clients.csv: 4 clients exported."
    assert len(rows_of(folder / "clients.csv")) == 4


@needs_safe_csv_writer
@pytest.mark.parametrize("name", ["out.csv", "out.xlsx"])
def test_a_planted_partial_link_does_not_redirect_an_export(folder: Path,
                                                            name: str) -> None:
    """``ln -s victim.txt out.csv.partial; studio-desk export clients out.csv``."""
    victim = folder / "victim.txt"
    victim.write_text("a colleague's notes", encoding="utf-8")
    (folder / f"{name}.partial").symlink_to("victim.txt")
    ok(studio_desk("export", "clients", name, "--db", "w.studiodesk", cwd=folder))
    assert victim.read_text(encoding="utf-8") == "a colleague's notes"
    assert (folder / name).is_file() and not (folder / name).is_symlink()
    assert os.readlink(folder / f"{name}.partial") == "victim.txt"
    assert sorted(os.listdir(folder)) == sorted(
        ["w.studiodesk", "victim.txt", name, f"{name}.partial"])


@needs_safe_csv_writer
def test_an_export_over_a_private_file_keeps_it_private(folder: Path) -> None:
    for args, target in ((("export", "clients", "clients.csv"), "clients.csv"),
                         (("capacity", "--csv", "load.csv"), "load.csv"),
                         (("plan", "export", "Split", "plan.csv"), "plan.csv")):
        (folder / target).write_bytes(b"last week's")
        (folder / target).chmod(0o600)
        ok(studio_desk(*args, "--db", "w.studiodesk", cwd=folder))
        assert (folder / target).read_bytes() != b"last week's"
        assert stat.S_IMODE((folder / target).stat().st_mode) == 0o600
