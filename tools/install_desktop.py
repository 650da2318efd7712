"""Install Studio Desk's desktop entry, file type, icons and metainfo for the current user.

    python3 tools/install_desktop.py [--exec COMMAND] [--uninstall]

Copies from resources/ into the user's data folder ($XDG_DATA_HOME, else
~/.local/share):

* ``applications/studio-desk.desktop``: Studio Desk in the applications menu, and the
  program that opens ``*.studiodesk`` files from the file manager;
* ``mime/packages/studio-desk.xml``: the ``application/x-studiodesk`` file type;
* ``icons/hicolor/<size>/apps/studio-desk.png`` and ``.../scalable/apps/studio-desk.svg``;
* ``metainfo/studio-desk.metainfo.xml`` for software centres;

then refreshes the MIME database, the desktop-entry cache and the icon cache with
``update-mime-database``, ``update-desktop-database`` and ``gtk-update-icon-cache``,
each when it is installed. ``--uninstall`` removes the same files and refreshes again.

The menu entry runs ``COMMAND`` (default: the ``studio-desk`` found on PATH, by its full
path, so the entry works whatever PATH the desktop session has; else plain
``studio-desk``): give the frozen app's path, e.g. ``--exec ~/.local/opt/studio-desk/studio-desk``.

Only the standard library: it runs with any Python 3.9 or later (the system's python3
will do), in or out of a virtual environment.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

Say = Callable[[str], None]

APP_ID = "studio-desk"
MIME_TYPE = "application/x-studiodesk"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def data_home() -> Path:
    """$XDG_DATA_HOME, else ~/.local/share (the XDG Base Directory default)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def planned_files(resources: Path, home: Path) -> list[tuple[Path, Path]]:
    """(source, destination) of every file installed."""
    files = [
        (resources / f"{APP_ID}.desktop", home / "applications" / f"{APP_ID}.desktop"),
        (resources / f"{APP_ID}-mime.xml", home / "mime" / "packages" / f"{APP_ID}.xml"),
        (resources / f"{APP_ID}.metainfo.xml", home / "metainfo" / f"{APP_ID}.metainfo.xml"),
        (resources / f"{APP_ID}.svg",
         home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"),
    ]
    theme = resources / "icons" / "hicolor"
    for png in sorted(theme.glob(f"*/apps/{APP_ID}.png")):
        files.append((png, home / "icons" / "hicolor" / png.relative_to(theme)))
    return files


def quote_exec_argument(argument: str) -> str:
    """``argument`` as the desktop entry specification wants it in an Exec key."""
    if argument and not re.search(r'[\s"\'\\><~|&;$*?#()`=%]', argument):
        return argument
    escaped = re.sub(r'(["`$\\])', r"\\\1", argument)
    # The Exec value is itself a string value, whose backslashes are escaped again.
    return '"' + escaped.replace("\\", "\\\\") + '"'


def default_command() -> str:
    found = shutil.which(APP_ID)
    return str(Path(found).resolve()) if found else APP_ID


def desktop_entry(text: str, command: str) -> str:
    """The entry with its Exec key running ``command`` (its arguments kept)."""
    def replace(match: re.Match[str]) -> str:
        return f"Exec={quote_exec_argument(command)}{match.group(1)}"

    return re.sub(r"^Exec=\S+(.*)$", replace, text, count=1, flags=re.MULTILINE)


def refresh(home: Path, say: Say) -> None:
    """Tell the desktop about the change, with whichever tools this machine has."""
    steps = [
        ("update-mime-database", [str(home / "mime")], home / "mime"),
        ("update-desktop-database", ["-q", str(home / "applications")], home / "applications"),
        ("gtk-update-icon-cache", ["-q", "-t", "-f", str(home / "icons" / "hicolor")],
         home / "icons" / "hicolor"),
    ]
    for tool, arguments, folder in steps:
        if not folder.is_dir():
            continue
        if shutil.which(tool) is None:
            say(f"  ({tool} is not installed: skipped)")
            continue
        result = subprocess.run([tool, *arguments], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            say(f"  {tool} failed: {(result.stderr or result.stdout).strip()}")
        else:
            say(f"  ran {tool}")


def install(home: Path, command: str, say: Say) -> None:
    for source, destination in planned_files(RESOURCES, home):
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".desktop":
            text = desktop_entry(source.read_text(encoding="utf-8"), command)
            destination.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, destination)
        say(f"  {destination}")
    refresh(home, say)


def uninstall(home: Path, say: Say) -> None:
    for _source, destination in planned_files(RESOURCES, home):
        if destination.exists():
            destination.unlink()
            say(f"  removed {destination}")
    refresh(home, say)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="install_desktop.py",
        description="Install (or remove) Studio Desk's menu entry, file type, icons and "
                    "metainfo for the current user.")
    parser.add_argument("--exec", dest="command", metavar="COMMAND",
                        help="the program the menu entry runs (default: studio-desk "
                             "as found on PATH)")
    parser.add_argument("--uninstall", action="store_true", help="remove them instead")
    args = parser.parse_args(argv)
    if not (RESOURCES / f"{APP_ID}.desktop").is_file():
        print(f"install_desktop.py: no {APP_ID}.desktop in {RESOURCES}", file=sys.stderr)
        return 1
    home = data_home()
    if args.uninstall:
        print(f"Removing Studio Desk's desktop files from {home}:")
        uninstall(home, print)
        return 0
    command = default_command()
    if args.command:
        command = os.path.expanduser(args.command)
        if os.sep in command:  # a path: made absolute, and it must be there
            command = os.path.abspath(command)
            if not (os.path.isfile(command) and os.access(command, os.X_OK)):
                print(f"install_desktop.py: {command} is not a program", file=sys.stderr)
                return 1
    print(f"Installing Studio Desk's desktop files into {home} (menu entry runs {command}):")
    install(home, command, print)
    if command == APP_ID:
        print(f"Note: {APP_ID} is not on PATH; the menu entry will work once it is "
              "(or install again with --exec PATH).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
