"""Where Studio Desk keeps its data when no workspace file is named."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from studio_desk import APP_ID, ORGANISATION

WORKSPACE_SUFFIX = ".studiodesk"


def data_dir() -> Path:
    """The user's data folder; ``STUDIO_DESK_DATA_DIR`` overrides it (tests, portable use)."""
    override = os.environ.get("STUDIO_DESK_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_ID, ORGANISATION))


def default_workspace_path() -> Path:
    """The workspace opened when the user names none."""
    return data_dir() / f"Studio{WORKSPACE_SUFFIX}"


def backups_dir() -> Path:
    return data_dir() / "backups"
