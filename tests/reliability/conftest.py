"""Real processes for the reliability tests: started quickly, always cleaned up."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterator
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pytest

#: Imported once by the fork server, so each child starts with the store ready.
PRELOAD = ["tests.reliability.workers"]


class Processes:
    """Starts child processes running ``tests.reliability.workers`` functions; every one
    still running when the test ends is killed."""

    def __init__(self) -> None:
        self.context: BaseContext = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(PRELOAD)  # type: ignore[attr-defined]
        self.started: list[BaseProcess] = []
        #: What a child needs of this test's environment (its data folder above all).
        self.env = {key: value for key, value in os.environ.items()
                    if key.startswith(("STUDIO_DESK_", "XDG_"))}

    def start(self, target: Callable[..., Any], *args: Any) -> BaseProcess:
        """Run ``target(*args, env)`` in a new process."""
        process = self.context.Process(target=target, args=(*args, self.env), daemon=True)
        process.start()
        self.started.append(process)
        return process

    def kill_all(self) -> None:
        for process in self.started:
            if process.is_alive():
                process.kill()
            process.join(5)


@pytest.fixture
def processes() -> Iterator[Processes]:
    """Start real processes on the test's workspace; killed at the end if still alive."""
    if os.name != "posix":
        pytest.skip("the fork server and kill -9 are POSIX")
    running = Processes()
    try:
        yield running
    finally:
        running.kill_all()


@pytest.fixture
def memory_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory (tmpfs) where the system has one, else ``tmp_path``.

    For the tests about locking under heavy use: SQLite locks a file there exactly as on
    a disk (POSIX advisory locks), but a commit's flush to disk costs nothing, so
    thousands of commits take seconds instead of minutes on a slow CI disk.
    """
    shared_memory = Path("/dev/shm")
    if not (shared_memory.is_dir() and os.access(shared_memory, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shared_memory, prefix="studio-desk-") as folder:
        yield Path(folder)
