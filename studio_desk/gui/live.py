"""The open workspace as something shared: colleagues' changes, who else is in, waiting.

:class:`LiveWorkspace` belongs to the main window and follows the workspace it shows:

* about every second it asks a :class:`~studio_desk.store.changes.ChangeWatcher` whether
  anyone committed; if so it reads who changed what since (the audit log), says so in the
  status bar ("Ana Ruiz updated 3 projects · 10 s ago") and has the affected tables read
  again through the desk (``Desk.stale``). Tables keep their selected record; while a form,
  a dialog or an in-place editor is open the reading waits until it closes, so nothing
  the user is typing changes under them;
* it says this copy is here (``store.presence``: join on open, a heartbeat, leave on
  close) and lists the others ("Also open: Ana Ruiz (studio-mac)"), a copy that stopped
  answering greyed as not responding;
* a save that waits for a colleague's write lock shows "Waiting for the workspace…" and
  lets the window paint meanwhile (``Workspace.on_wait``);
* a workspace that cannot be written gets a banner and its edit actions say why;
* the kind of drive the file is on is shown (a network drive is worth knowing about).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QSize,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QWidget,
)

from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.desk import SHOWN_IN, Desk
from studio_desk.gui.style import warning_colour
from studio_desk.store import health, presence
from studio_desk.store.changes import (
    ChangeSummary,
    ChangeWatcher,
    changes_since,
    describe,
    latest_audit_id,
)

log = logging.getLogger(__name__)

#: How often the workspace is asked whether anyone committed.
POLL_MS = 1000
#: How often the "10 s ago" of the last change is brought up to date.
CLOCK_MS = 5000
#: Presence rows with no heartbeat for this long are removed (a crashed copy's row).
CLEAR_STALE_SECONDS = 600
#: Heartbeats between two clear-outs of stale presence rows.
_HEARTBEATS_PER_CLEARING = 30
#: How long "Waiting for the workspace…" stays once the waiting stopped being reported.
_WAIT_SHOWN_MS = 700
#: How many colleagues the status bar names before summing up the rest.
_NAMED_COLLEAGUES = 3

WAITING_TEXT = "Waiting for the workspace… (someone else is saving)"


def ago(seconds: float) -> str:
    """How long ago, in the status bar's words: "just now", "10 s ago", "3 min ago"."""
    if seconds < 5:
        return "just now"
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    hours = int(seconds // 3600)
    return f"{hours} h ago"


def colleague_text(person: presence.Presence) -> str:
    """A colleague as the status bar names them: "Ana Ruiz (studio-mac)"."""
    return f"{person.name} ({person.machine})" if person.machine else person.name


def presence_texts(others: Iterable[presence.Presence]) -> tuple[str, str, str]:
    """The status bar's lines for the others who have the workspace open: who is there,
    who has stopped answering, and the full list for a tooltip."""
    live = [p for p in others if not p.stale]
    stale = [p for p in others if p.stale]
    if live:
        named = [colleague_text(p) for p in live[:_NAMED_COLLEAGUES]]
        rest = len(live) - len(named)
        if rest:
            named.append(f"{rest} other{'s' if rest > 1 else ''}")
        there = "Also open: " + ", ".join(named)
    else:
        there = "Nobody else has it open"
    not_responding = ""
    if stale:
        not_responding = ", ".join(colleague_text(p) for p in stale) + " (not responding)"
    lines = [f"{colleague_text(p)}, since {p.since.astimezone():%H:%M}" for p in live]
    lines += [f"{colleague_text(p)}: not responding since "
              f"{p.last_seen.astimezone():%H:%M}" for p in stale]
    tooltip = "\n".join(lines) if lines else "Only you have this workspace open."
    return there, not_responding, tooltip


class StatusLabel(QLabel):
    """A status-bar label that shortens its text with "…" when space runs out, instead of
    making the window wider (colleagues' names and changes can be long)."""

    #: Narrowest the label gets before its text is cut with "…".
    MINIMUM_WIDTH = 60

    def minimumSizeHint(self) -> QSize:
        """Narrow: the status bar shares its width, the text is cut to fit."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.MINIMUM_WIDTH), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the text, cut with "…" at the right if it does not fit."""
        text = self.text()
        if self.fontMetrics().horizontalAdvance(text) <= self.contentsRect().width():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        elided = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                               rect.width())
        group = (QPalette.ColorGroup.Active if self.isEnabled()
                 else QPalette.ColorGroup.Disabled)
        painter.setPen(self.palette().color(group, self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), elided)


def _status_label(window: QWidget, name: str, accessible: str) -> QLabel:
    label = StatusLabel(window)
    label.setObjectName(name)
    label.setContentsMargins(10, 0, 0, 0)  # air between neighbours in the status bar
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(accessible)
    return label


