"""Writing a file the user named (an export, a calendar, a table) whole, and only there.

An export often goes to a shared drive, where anyone who can write in the folder can
plant a name beside the target. So the file is built under a random name created with
``O_CREAT | O_EXCL`` (which never follows a link and never opens a file someone else made),
flushed to the disk and renamed over the target: a crash leaves the old file or the new
one, never half of either, and no link planted under a predictable temporary name can
send the bytes somewhere else.

The target itself must be a regular file or not exist yet. A folder, a link, a named pipe
(FIFO), a device or a socket is refused with one sentence naming it: renaming over any of
them would silently turn it into a regular file (or write through a link into the file it
points to). A regular file that is replaced keeps its permissions (a 0600 export stays
0600) and, where the system allows, its owner; a new file gets the user's usual mode.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from studio_desk.core.errors import StudioDeskError

#: How many random names are tried before giving up (each clash means a file of exactly
#: that random name already exists: in practice never more than once).
_NAME_TRIES = 100
_NEW_FILE_MODE = 0o666  # less the umask, as any program's new file
_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class ExportTargetError(StudioDeskError):
    """The file named to write to is not one Studio Desk will replace (a folder, a link,
    a pipe or device, a read-only file, no name) or its folder cannot take a new file;
    nothing was written."""


def _kind_of_special(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a link (symbolic link)"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(file: str, kind: str, what: str) -> ExportTargetError:
    if kind == "a folder":
        return ExportTargetError(f"{file} is a folder, so {what} was not written; name a "
                                 "file to write instead.")
    if kind.startswith("a link"):
        return ExportTargetError(f"{file} is {kind}, so {what} was not written (nothing "
                                 "it points to was changed); name a regular file instead.")
    return ExportTargetError(f"{file} is {kind}, not a regular file, so {what} was not "
                             "written; name a regular file instead.")


def _split(file: str, what: str) -> tuple[str, str]:
    """The folder (``.`` for none) and the file name of ``file``; refuses names that
    can only be folders (empty, ``.``, ``..``, ending in a separator)."""
    if not file:
        raise ExportTargetError(f"An empty file name was given, so {what} was not "
                                "written; name the file to write.")
    if "\0" in file:
        raise ExportTargetError(f"{file!r} is not a usable file name (it holds a NUL "
                                f"character), so {what} was not written.")
    folder, name = os.path.split(file)
    if name in ("", ".", ".."):
        raise ExportTargetError(f"{file} is a folder, so {what} was not written; name a "
                                "file to write instead.")
    return folder or os.curdir, name


def check_export_target(path: Path | str, *, what: str = "the export") -> os.stat_result | None:
    """Refuse ``path`` (an :class:`ExportTargetError` naming it) unless it is a regular
    file this user may replace, or does not exist yet in a folder that does; returns its
    status, or None when it does not exist. Creates and changes nothing, so a command
    can call it before doing the work whose result it will write."""
    file = os.fspath(path)
    folder, _name = _split(file, what)
    try:
        status = os.lstat(file)
    except FileNotFoundError:
        if not os.path.isdir(folder):
            raise ExportTargetError(f"{file}: the folder {folder} does not exist, so "
                                    f"{what} was not written.") from None
        return None
    except NotADirectoryError:
        raise ExportTargetError(f"{file}: {os.path.dirname(file)} is not a folder, so "
                                f"{what} was not written.") from None
    except OSError as exc:
        raise ExportTargetError(f"{file} cannot be looked at ({exc.strerror or exc}), "
                                f"so {what} was not written.") from None
    kind = _kind_of_special(status.st_mode)
    if kind is not None:
        raise _refusal(file, kind, what)
    if not os.access(file, os.W_OK):
        raise ExportTargetError(f"{file} is read-only, so {what} was not written; make it "
                                "writable or name another file.")
    return status


def _create_beside(folder: str, name: str, mode: int, file: str, what: str
                   ) -> tuple[int, str]:
    """A new, empty file under a random name in ``folder``: (descriptor, path)."""
    for _try in range(_NAME_TRIES):
        scratch = os.path.join(folder, f".{name[:60]}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(scratch, _CREATE_FLAGS, mode), scratch
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise ExportTargetError(f"{file}: the folder {folder} does not exist, so "
                                    f"{what} was not written.") from None
        except NotADirectoryError:
            raise ExportTargetError(f"{file}: {folder} is not a folder, so {what} was not "
                                    "written.") from None
        except PermissionError:
            raise ExportTargetError(f"{file}: you may not create files in the folder "
                                    f"{folder}, so {what} was not written.") from None
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, file) from exc
    raise ExportTargetError(f"{file}: no temporary name was free in {folder}, so {what} "
                            "was not written.")


def _take_over(descriptor: int, status: os.stat_result, mode: int) -> None:
    """Give the new file the owner (where allowed) and permissions of the one it replaces."""
    if hasattr(os, "fchown"):
        made = os.fstat(descriptor)
        if (made.st_uid, made.st_gid) != (status.st_uid, status.st_gid):
            # Only root may give a file to someone else; anyone else keeps their own.
            with contextlib.suppress(OSError):
                os.fchown(descriptor, status.st_uid, status.st_gid)
    if hasattr(os, "fchmod"):
        # After the owner (a change of owner clears some bits), and exactly: the umask
        # narrowed the mode when the file was created.
        os.fchmod(descriptor, mode)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _flush_folder(folder: str) -> None:
    """Make the rename itself survive a power cut (POSIX; Windows has no folder fsync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_bytes_atomically(path: Path | str, data: bytes, *,
                           what: str = "the export") -> None:
    """Put ``data`` at ``path`` whole or not at all, as a regular file.

    Refuses with an :class:`ExportTargetError` (one sentence naming ``path``) a target
    that is a folder, a link, a named pipe, a device or a socket, a read-only file, an
    empty name or a missing folder; ``what`` names what was not written ("the export").
    Any other failure while writing (a full disk) raises ``OSError`` naming ``path``, not
    the temporary file, which is removed. An existing file keeps its permissions.
    """
    file = os.fspath(path)
    folder, name = _split(file, what)
    status = check_export_target(file, what=what)
    mode = status.st_mode & 0o777 if status is not None else _NEW_FILE_MODE
    descriptor, scratch = _create_beside(folder, name, mode, file, what)
    try:
        try:
            if status is not None:
                _take_over(descriptor, status, mode)
            _write_all(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        # Looked at again just before: a link or pipe put there meanwhile is not replaced.
        check_export_target(file, what=what)
        os.replace(scratch, file)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        if isinstance(exc, OSError) and exc.errno is not None:
            # Name the file the user asked for, not the temporary one beside it.
            raise OSError(exc.errno, exc.strerror, file) from exc
        raise
    _flush_folder(folder)


__all__ = ["ExportTargetError", "check_export_target", "write_bytes_atomically"]
