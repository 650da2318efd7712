"""The window's settings, declared once and typed, kept with ``QSettings``.

Settings are what the user chose about the window, not workspace data: the window's size
and layout, the recently opened workspaces and the name changes are recorded under.
``STUDIO_DESK_CONFIG_DIR`` keeps them in an INI file in that folder (tests, portable
use); otherwise they live where the platform keeps application settings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from studio_desk import APP_ID, APP_NAME, ORGANISATION

#: How many workspaces File › Open recent remembers.
MAX_RECENT_FILES = 8

_GEOMETRY = "window/geometry"
_STATE = "window/state"
_PAGE = "window/page"
_RECENT = "files/recent"
_DISPLAY_NAME = "user/display_name"


def _backend() -> QSettings:
    folder = os.environ.get("STUDIO_DESK_CONFIG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / f"{APP_ID}.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                     ORGANISATION, APP_NAME)


class Settings:
    """Typed access to the window's settings; every key is named once, in this class."""

    def __init__(self, backend: QSettings | None = None) -> None:
        self._qsettings = backend if backend is not None else _backend()

    @property
    def file_name(self) -> str:
        """Where the settings are stored (a file, or a registry path on Windows)."""
        return self._qsettings.fileName()

    def sync(self) -> None:
        """Write pending changes to storage now."""
        self._qsettings.sync()

    # The window -------------------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._bytes(_GEOMETRY)

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._qsettings.setValue(_GEOMETRY, value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes(_STATE)

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qsettings.setValue(_STATE, value)

    @property
    def page(self) -> str:
        """The page (Clients, Projects, …) shown when the window last closed."""
        return str(self._qsettings.value(_PAGE, "") or "")

    @page.setter
    def page(self, value: str) -> None:
        self._qsettings.setValue(_PAGE, value)

    # Recent workspaces ------------------------------------------------------------------

    @property
    def recent_files(self) -> list[Path]:
        """Recently opened workspaces, most recent first, at most ``MAX_RECENT_FILES``."""
        raw = self._qsettings.value(_RECENT, "")
        try:
            # Stored as JSON text: an INI file cannot tell a one-item list from a string.
            names = json.loads(raw) if raw else []
        except (TypeError, ValueError):
            names = []
        if not isinstance(names, list):
            return []
        return [Path(n) for n in names if isinstance(n, str) and n][:MAX_RECENT_FILES]

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` first in the recent list (once), dropping the oldest past the limit."""
        path = Path(path)
        kept = [p for p in self.recent_files if p != path]
        self._store_recent([path, *kept][:MAX_RECENT_FILES])

    def remove_recent_file(self, path: Path) -> None:
        self._store_recent([p for p in self.recent_files if p != Path(path)])

    def clear_recent_files(self) -> None:
        self._store_recent([])

    def _store_recent(self, paths: list[Path]) -> None:
        self._qsettings.setValue(_RECENT, json.dumps([str(p) for p in paths]))

    # The user ---------------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        """The name changes are recorded under; empty means the login name."""
        return str(self._qsettings.value(_DISPLAY_NAME, "") or "").strip()

    @display_name.setter
    def display_name(self, value: str) -> None:
        self._qsettings.setValue(_DISPLAY_NAME, value.strip())

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qsettings.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        return None
