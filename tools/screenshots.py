"""Photograph every page of the window for the README, on the demo studio.

    python tools/screenshots.py [--out docs/screenshots] [--size 1280x800]

Runs offscreen (no display needed) with settings and data in a temporary folder, so the
user's own window settings and workspaces are neither read nor changed. Each page of the
main window is saved as ``<page>.png`` (clients.png, projects.png, people.png, ...).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots",
                        help="folder for the PNG files (default: docs/screenshots)")
    parser.add_argument("--size", default="1280x800",
                        help="window size, WIDTHxHEIGHT (default: 1280x800)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="studio-desk-screenshots-") as folder:
        scratch = Path(folder)
        os.environ["STUDIO_DESK_CONFIG_DIR"] = str(scratch / "config")
        os.environ["STUDIO_DESK_DATA_DIR"] = str(scratch / "data")
        for path in photograph(scratch / "Demo studio.studiodesk", args.out, width, height):
            print(path)
    return 0


def photograph(workspace: Path, out: Path, width: int, height: int) -> list[Path]:
    """Build the demo studio at ``workspace`` and save a PNG of each page into ``out``."""
    from PySide6.QtWidgets import QApplication

    from studio_desk import APP_NAME, ORGANISATION
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.settings import Settings
    from studio_desk.gui.tasks import SynchronousTaskRunner
    from studio_desk.gui.views import PeopleView
    from studio_desk.store.demo import build_demo

    build_demo(workspace)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)

    window = MainWindow(Settings(), SynchronousTaskRunner(), who="Demo")
    window.resize(width, height)
    window.show()
    if not window.open_path(workspace):
        raise SystemExit(f"could not open the demo workspace {workspace}")
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for page in window.pages:
        window.tabs.setCurrentWidget(page)
        if isinstance(page, PeopleView):
            _select_someone_with_relationships(page)
        app.processEvents()
        target = out / f"{str(getattr(page, 'title', 'page')).lower()}.png"
        if not window.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        saved.append(target)
    window.close()
    return saved


def _select_someone_with_relationships(people: object) -> None:
    """Show a person whose relationships pane is not empty."""
    from studio_desk.gui.views import PeopleView

    assert isinstance(people, PeopleView)
    for row in people.model.rows():
        people.select_id(row.id)
        if people.relationships.model.rowCount() >= 2:
            return


if __name__ == "__main__":
    sys.exit(main())