class ReadOnlyBanner(QFrame):
    """Across the top of the window while the workspace cannot be changed, saying why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("read_only_banner")
        self.setAccessibleName("Read-only workspace")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        tint = warning_colour(palette)
        tint.setAlpha(40)
        background = palette.color(QPalette.ColorRole.Window)
        mixed = background.toRgb()
        # A light wash of the warning colour over the window's own background.
        mixed.setRgb(*(round(a + (b - a) * 0.15) for a, b in zip(
            background.getRgb()[:3], tint.getRgb()[:3], strict=True)))
        palette.setColor(QPalette.ColorRole.Window, mixed)
        self.setPalette(palette)
        self.label = QLabel(self)
        self.label.setObjectName("read_only_reason")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self.setVisible(False)

    def show_reason(self, reason: str | None) -> None:
        """Show the banner with ``reason``, or hide it (None)."""
        if reason:
            self.label.setText(f"Read-only: {reason}")
            self.setAccessibleDescription(reason)
        self.setVisible(bool(reason))


@dataclass(frozen=True)
class _Seen:
    """What one look at the workspace found (read off the GUI thread)."""

    changes: ChangeSummary  # everyone's changes since the last look
    others: list[presence.Presence]


class LiveWorkspace(QObject):
    """Keeps one window in step with the colleagues sharing its workspace (see the module
    docstring). Made once per window; :meth:`attach` follows each workspace opened."""

    #: The sentence about colleagues' latest changes changed (for tests and the log).
    changes_shown = Signal(str)
    #: The list of others who have the workspace open was read again.
    presence_changed = Signal(list)
    #: Seconds waited for a colleague's write lock (from whichever thread is waiting).
    _waited = Signal(float)

    def __init__(self, window: QMainWindow, banner: ReadOnlyBanner, *,
                 poll_ms: int = POLL_MS,
                 heartbeat_ms: int = presence.HEARTBEAT_SECONDS * 1000) -> None:
        super().__init__(window)
        self.window = window
        self.banner = banner
        self.desk: Desk | None = None
        self.watcher: ChangeWatcher | None = None
        self.token = presence.NOBODY
        self.others: list[presence.Presence] = []
        self._last_audit_id = 0
        self._pending: set[str] = set()
        self._wrote = False
        self._looking = False
        self._waiting = False
        self._last_change: tuple[str, float] | None = None
        self._heartbeats = 0
        self._tips: dict[str, str] = {}

        self.change_label = _status_label(window, "colleague_changes", "Colleagues' changes")
        self.wait_label = _status_label(window, "waiting", "Waiting for the workspace")
        self.presence_label = _status_label(window, "presence", "Who else has it open")
        self.stale_label = _status_label(window, "presence_stale",
                                         "Copies that stopped answering")
        self.stale_label.setEnabled(False)  # greyed: perhaps nobody is there any more
        self.drive_label = _status_label(window, "drive", "Kind of drive")
        bar = window.statusBar()
        bar.addWidget(self.change_label)
        bar.addPermanentWidget(self.wait_label)
        bar.addPermanentWidget(self.presence_label)
        bar.addPermanentWidget(self.stale_label)
        bar.addPermanentWidget(self.drive_label)

        self.poll_timer = self._timer(poll_ms, self._poll)
        self.heartbeat_timer = self._timer(heartbeat_ms, self._heartbeat)
        self.clock_timer = self._timer(CLOCK_MS, self._show_change_time)
        self._wait_over = QTimer(self)
        self._wait_over.setSingleShot(True)
        self._wait_over.setInterval(_WAIT_SHOWN_MS)
        self._wait_over.timeout.connect(self._stop_waiting)
        self._waited.connect(self._show_waiting)
        tabs = getattr(window, "tabs", None)
        if tabs is not None:
            # After the window names (and enables) the actions for the page shown.
            tabs.currentChanged.connect(lambda _index: self.show_read_only())
        self._clear()

    def _timer(self, interval_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    # Following the window's workspace ---------------------------------------------------

    def attach(self, desk: Desk) -> None:
        """Start following ``desk``'s workspace: join, watch, heartbeat."""
        self.detach()
        self.desk = desk
        workspace = desk.workspace
        workspace.on_wait = self._waited.emit
        try:
            self.watcher = ChangeWatcher(workspace)
            self._last_audit_id = latest_audit_id(workspace)
        except StudioDeskError as exc:
            log.warning("Not watching %s for changes: %s", workspace.path, exc)
            self.watcher = None
        for signal in (desk.row_saved, desk.row_removed):
            signal.connect(self._own_write)
        self._show_drive()
        self.show_read_only()

        def join() -> int:
            # Rows left by crashed copies long ago go first: nobody is there.
            presence.clear_stale(workspace, CLEAR_STALE_SECONDS)
            return presence.join(workspace, workspace.who, presence.this_host())

        def not_joined(exc: StudioDeskError) -> None:
            # Colleagues will not see this copy until a heartbeat gets through; watching
            # their changes works all the same.
            log.warning("Could not join %s: %s", workspace.path, exc)
            self._joined(presence.NOBODY)

        self._run(join, self._joined, not_joined)

    def detach(self) -> None:
        """Stop following the workspace (it is being closed): leave, stop watching."""
        desk, self.desk = self.desk, None
        for timer in (self.poll_timer, self.heartbeat_timer, self.clock_timer):
            timer.stop()
        if desk is not None:
            for signal in (desk.row_saved, desk.row_removed):
                signal.disconnect(self._own_write)
            workspace = desk.workspace
            if self.token != presence.NOBODY:
                try:
                    presence.leave(workspace, self.token)
                except StudioDeskError as exc:
                    # Left behind, the row turns stale and is cleared by the next copy.
                    log.warning("Could not say goodbye to %s: %s", workspace.path, exc)
            workspace.on_wait = lambda _seconds: None
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None
        self.token = presence.NOBODY
        self._clear()

    def _clear(self) -> None:
        self.others = []
        self._pending.clear()
        self._last_change = None
        for label in (self.change_label, self.wait_label, self.presence_label,
                      self.stale_label, self.drive_label):
            label.clear()
            label.setVisible(False)
        self.show_read_only()  # no workspace: no banner

    def _run(self, work: Callable[[], object], done: Callable[[object], None],
             failed: Callable[[StudioDeskError], None] | None = None) -> None:
        """Run ``work`` on the desk's reader (off the GUI thread); ``done`` or ``failed``
        follow on this thread unless the workspace was closed meanwhile. A failure is
        logged unless ``failed`` is given, never shown: the next look tries again."""
        desk = self.desk
        if desk is None:
            return

        def delivered(result: object) -> None:
            if self.desk is desk:
                done(result)

        def did_not_work(exc: StudioDeskError) -> None:
            if self.desk is not desk:
                return
            if failed is not None:
                failed(exc)
            else:
                log.info("Shared-use look at %s: %s", desk.path, exc)

        desk.runner.run(work, delivered, did_not_work)

    # Presence ---------------------------------------------------------------------------

    def _joined(self, token: object) -> None:
        """Joined (``token``): now colleagues can be listed without this copy among them."""
        assert isinstance(token, int)
        self.token = token
        for timer in (self.poll_timer, self.heartbeat_timer, self.clock_timer):
            timer.start()
        self._look()

    def _heartbeat(self) -> None:
        if self.desk is None:
            return
        workspace, token = self.desk.workspace, self.token
        self._heartbeats += 1
        clearing = self._heartbeats % _HEARTBEATS_PER_CLEARING == 0

        def beat() -> list[presence.Presence]:
            presence.heartbeat(workspace, token)
            if clearing:
                presence.clear_stale(workspace, CLEAR_STALE_SECONDS)
            return presence.others(workspace, token)

        self._run(beat, self._show_others)

    def _show_others(self, others: object) -> None:
        assert isinstance(others, list)
        self.others = others
        there, not_responding, tooltip = presence_texts(others)
        self.presence_label.setText(there)
        self.presence_label.setToolTip(tooltip)
        self.presence_label.setVisible(True)
        self.stale_label.setText(not_responding)
        self.stale_label.setToolTip(tooltip)
        self.stale_label.setVisible(bool(not_responding))
        self.presence_changed.emit(others)

    # Colleagues' changes ----------------------------------------------------------------

    def _own_write(self, *_args: object) -> None:
        self._wrote = True

    def _poll(self) -> None:
        """Every second: apply reloads held back by an open form, then ask the watcher."""
        self.show_read_only()
        self._apply_pending()
        if self.watcher is None or self._waiting or self._looking:
            return
        try:
            changed = self.watcher.poll()
        except StudioDeskError as exc:
            log.info("Polling %s: %s", self.watcher.path, exc)
            return
        if changed:
            self._look()

    def check_now(self) -> None:
        """Look at the workspace at once instead of at the next poll."""
        self._poll()

    def _look(self) -> None:
        """Read who changed what since the last look, and who else is in."""
        if self.desk is None or self._looking:
            return
        workspace, token, since = self.desk.workspace, self.token, self._last_audit_id
        self._looking = True

        def look() -> _Seen:
            return _Seen(changes_since(workspace, since), presence.others(workspace, token))

        def seen(result: object) -> None:
            self._looking = False
            assert isinstance(result, _Seen)
            self._seen(result)

        def not_seen(exc: StudioDeskError) -> None:
            self._looking = False
            log.info("Reading colleagues' changes: %s", exc)

        self._run(look, seen, not_seen)

    def _seen(self, seen: _Seen) -> None:
        assert self.desk is not None
        me = self.desk.workspace.who
        changes = seen.changes
        self._last_audit_id = max(self._last_audit_id, changes.last_id)
        theirs = {who: counts for who, counts in changes.by_who.items() if who != me}
        their_kinds = frozenset(entity for counts in theirs.values() for entity in counts)
        kinds = set(their_kinds)
        if me in changes.by_who and not self._wrote:
            # Recorded under this user's name, but not by this window: the same person
            # in another copy (another machine, a second window).
            kinds.update(changes.by_who[me])
        self._wrote = False
        if theirs:
            summary = ChangeSummary(changes.last_id, theirs, their_kinds)
            self._last_change = (describe(summary), time.monotonic())
            self._show_change_time()
            self.changes_shown.emit(self._last_change[0])
        for kind in list(kinds):
            kinds.update(SHOWN_IN.get(kind, ()))
        self._pending |= kinds
        self._apply_pending()
        self._show_others(seen.others)

    def _show_change_time(self) -> None:
        if self._last_change is None:
            return
        text, at = self._last_change
        self.change_label.setText(f"{text} · {ago(time.monotonic() - at)}")
        self.change_label.setToolTip(text)
        self.change_label.setVisible(True)

    def editing(self) -> bool:
        """Whether the user is typing into something a reload could change under them:
        a form or dialog of this window, or a table cell being edited in place."""
        modal = QApplication.activeModalWidget()
        if modal is not None and self._is_ours(modal):
            return True
        return any(view.state() == QAbstractItemView.State.EditingState
                   for view in self.window.findChildren(QAbstractItemView))

    def _is_ours(self, widget: QWidget) -> bool:
        """Whether ``widget`` is opened over this window (a dialog without a parent
        counts: it may be anyone's)."""
        parent = widget.parentWidget()
        if parent is None:
            return True
        while parent is not None:
            if parent is self.window:
                return True
            parent = parent.parentWidget()
        return False

    def _apply_pending(self) -> None:
        """Have the tables of the changed kinds read again, unless the user is editing
        (then at a later poll, once they are done)."""
        if not self._pending or self.desk is None or self.editing():
            return
        kinds, self._pending = frozenset(self._pending), set()
        self.desk.stale.emit(kinds)

    # Waiting for a colleague's save -----------------------------------------------------

    def _show_waiting(self, seconds: float) -> None:
        """Say that a save waits for a colleague, and let the window paint meanwhile."""
        self._waiting = True
        self.wait_label.setText(f"{WAITING_TEXT} {seconds:.0f} s" if seconds >= 1
                                else WAITING_TEXT)
        self.wait_label.setVisible(True)
        self._wait_over.start()
        if QThread.currentThread() is QCoreApplication.instance().thread():
            # The save blocks this thread: paint, but take no keys or clicks meanwhile.
            QApplication.processEvents(
                QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def _stop_waiting(self) -> None:
        self._waiting = False
        self.wait_label.clear()
        self.wait_label.setVisible(False)

    @property
    def waiting(self) -> bool:
        """Whether a save is waiting for a colleague's write lock right now."""
        return self._waiting

    # Read-only and the drive ------------------------------------------------------------

    def show_read_only(self) -> None:
        """The banner and the edit actions follow whether the workspace can be written
        (a write can find out only later that it cannot)."""
        workspace = self.desk.workspace if self.desk is not None else None
        reason = (workspace.read_only_reason or "changes cannot be saved here."
                  if workspace is not None and workspace.read_only else None)
        if reason is None and not self.banner.isVisible():
            return
        self.banner.show_reason(reason)
        actions = getattr(self.window, "actions_", None)
        if actions is None:
            return
        for action in (actions.add, actions.edit, actions.delete):
            tip = self._tips.setdefault(action.objectName(), action.statusTip())
            if reason is not None:
                action.setEnabled(False)
                action.setStatusTip(f"Read-only: {reason}")
            else:
                action.setStatusTip(tip)

    def _show_drive(self) -> None:
        assert self.desk is not None
        kind = health.filesystem_kind(self.desk.path)
        if health.is_network_drive(self.desk.path):
            self.drive_label.setText(f"Network drive ({kind})")
            self.drive_label.setToolTip(
                "The workspace is on a network drive: colleagues can open it at the same "
                "time; saves wait their turn, and a lost connection is reported.")
        else:
            self.drive_label.clear()  # the usual case needs no word
        self.drive_label.setVisible(bool(self.drive_label.text()))
