"""Opening something that is not a workspace this version can use (scenarios 1-4).

Each is refused with a named error and one sentence naming the file, and the file is left
exactly as it was: same bytes, same modification time, no journal beside it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from studio_desk.core.errors import (
    DamagedWorkspaceError,
    NewerSchemaError,
    NotAWorkspaceError,
    WorkspaceError,
)
from studio_desk.store import records
from studio_desk.store.engine import SCHEMA_VERSION, create_workspace, open_workspace

PAGE = 4096


@pytest.fixture(scope="module")
def real_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real workspace with enough rows to span many pages (made once, then copied)."""
    path = tmp_path_factory.mktemp("real") / "real.studiodesk"
    with open_workspace(path, create=True, who="Ana") as workspace, workspace.write() as s:
        records.add_record(s, "person", {"name": "Ana Ruiz"})
        for number in range(60):
            records.add_record(s, "client", {"name": f"Client {number}",
                                             "notes": f"Notes {number} " * 40})
            records.add_record(s, "project", {"client": f"Client {number}",
                                              "name": f"Project {number}",
                                              "manager": "Ana Ruiz"})
    return path


def a_workspace(path: Path, real: Path) -> None:
    shutil.copyfile(real, path)


def text_file(path: Path, _real: Path) -> None:
    path.write_text("Clients to call back:\n- Acme (Tuesday)\n- Borealis\n", encoding="utf-8")


def pdf_file(path: Path, _real: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
                     b"endobj\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")


def readme(path: Path, _real: Path) -> None:
    path.write_text("# Studio Desk\n\nKeep the workspace on the shared drive.\n" * 10,
                    encoding="utf-8")


def tiny_file(path: Path, _real: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00")  # the right start, nothing after it


def other_apps_database(path: Path, _real: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, title TEXT)")
        connection.executemany("INSERT INTO moz_bookmarks (title) VALUES (?)",
                               [(f"Bookmark {n}",) for n in range(100)])
    connection.close()


def other_apps_empty_database(path: Path, _real: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 1")  # writes the header: a 1-page database
    connection.close()


def other_apps_database_with_its_own_id(path: Path, _real: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 1196444487")  # 'GPKG', a GeoPackage
    connection.execute("CREATE TABLE gpkg_contents (table_name TEXT)")
    connection.commit()
    connection.close()


def zero_bytes(path: Path, _real: Path) -> None:
    path.write_bytes(b"")


def truncated_workspace(path: Path, real: Path) -> None:
    a_workspace(path, real)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)


def truncated_at_a_page_boundary(path: Path, real: Path) -> None:
    a_workspace(path, real)
    pages = path.stat().st_size // PAGE
    with path.open("r+b") as handle:
        handle.truncate((pages // 2) * PAGE)


def scramble_page(path: Path, page: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(page * PAGE)
        handle.write(bytes((n * 37 + 11) % 256 for n in range(PAGE)))


def workspace_with_a_scrambled_page(path: Path, real: Path) -> None:
    a_workspace(path, real)
    scramble_page(path, path.stat().st_size // PAGE - 3)  # found when read


def workspace_with_a_scrambled_table_root(path: Path, real: Path) -> None:
    a_workspace(path, real)
    scramble_page(path, 2)  # found by the check on opening


def newer_workspace(path: Path, _real: Path) -> None:
    create_workspace(path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()


CASES: list[tuple[str, Callable[[Path, Path], None], type[WorkspaceError], str]] = [
    ("text file", text_file, NotAWorkspaceError, "not a database file"),
    ("PDF", pdf_file, NotAWorkspaceError, "not a database file"),
    ("README", readme, NotAWorkspaceError, "not a database file"),
    ("only a header's start", tiny_file, NotAWorkspaceError, "not a database file"),
    ("another program's database", other_apps_database, NotAWorkspaceError,
     "another program's database"),
    ("another program's empty database", other_apps_empty_database, NotAWorkspaceError,
     "another program's database"),
    ("another program's marked database", other_apps_database_with_its_own_id,
     NotAWorkspaceError, "another program's database"),
    ("zero bytes", zero_bytes, NotAWorkspaceError, "is empty"),
    ("truncated copy", truncated_workspace, DamagedWorkspaceError, "damaged"),
    ("truncated at a page boundary", truncated_at_a_page_boundary, DamagedWorkspaceError,
     "damaged"),
    ("scrambled page", workspace_with_a_scrambled_page, DamagedWorkspaceError, "damaged"),
    ("scrambled table root", workspace_with_a_scrambled_table_root, DamagedWorkspaceError,
     "damaged"),
    ("newer schema", newer_workspace, NewerSchemaError,
     f"newer Studio Desk (schema {SCHEMA_VERSION + 1}); this version reads up to "
     f"{SCHEMA_VERSION}"),
]


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def assert_one_sentence_naming(message: str, path: Path) -> None:
    assert str(path) in message
    words = message.replace(str(path), "the file")
    assert "\n" not in words
    assert words.endswith("."), words
    assert not re.search(r"[.!?]\s+\S", words), f"more than one sentence: {words}"


@pytest.mark.parametrize("create", [False, True], ids=["open", "open or create"])
@pytest.mark.parametrize(("make", "error", "words"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_file_that_is_not_a_usable_workspace_is_refused_and_left_alone(
        tmp_path: Path, real_workspace: Path, make: Callable[[Path, Path], None],
        error: type[WorkspaceError], words: str, create: bool) -> None:
    folder = tmp_path / "shared drive"
    folder.mkdir()
    path = folder / "Studio.studiodesk"
    make(path, real_workspace)
    before = snapshot(path)

    with pytest.raises(error) as caught:
        open_workspace(path, create=create, who="Ana")

    assert words in str(caught.value)
    assert_one_sentence_naming(str(caught.value), path)
    assert snapshot(path) == before, "the file or its folder changed"
    assert not path.with_name(path.name + "-journal").exists()


def test_a_newer_workspace_says_which_versions(tmp_path: Path) -> None:
    path = tmp_path / "newer.studiodesk"
    newer_workspace(path, path)
    with pytest.raises(NewerSchemaError) as caught:
        open_workspace(path)
    assert (caught.value.file_version, caught.value.supported_version) == (
        SCHEMA_VERSION + 1, SCHEMA_VERSION)


def test_an_intact_copy_of_the_same_workspace_opens(tmp_path: Path,
                                                    real_workspace: Path) -> None:
    """The checks refuse damage, not workspaces: the file the damaged copies were cut from
    opens, with its data."""
    copy = tmp_path / "copy.studiodesk"
    a_workspace(copy, real_workspace)
    with open_workspace(copy) as workspace, workspace.read() as s:
        assert records.count_rows(s)["project"] == 60


def test_a_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "Studio.studiodesk"
    folder.mkdir()
    (folder / "notes.txt").write_text("kept", encoding="utf-8")
    before = sorted(os.listdir(tmp_path)), sorted(os.listdir(folder)), \
        folder.stat().st_mtime_ns
    for create in (False, True):
        with pytest.raises(NotAWorkspaceError) as caught:
            open_workspace(folder, create=create)
        assert "is a folder" in str(caught.value)
        assert_one_sentence_naming(str(caught.value), folder)
    assert (sorted(os.listdir(tmp_path)), sorted(os.listdir(folder)),
            folder.stat().st_mtime_ns) == before
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "kept"
