"""Settling a save that collided with a colleague's: theirs, mine, or field by field.

When a record changed in the workspace after this window loaded it, the save is refused
(``records.update_record`` raises ``ConflictError``) and :class:`ConflictDialog` shows,
for every field that differs, the value when the user opened it, the colleague's value
(saved now) and the user's. The user keeps theirs, uses theirs with their own changes on
top, or picks field by field; the result is saved as a new change against the
colleague's version, so if a third save slipped in meanwhile the dialog comes back with
the newer values. Cancel saves nothing and leaves the user's form as it was.

A delete of a record a colleague just changed asks first (:class:`ConfirmStaleDelete`).
:class:`ConflictHandler` is what the undo commands call (``Desk.conflicts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core import fields as F
from studio_desk.core.errors import StudioDeskError
from studio_desk.core.rows import Row
from studio_desk.gui.desk import Desk, describe
from studio_desk.store import history

#: Longest value a cell of the dialog shows; the whole value is in its tooltip.
_SHOWN_LIMIT = 40
_TOOLTIP_LIMIT = 1000
_EMPTY = "(empty)"

THEIRS = "theirs"
MINE = "mine"


@dataclass(frozen=True)
class FieldConflict:
    """One field on which the colleague's version and the user's differ."""

    field: F.Field
    loaded: Any  # the value when the user opened the record
    theirs: Any  # the value saved now
    mine: Any  # the user's value (the loaded one if they did not change the field)
    changed_by_me: bool

    @property
    def key(self) -> str:
        return self.field.key


def differing_fields(kind: F.Kind, loaded: Mapping[str, Any] | None,
                     theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> list[FieldConflict]:
    """The fields the user has to look at, in the form's order.

    ``mine`` holds only what the user changed. A field appears when the two versions
    would differ: the user changed it to something else than the colleague has, or only
    the colleague changed it (the user may want their loaded value back).
    """
    found = []
    for f in kind.fields:
        if f.key not in theirs:
            continue
        was = loaded.get(f.key) if loaded is not None else None
        now = theirs[f.key]
        if f.key in mine:
            if mine[f.key] == now:
                continue  # both made the same change
            found.append(FieldConflict(f, was, now, mine[f.key], True))
        elif loaded is not None and f.key in loaded and was != now:
            found.append(FieldConflict(f, was, now, was, False))
    return found


def value_text(field: F.Field, value: Any) -> str:
    """A value as one short line: the first line of a note, cut at a readable length."""
    text = F.format_value(field, value)
    if not text.strip():
        return _EMPTY
    first = text.strip().splitlines()[0]
    if len(first) > _SHOWN_LIMIT or first != text.strip():
        return first[:_SHOWN_LIMIT].rstrip() + "…"
    return first


def _tooltip(field: F.Field, value: Any) -> str:
    text = F.format_value(field, value)
    return text[:_TOOLTIP_LIMIT] + ("…" if len(text) > _TOOLTIP_LIMIT else "")


def _button_text(text: str) -> str:
    """Text for a button: a ``&`` in a value is a letter, not a keyboard mnemonic."""
    return text.replace("&", "&&")


class ConflictDialog(QDialog):
    """Theirs and mine side by side, one row per differing field, a choice per row."""

    def __init__(self, kind: F.Kind, loaded: Mapping[str, Any] | None,
                 theirs: Mapping[str, Any], mine: Mapping[str, Any], *, record: str,
                 who: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.theirs = dict(theirs)
        self.conflicts = differing_fields(kind, loaded, theirs, mine)
        self.choices: dict[str, QButtonGroup] = {}
        self.radios: dict[tuple[str, str], QRadioButton] = {}
        self._resolution: dict[str, Any] | None = None
        someone = who or "Someone"
        title = f"{kind.label} changed by {someone}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("conflict_dialog")

        heading = QLabel(f"{someone} changed the {kind.label.lower()} {record} while you "
                         "were editing it.", self)
        heading.setObjectName("conflict_heading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        advice = QLabel("Nothing is saved until you choose. “Keep theirs” leaves their "
                        "version as it is; “Use mine” saves your changes on top of it "
                        "(fields you did not touch keep their values); or pick a side "
                        "for each field and “Save as chosen”.", self)
        advice.setObjectName("conflict_advice")
        advice.setTextFormat(Qt.TextFormat.PlainText)
        advice.setWordWrap(True)

        grid_holder = QWidget(self)
        grid = QGridLayout(grid_holder)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        headers = ("Field", "When you opened it", f"Saved by {someone}", "Yours")
        for column, text in enumerate(headers):
            label = self._label(text, grid_holder)
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)
            grid.addWidget(label, 0, column)
        line = QFrame(grid_holder)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(line, 1, 0, 1, 4)
        for number, conflict in enumerate(self.conflicts, start=2):
            self._add_row(grid, grid_holder, number, conflict)
        grid.setRowStretch(len(self.conflicts) + 2, 1)

        scroll = QScrollArea(self)
        scroll.setObjectName("conflict_fields")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_holder)
        scroll.setAccessibleName("Fields that differ")

        self.buttons = QDialogButtonBox(self)
        self.keep_theirs_button = self._button("Keep &theirs", "keep_theirs",
                                               "Save nothing: their version stays")
        self.use_mine_button = self._button("Use &mine", "use_mine",
                                            "Save your changes over their version")
        self.as_chosen_button = self._button("&Save as chosen", "save_as_chosen",
                                             "Save the value picked in each row")
        for button in (self.keep_theirs_button, self.use_mine_button, self.as_chosen_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.setToolTip("Save nothing and go back to your changes")
        self.as_chosen_button.setDefault(True)
        self.keep_theirs_button.clicked.connect(lambda: self.settle(THEIRS))
        self.use_mine_button.clicked.connect(lambda: self.settle(MINE))
        self.as_chosen_button.clicked.connect(lambda: self.settle(None))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(advice)
        layout.addSpacing(6)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        # Every row in view without scrolling, up to a point; wide enough for the values.
        grid_hint = grid_holder.sizeHint()
        scroll.setMinimumHeight(min(grid_hint.height() + 4, 420))
        self.resize(min(max(self.minimumWidth(), grid_hint.width() + 60), 1000),
                    self.sizeHint().height())
        self.as_chosen_button.setFocus()

    def _label(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(tip)
        button.setAutoDefault(False)
        return button

    def _add_row(self, grid: QGridLayout, parent: QWidget, row: int,
                 conflict: FieldConflict) -> None:
        f = conflict.field
        name = self._label(f.label, parent)
        was = self._label(value_text(f, conflict.loaded), parent)
        was.setObjectName(f"loaded_{f.key}")
        was.setToolTip(_tooltip(f, conflict.loaded))
        was.setEnabled(False)  # greyed: for reference, not a choice
        group = QButtonGroup(self)
        group.setExclusive(True)
        for column, side, value in ((2, THEIRS, conflict.theirs), (3, MINE, conflict.mine)):
            text = value_text(f, value)
            if side == MINE and not conflict.changed_by_me:
                text += "  (as you opened it)"
            radio = QRadioButton(_button_text(text), parent)
            radio.setObjectName(f"{side}_{f.key}")
            radio.setToolTip(_tooltip(f, value))
            radio.setAccessibleName(f"{f.label}: {'theirs' if side == THEIRS else 'yours'}, "
                                    f"{value_text(f, value)}")
            group.addButton(radio)
            self.radios[(f.key, side)] = radio
            grid.addWidget(radio, row, column)
        # Preselected: the three-way merge (each side's own changes win).
        self.radios[(f.key, MINE if conflict.changed_by_me else THEIRS)].setChecked(True)
        grid.addWidget(name, row, 0)
        grid.addWidget(was, row, 1)
        self.choices[f.key] = group

    def choose(self, key: str, side: str) -> None:
        """Pick ``side`` (``THEIRS`` or ``MINE``) for the field ``key``."""
        self.radios[(key, side)].setChecked(True)

    def chosen(self) -> dict[str, str]:
        """The side picked for each differing field."""
        return {c.key: (MINE if self.radios[(c.key, MINE)].isChecked() else THEIRS)
                for c in self.conflicts}

    def settle(self, side: str | None) -> None:
        """Close with everything from ``side`` (None: as picked row by row)."""
        if side == THEIRS:
            self._resolution = {}
        elif side == MINE:
            self._resolution = {c.key: c.mine for c in self.conflicts if c.changed_by_me}
        else:
            picked = self.chosen()
            self._resolution = {c.key: c.mine for c in self.conflicts
                                if picked[c.key] == MINE}
        self.accept()

    def resolution(self) -> dict[str, Any] | None:
        """The changes to save over their version ({} keeps theirs), None if cancelled."""
        return self._resolution

    @classmethod
    def ask(cls, parent: QWidget | None, kind: F.Kind, loaded: Mapping[str, Any] | None,
            theirs: Mapping[str, Any], mine: Mapping[str, Any], *, record: str,
            who: str | None = None) -> dict[str, Any] | None:
        """What to save over their version (``{}``: keep theirs), or None: cancelled."""
        dialog = cls(kind, loaded, theirs, mine, record=record, who=who, parent=parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.resolution()
            return None
        finally:
            dialog.deleteLater()


class ConfirmStaleDelete:
    """The question asked before deleting a record a colleague changed meanwhile."""

    @classmethod
    def ask(cls, parent: QWidget | None, kind: F.Kind, loaded: Mapping[str, Any],
            theirs: Mapping[str, Any], *, record: str, who: str | None = None) -> bool:
        """Whether to delete their newer version anyway."""
        someone = who or "Someone"
        lines = [f"{c.field.label}: {value_text(c.field, c.loaded)} → "
                 f"{value_text(c.field, c.theirs)}"
                 for c in differing_fields(kind, loaded, theirs, {})]
        text = (f"{someone} changed the {kind.label.lower()} {record} after you opened "
                "it. Delete it anyway?")
        title = f"{kind.label} changed by {someone}"
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("confirm_stale_delete")
        box.setTextFormat(Qt.TextFormat.PlainText)
        if lines:
            box.setInformativeText("Their changes:\n" + "\n".join(lines))
            for label in box.findChildren(QLabel, "qt_msgbox_informativelabel"):
                label.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton("&Delete anyway", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAccessibleName(title)
        try:
            box.exec()
            return box.clickedButton() is delete
        finally:
            box.deleteLater()


class ConflictHandler:
    """Asks the person at ``window`` how to settle a save or delete that collided with a
    colleague's; the undo commands call it (``Desk.conflicts``)."""

    def __init__(self, window: QWidget, desk: Desk) -> None:
        self.window = window
        self.desk = desk

    def _parent(self) -> QWidget:
        # Over the form being saved, if one is open, so it stays in view underneath.
        return QApplication.activeModalWidget() or self.window

    def _who(self, kind: str, row: Row) -> str | None:
        try:
            last = self.desk.read_now(
                lambda s: history.last_change(s, history.entity_of(kind), row.id))
        except StudioDeskError:
            return None  # the question still makes sense without the name
        return last.who if last is not None else None

    def settle_edit(self, kind: str, loaded: Row, theirs: Row,
                    mine: Mapping[str, Any]) -> dict[str, Any] | None:
        """What to save over ``theirs`` ({}: nothing), or None when the user cancelled."""
        return ConflictDialog.ask(self._parent(), F.KINDS[kind], loaded.values(),
                                  theirs.values(), mine, record=describe(kind, theirs),
                                  who=self._who(kind, theirs))

    def confirm_delete(self, kind: str, loaded: Row, theirs: Row) -> bool:
        """Whether to delete ``theirs`` although it changed since ``loaded``."""
        return ConfirmStaleDelete.ask(self._parent(), F.KINDS[kind], loaded.values(),
                                      theirs.values(), record=describe(kind, theirs),
                                      who=self._who(kind, theirs))
