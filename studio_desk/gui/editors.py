"""One editor widget per field type, shared by the record forms and in-place cell editing.

Each editor has ``field_value()`` (a plain Python value, ``None`` for "not set"),
``set_field_value(value)`` and ``field_problem()``: the one sentence saying why what is
typed cannot be saved (out of range, too long, not a number), or ``None``. Editors never
clamp or cut what the user typed: text and numbers are plain line edits checked against
the limits declared in ``core.fields``, and the form or table refuses what does not fit
with that sentence. Editors that can hold a problem emit ``field_changed`` as the text
changes. Optional numbers and dates (budget, start, due) can be empty and then show "—";
Delete or Backspace on the whole date empties it, and typing a digit (or stepping)
starts from today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QStatusBar,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from studio_desk.core.fields import Field, input_problem, parse_value
from studio_desk.gui.tables import Column, RowRole

#: What an empty optional number or date shows.
EMPTY_TEXT = "—"
_INT_LIMIT = 2**31 - 1
#: The date an empty date edit holds internally (never a real project date).
_NO_DATE = QDate(1900, 1, 1)
_CLEARING_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_OPENING_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                 Qt.Key.Key_F4)
_STEP_KEYS = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_PageUp: 10,
              Qt.Key.Key_PageDown: -10}
#: How long a refused cell edit's message stays in the status bar.
_REFUSED_MESSAGE_MS = 15_000


class FieldEditor(Protocol):
    """What forms and cell editing need from an editor."""

    def field_value(self) -> Any: ...

    def set_field_value(self, value: Any) -> None: ...

    def field_problem(self) -> str | None: ...


class TextEditor(QLineEdit):
    """One line of text. Nothing is cut: a name longer than its field is refused by
    :meth:`field_problem` with its length, not shortened by a maximum length."""

    field_changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        # QLineEdit cuts pasted text at 32,767 characters unless told otherwise.
        self.setMaxLength(_INT_LIMIT)
        self.textChanged.connect(self.field_changed)

    def field_value(self) -> str | None:
        return self.text().strip() or None

    def set_field_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))

    def field_problem(self) -> str | None:
        return input_problem(self._field, self.text())


class NotesEditor(QPlainTextEdit):
    field_changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        # Tab moves on to the next field, so the form works with the keyboard alone.
        self.setTabChangesFocus(True)
        self.textChanged.connect(self.field_changed)

    def field_value(self) -> str | None:
        text = self.toPlainText()
        return text if text.strip() else None

    def set_field_value(self, value: Any) -> None:
        self.setPlainText("" if value is None else str(value))

    def field_problem(self) -> str | None:
        return input_problem(self._field, self.toPlainText())


class NumberEditor(QLineEdit):
    """A number typed as text ("37.5", "2,5", "12,500"), read as ``core.fields`` reads a
    CSV cell. What is typed is never changed: a number out of the field's range, or
    text that is not a number, stays as typed and :meth:`field_problem` says why it
    cannot be saved. An optional number (budget) may be left empty and shows "—".
    Up and Down (Page Up and Page Down: ten at a time) step within the limits.
    """

    field_changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self._optional = not field.required and field.default is None
        self._default = field.default
        #: The text last set and the exact value behind it, given back while the text is
        #: unchanged (so a stored 1234.567 is not re-read from its text).
        self._shown: tuple[str, Any] = ("", None)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaxLength(_INT_LIMIT)
        if self._optional:
            self.setPlaceholderText(EMPTY_TEXT)
        self.textChanged.connect(self.field_changed)

    def is_empty(self) -> bool:
        return not self.text().strip()

    def field_problem(self) -> str | None:
        return input_problem(self._field, self.text(), empty_allowed=self._optional)

    def field_value(self) -> Any:
        """The number typed; text that is no fitting number comes back as it stands, so
        saving it anyway is refused by validation with the same sentence."""
        text = self.text()
        if text == self._shown[0]:
            return self._shown[1]
        if self.field_problem() is not None:
            return text.strip() or None
        return parse_value(self._field, text)

    def set_field_value(self, value: Any) -> None:
        if value is None and not self._optional:
            value = self._default
        text = "" if value is None else _number_text(value)
        self._shown = (text, value)
        self.setText(text)

    def stepBy(self, steps: int) -> None:
        """Add ``steps`` to the number; an empty one starts at the lowest value. A step
        that would leave the field's range is not taken."""
        if self.field_problem() is not None:
            return
        value = self.field_value()
        if value is None:
            start = self._field.minimum if self._field.minimum is not None else 0
            self.set_field_value(int(start) if self._field.type == "int" else float(start))
        else:
            stepped = value + steps
            low, high = self._field.minimum, self._field.maximum
            if (low is not None and stepped < low) or (high is not None and stepped > high):
                return
            self.set_field_value(stepped)
        self.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up and Down step the number, as in a spin box."""
        steps = _STEP_KEYS.get(Qt.Key(event.key()))
        if steps is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.stepBy(steps)
            return
        super().keyPressEvent(event)


class WholeNumberEditor(NumberEditor):
    """A whole number (Max clients, Complexity); see :class:`NumberEditor`."""


class DateEditor(QDateEdit):
    """A date written 2026-03-31, with a calendar; an optional one can be left empty."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._optional = not field.required
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        if self._optional:
            self.setMinimumDate(_NO_DATE)
            self.setSpecialValueText(EMPTY_TEXT)

    def is_empty(self) -> bool:
        return self._optional and self.date() == _NO_DATE

    def field_value(self) -> dt.date | None:
        if self.is_empty():
            return None
        d = self.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_field_value(self, value: Any) -> None:
        if value is None:
            self.setDate(_NO_DATE if self._optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def field_problem(self) -> str | None:
        return None  # the date edit holds only real dates

    def _start_today(self) -> None:
        self.setDate(QDate.currentDate())
        self.setCurrentSection(QDateEdit.Section.YearSection)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete on the whole text empties the date; typing into an empty one starts
        from today, so "2026-03-31" can be typed straight in."""
        if self._optional and _clears(self.lineEdit(), event):
            self.setDate(_NO_DATE)
            self.selectAll()
            return
        if self.is_empty() and (event.text().isdigit() or event.key() in _OPENING_KEYS
                                or (event.key() == Qt.Key.Key_Down
                                    and event.modifiers() & Qt.KeyboardModifier.AltModifier)):
            self._start_today()
            self.selectAll()
            if not event.text().isdigit() and event.key() != Qt.Key.Key_F4:
                return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Opening the calendar on an empty date shows this month, not 1900."""
        if self.is_empty():
            self._start_today()
        super().mousePressEvent(event)


class ChoiceEditor(QComboBox):
    """One of a fixed list (project status, lead type)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not field.required and field.default is None:
            self.addItem(_empty_choice_text(field), None)
        for choice in field.choices:
            self.addItem(choice, choice)
        self._default = field.default

    def field_value(self) -> str | None:
        return self.currentData()

    def set_field_value(self, value: Any) -> None:
        found = self.findData(value if value is not None else self._default)
        self.setCurrentIndex(max(found, 0))

    def field_problem(self) -> str | None:
        return None  # only the listed choices can be picked


class ReferenceEditor(QComboBox):
    """The name of another record (a project's client or manager), typed or picked.

    The list can be long (hundreds of clients), so typing filters it: any part of a name
    matches, ignoring case.
    """

    field_changed = Signal()

    def __init__(self, field: Field, names: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setMaxLength(_INT_LIMIT)  # refused by length, never cut
        self.editTextChanged.connect(self.field_changed)
        self._optional = not field.required
        if self._optional:
            self.addItem("")
        self.addItems(list(names))
        completer = QCompleter(list(names), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line.setAccessibleName(field.label)
        self._names = {n.casefold(): n for n in names}

    def field_value(self) -> str | None:
        text = self.currentText().strip()
        if not text:
            return None
        # Typed in another case: use the name as it is spelled in the workspace.
        return self._names.get(text.casefold(), text)

    def set_field_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        found = self.findText(text)
        if found >= 0:
            self.setCurrentIndex(found)
        else:
            self.setEditText(text)

    def field_problem(self) -> str | None:
        return input_problem(self._field, self.currentText())


class YesNoEditor(QCheckBox):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default = bool(field.default)

    def field_value(self) -> bool:
        return self.isChecked()

    def set_field_value(self, value: Any) -> None:
        self.setChecked(bool(value) if value is not None else self._default)

    def field_problem(self) -> str | None:
        return None


def make_editor(field: Field, names: Sequence[str] = (),
                parent: QWidget | None = None) -> QWidget:
    """The editor for ``field``; ``names`` are the choices of a reference field."""
    editor: QWidget
    if field.type == "int":
        editor = WholeNumberEditor(field, parent)
    elif field.type == "float":
        editor = NumberEditor(field, parent)
    elif field.type == "date":
        editor = DateEditor(field, parent)
    elif field.type == "choice":
        editor = ChoiceEditor(field, parent)
    elif field.type == "ref":
        editor = ReferenceEditor(field, names, parent)
    elif field.type == "bool":
        editor = YesNoEditor(field, parent)
    elif field.multiline:
        editor = NotesEditor(field, parent)
    else:
        editor = TextEditor(field, parent)
    editor.setAccessibleName(field.label)
    if field.help:
        editor.setToolTip(field.help)
        editor.setAccessibleDescription(field.help)
    editor.setObjectName(f"field_{field.key}")
    return editor


def editor_value(editor: QObject) -> Any:
    """The plain value an editor made by :func:`make_editor` holds."""
    return editor.field_value()  # type: ignore[attr-defined]


def set_editor_value(editor: QObject, value: Any) -> None:
    editor.set_field_value(value)  # type: ignore[attr-defined]


def editor_problem(editor: QObject) -> str | None:
    """Why what ``editor`` holds cannot be saved, in one sentence; None when it can."""
    return editor.field_problem()  # type: ignore[attr-defined, no-any-return]


def _number_text(value: Any) -> str:
    """A stored number as its editor shows it: 40 rather than 40.0, every digit kept."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _empty_choice_text(field: Field) -> str:
    if field.key == "lead_type":
        return "derived from the scores"
    return EMPTY_TEXT


def _clears(line_edit: QLineEdit, event: QKeyEvent) -> bool:
    """Delete or Backspace with the whole text selected (as after tabbing in)."""
    if event.type() != QEvent.Type.KeyPress or event.key() not in _CLEARING_KEYS:
        return False
    text = line_edit.text()
    return bool(text) and line_edit.selectedText() == text


class FieldDelegate(QStyledItemDelegate):
    """Edits a table cell in place with the same editor the form uses for that field.

    A value that cannot be saved (out of range, too long, not a number) is refused: the
    cell keeps its old value and the reason shows in the window's status bar (or as a
    tooltip over the table when there is no status bar), never a clamped or cut value.
    """

    #: The sentence shown when a cell edit is refused.
    refused = Signal(str)

    def __init__(self, columns: Sequence[Column], names: Callable[[str], Sequence[str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._names = names
        #: The problem last put in the status bar while typing, cleared once fixed.
        self._live_message = ""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        """The field's editor, filling the cell."""
        field = self._columns[index.column()].field
        names = self._names(field.ref) if field.type == "ref" and field.ref else ()
        editor = make_editor(field, names, parent)
        editor.setAutoFillBackground(True)
        changed = getattr(editor, "field_changed", None)
        if changed is not None:
            changed.connect(lambda: self._show_live_problem(editor, field))
        return editor

    def destroyEditor(self, editor: QWidget,
                      index: QModelIndex | QPersistentModelIndex) -> None:
        """A closed editor (Escape, or a value saved) takes its typing problem with it."""
        bar = _status_bar(editor)
        if bar is not None:
            self._clear_live_message(bar)
        super().destroyEditor(editor, index)

    def _show_live_problem(self, editor: QWidget, field: Field) -> None:
        """While typing: the problem as the editor's tooltip and in the status bar."""
        problem = editor_problem(editor)
        editor.setToolTip(problem or field.help)
        editor.setAccessibleDescription(problem or field.help)
        bar = _status_bar(editor)
        if bar is None:
            return
        if problem:
            bar.showMessage(problem)
            self._live_message = problem
        else:
            self._clear_live_message(bar)

    def _clear_live_message(self, bar: QStatusBar) -> None:
        if self._live_message and bar.currentMessage() == self._live_message:
            bar.clearMessage()
        self._live_message = ""

    def _refuse(self, editor: QWidget, problem: str) -> None:
        message = f"{problem} The cell keeps its value."
        bar = _status_bar(editor)
        if bar is not None:
            bar.showMessage(message, _REFUSED_MESSAGE_MS)
        else:
            view = editor.parentWidget() or editor
            QToolTip.showText(view.mapToGlobal(editor.geometry().bottomLeft()), message,
                              view)
        self._live_message = ""
        self.refused.emit(message)

    def setEditorData(self, editor: QWidget,
                      index: QModelIndex | QPersistentModelIndex) -> None:
        """Start from the stored value (a project's lead type override, not the derived one)."""
        row = index.data(RowRole)
        if row is not None:
            set_editor_value(editor, self._columns[index.column()].stored(row))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        """Hand the plain value to the table model (through the filter to the source, so a
        date stays a ``datetime.date``). A value that cannot be saved is refused with its
        reason and the cell keeps its value."""
        problem = editor_problem(editor)
        if problem is not None:
            self._refuse(editor, problem)
            return
        value = editor_value(editor)
        while isinstance(model, QAbstractProxyModel):
            index = model.mapToSource(index)
            model = model.sourceModel()
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        """The editor covers the cell, and is at least as tall as it needs to be."""
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)


def _status_bar(widget: QWidget) -> QStatusBar | None:
    """The status bar of the main window ``widget`` is in, or None."""
    window = widget.window()
    return window.statusBar() if isinstance(window, QMainWindow) else None
