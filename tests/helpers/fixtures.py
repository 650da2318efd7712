"""Fixtures: isolated settings and data folders, and small workspaces to work on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_desk.store import records
from studio_desk.store.engine import Workspace, open_workspace


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the real user's data folder and settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("STUDIO_DESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("STUDIO_DESK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    return home


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "studio.studiodesk"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    """A new, empty workspace."""
    ws = open_workspace(workspace_path, create=True, who="Tester")
    yield ws
    ws.close()


@pytest.fixture
def small_studio(workspace: Workspace) -> Workspace:
    """Three people, three clients, four projects, two relationships."""
    with workspace.write() as s:
        for values in (
            {"name": "Ana Ruiz", "title": "Producer", "client_facing": 5, "head_down": 2},
            {"name": "Ben Ode", "title": "Developer", "client_facing": 1, "head_down": 5,
             "weekly_hours": 32},
            {"name": "Cara Li", "title": "Designer", "client_facing": 3, "head_down": 3},
        ):
            records.add_record(s, "person", values)
        for values in (
            {"name": "Acme Foods", "industry": "Food & drink"},
            {"name": "Borealis Bank", "industry": "Finance"},
            {"name": "Cobalt Museum", "industry": "Culture"},
        ):
            records.add_record(s, "client", values)
        for values in (
            {"client": "Acme Foods", "name": "Acme web shop", "code": "ACM-01",
             "status": "active", "technical_complexity": 5, "communication_load": 2,
             "manager": "Ben Ode", "estimated_hours": 120, "start": "2026-01-05",
             "due": "2026-03-29"},
            {"client": "Acme Foods", "name": "Acme spring campaign", "code": "ACM-02",
             "status": "back-burner", "technical_complexity": 2, "communication_load": 5,
             "manager": "Ana Ruiz"},
            {"client": "Borealis Bank", "name": "Borealis annual report", "code": "BOR-01",
             "status": "active", "technical_complexity": 3, "communication_load": 4,
             "manager": "Ana Ruiz", "estimated_hours": 60},
            {"client": "Cobalt Museum", "name": "Cobalt exhibition app", "code": "COB-01",
             "status": "pitch"},
        ):
            records.add_record(s, "project", values)
        records.add_record(s, "relationship", {"person": "Ana Ruiz", "client": "Acme Foods",
                                               "strength": 3, "since": "2023-04-01"})
        records.add_record(s, "relationship", {"person": "Ben Ode",
                                               "client": "Borealis Bank", "strength": 1})
    return workspace
