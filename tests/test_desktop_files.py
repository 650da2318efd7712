"""Studio Desk on a Linux desktop: icons, menu entry, file type, metainfo, and installing
them for the user (tools/install_desktop.py, tools/make_icons.py)."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from studio_desk import APP_ID, __version__
from studio_desk.store.locations import WORKSPACE_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
PACKAGE_ICONS = ROOT / "studio_desk" / "resources" / "icons"
MIME_TYPE = "application/x-studiodesk"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep case
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def run_tool(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


# --- icons -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", PNG_SIZES)
def test_every_icon_size_is_there_for_the_desktop_and_the_window(size: int) -> None:
    theme = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    window = PACKAGE_ICONS / f"{APP_ID}-{size}.png"
    assert png_size(theme.read_bytes()) == (size, size)
    assert window.read_bytes() == theme.read_bytes()


def test_the_windows_icon_holds_the_sizes_windows_asks_for() -> None:
    data = (RESOURCES / "icons" / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _c, _r, _p, _b, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        image = data[offset:offset + length]
        assert png_size(image) == ((width or 256), (height or 256))
        sizes.append(width or 256)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_holds_every_retina_size() -> None:
    data = (RESOURCES / "icons" / f"{APP_ID}.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found: dict[bytes, int] = {}
    at = 8
    while at < len(data):
        kind, length = data[at:at + 4], struct.unpack(">I", data[at + 4:at + 8])[0]
        found[kind] = png_size(data[at + 8:at + length])[0]
        at += length
    assert found == {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256,
                     b"ic09": 512, b"ic10": 1024, b"ic11": 32, b"ic12": 64, b"ic13": 256,
                     b"ic14": 512}


def test_make_icons_makes_every_icon_file_from_the_drawing(tmp_path: Path) -> None:
    (tmp_path / "resources").mkdir()
    shutil.copy(RESOURCES / f"{APP_ID}.svg", tmp_path / "resources")
    script = (
        "import sys; sys.path.insert(0, 'tools'); import make_icons; "
        f"made = make_icons.make_icons(__import__('pathlib').Path({str(tmp_path)!r})); "
        "print(len(made))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = run_tool("-c", script, env=env)
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.*")
                  if p.suffix != ".svg")
    committed = sorted(
        [p.relative_to(ROOT) for p in (RESOURCES / "icons").rglob("*.*")]
        + [p.relative_to(ROOT) for p in PACKAGE_ICONS.glob("*.png")])
    assert made == committed
    assert png_size((tmp_path / "resources/icons/hicolor/48x48/apps/studio-desk.png")
                    .read_bytes()) == (48, 48)


# --- the menu entry, the file type, the metainfo -----------------------------------------

def test_the_menu_entry_opens_workspace_files_with_studio_desk() -> None:
    entry = desktop_entry(RESOURCES / f"{APP_ID}.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Studio Desk"
    assert entry["Exec"] == f"{APP_ID} --db=%f"
    assert entry["Icon"] == APP_ID
    assert entry["StartupWMClass"] == APP_ID  # app.setDesktopFileName(APP_ID)
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert {"Office", "ProjectManagement"} <= set(entry["Categories"].split(";"))


def test_the_menu_entry_follows_the_specification() -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (desktop-file-utils)")
    result = subprocess.run([validate, str(RESOURCES / f"{APP_ID}.desktop")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.parametrize(("arguments", "opened"), [
    (["--db="], None),  # from the menu: %f is empty, the user's own workspace
    (["--db=/home/ana/Shared/Our studio.studiodesk"],
     Path("/home/ana/Shared/Our studio.studiodesk")),  # a file opened from the file manager
])
def test_the_menu_entrys_command_line_opens_the_right_workspace(
        monkeypatch: pytest.MonkeyPatch, arguments: list[str], opened: Path | None) -> None:
    from studio_desk import app, cli

    calls: list[Path | None] = []
    monkeypatch.setattr(app, "run_window", lambda db=None, **_kw: calls.append(db) or 0)
    assert cli.main(arguments) == 0
    assert calls == [opened]


def test_the_file_type_is_told_by_the_workspace_suffix() -> None:
    root = ET.parse(RESOURCES / f"{APP_ID}-mime.xml").getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == [
        f"*{WORKSPACE_SUFFIX}"]
    # Every SQLite file starts alike: no magic of its own, a kind of SQLite database.
    assert mime.findall(f"{MIME_NS}magic") == []
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"


def test_the_metainfo_describes_this_version_and_its_menu_entry() -> None:
    root = ET.parse(RESOURCES / f"{APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == APP_ID
    assert root.findtext("provides/mediatype") == MIME_TYPE
    versions = [r.get("version") for r in root.findall("releases/release")]
    assert versions[0] == __version__, "add the new version to resources/*.metainfo.xml"


def test_the_metainfo_validates_but_for_its_plain_id() -> None:
    appstreamcli = shutil.which("appstreamcli")
    if appstreamcli is None:
        pytest.skip("appstreamcli is not installed (appstream)")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", "--no-color",
         str(RESOURCES / f"{APP_ID}.metainfo.xml")],
        capture_output=True, text=True, check=False)
    problems = [line for line in result.stdout.splitlines()
                if line[:2] in ("E:", "W:")
                # The id is the app's own name, as its desktop file's and its folders'.
                and "cid-desktopapp-is-not-rdns" not in line]
    assert problems == [], result.stdout


# --- installing for the user --------------------------------------------------------------

@pytest.fixture
def fake_app(tmp_path: Path) -> Path:
    """An executable standing in for the built app, in a folder with a space."""
    program = tmp_path / "Studio Desk app" / APP_ID
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    program.chmod(0o755)
    return program


def test_install_desktop_puts_every_file_in_the_users_data_folder_and_removes_them(
        tmp_path: Path, fake_app: Path) -> None:
    home = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(home), "HOME": str(tmp_path / "home")}
    result = run_tool("tools/install_desktop.py", "--exec", str(fake_app), env=env)
    assert result.returncode == 0, result.stderr

    installed = {
        home / "applications" / f"{APP_ID}.desktop",
        home / "mime" / "packages" / f"{APP_ID}.xml",
        home / "metainfo" / f"{APP_ID}.metainfo.xml",
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(home / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png"
          for n in PNG_SIZES),
    }
    assert all(path.is_file() for path in installed)
    entry = desktop_entry(home / "applications" / f"{APP_ID}.desktop")
    # A path with a space is quoted as the desktop entry specification says.
    assert entry["Exec"] == f'"{fake_app}" --db=%f'
    assert (home / "mime" / "packages" / f"{APP_ID}.xml").read_bytes() == \
        (RESOURCES / f"{APP_ID}-mime.xml").read_bytes()

    if shutil.which("update-mime-database"):
        # The MIME database now knows the type by its suffix.
        globs = (home / "mime" / "globs2").read_text(encoding="utf-8").splitlines()
        assert any(line.endswith(f":{MIME_TYPE}:*{WORKSPACE_SUFFIX}") for line in globs)
        assert (home / "mime" / "mime.cache").is_file()
        assert MIME_TYPE in (home / "mime" / "types").read_text(encoding="utf-8")
    else:
        assert "update-mime-database is not installed" in result.stdout

    result = run_tool("tools/install_desktop.py", "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in installed)
    if shutil.which("update-mime-database"):
        assert MIME_TYPE not in (home / "mime" / "globs2").read_text(encoding="utf-8")


def test_install_desktop_refuses_a_program_that_is_not_there(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    result = run_tool("tools/install_desktop.py", "--exec", str(tmp_path / "nothing"),
                      env=env)
    assert result.returncode == 1
    assert "is not a program" in result.stderr
    assert not (tmp_path / "share").exists()
