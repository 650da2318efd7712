"""Window settings: typed, kept in an INI file in STUDIO_DESK_CONFIG_DIR during tests."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray

from studio_desk.gui.settings import MAX_RECENT_FILES, Settings


def test_settings_live_in_the_config_folder_when_it_is_set():
    settings = Settings()
    settings.display_name = "Ana"
    settings.sync()
    folder = Path(os.environ["STUDIO_DESK_CONFIG_DIR"])
    assert Path(settings.file_name).parent == folder
    assert Path(settings.file_name).is_file()


def test_values_survive_a_restart():
    first = Settings()
    first.display_name = "  Ana Ruiz "
    first.window_geometry = QByteArray(b"\x01\x02geometry")
    first.page = "Projects"
    first.sync()
    again = Settings()
    assert again.display_name == "Ana Ruiz"
    assert again.window_geometry == QByteArray(b"\x01\x02geometry")
    assert again.page == "Projects"
    assert again.window_state is None


def test_recent_files_newest_first_once_each_at_most_eight(tmp_path):
    settings = Settings()
    assert settings.recent_files == []
    paths = [tmp_path / f"w{i}.studiodesk" for i in range(10)]
    for path in paths:
        settings.add_recent_file(path)
    assert settings.recent_files == paths[::-1][:MAX_RECENT_FILES]
    settings.add_recent_file(paths[5])
    assert settings.recent_files[0] == paths[5]
    assert settings.recent_files.count(paths[5]) == 1
    settings.remove_recent_file(paths[5])
    assert paths[5] not in Settings().recent_files


def test_one_recent_file_reads_back_as_a_list(tmp_path):
    # An INI file cannot tell a one-item list from a string; stored as JSON it can.
    settings = Settings()
    settings.add_recent_file(tmp_path / "only.studiodesk")
    settings.sync()
    assert Settings().recent_files == [tmp_path / "only.studiodesk"]
    settings.clear_recent_files()
    assert Settings().recent_files == []
