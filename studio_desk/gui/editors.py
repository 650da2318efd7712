"""One editor widget per field type, shared by the record forms and in-place cell editing.

Each editor has ``field_value()`` (a plain Python value, ``None`` for "not set") and
``set_field_value(value)``. Optional numbers and dates (budget, start, due) can be empty:
the spin box or date edit then shows "—"; Delete or Backspace on the whole text empties
it, and typing a digit (or stepping) starts from today or the field's minimum.
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
)
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from studio_desk.core.fields import Field
from studio_desk.gui.tables import Column, RowRole

#: What an empty optional number or date shows.
EMPTY_TEXT = "—"
_INT_LIMIT = 2**31 - 1
#: The date an empty date edit holds internally (never a real project date).
_NO_DATE = QDate(1900, 1, 1)
_CLEARING_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_OPENING_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                 Qt.Key.Key_F4)


class FieldEditor(Protocol):
    """What forms and cell editing need from an editor."""

    def field_value(self) -> Any: ...

    def set_field_value(self, value: Any) -> None: ...


class TextEditor(QLineEdit):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(field.max_length)

    def field_value(self) -> str | None:
        return self.text().strip() or None

    def set_field_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class NotesEditor(QPlainTextEdit):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Tab moves on to the next field, so the form works with the keyboard alone.
        self.setTabChangesFocus(True)

    def field_value(self) -> str | None:
        text = self.toPlainText()
        return text if text.strip() else None

    def set_field_value(self, value: Any) -> None:
        self.setPlainText("" if value is None else str(value))


class WholeNumberEditor(QSpinBox):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(int(field.minimum) if field.minimum is not None else -_INT_LIMIT,
                      int(field.maximum) if field.maximum is not None else _INT_LIMIT)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._default = field.default if field.default is not None else self.minimum()

    def field_value(self) -> int:
        return self.value()

    def set_field_value(self, value: Any) -> None:
        self.setValue(int(value) if value is not None else int(self._default))


class NumberEditor(QDoubleSpinBox):
    """A number with two decimals; an optional one (budget) can be left empty."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._optional = not field.required and field.default is None
        low = field.minimum if field.minimum is not None else -1e12
        high = field.maximum if field.maximum is not None else 1e12
        self._lowest = low
        self.setDecimals(2)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        if self._optional:
            # One step below the real minimum stands for "not set" and shows as "—".
            self.setRange(low - 1, high)
            self.setSpecialValueText(EMPTY_TEXT)
        else:
            self.setRange(low, high)
        self._default = field.default

    def is_empty(self) -> bool:
        return self._optional and self.value() == self.minimum()

    def field_value(self) -> float | None:
        return None if self.is_empty() else self.value()

    def set_field_value(self, value: Any) -> None:
        if value is None:
            self.setValue(self.minimum() if self._optional else float(self._default or 0))
        else:
            self.setValue(float(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete on the whole text empties an optional number; a digit fills an empty one."""
        if self._optional and _clears(self.lineEdit(), event):
            self.setValue(self.minimum())
            self.selectAll()
            return
        if self.is_empty() and (event.text().isdigit() or event.key() in _OPENING_KEYS):
            self.setValue(self._lowest)
            self.selectAll()
            if not event.text().isdigit():
                return
        super().keyPressEvent(event)

    def stepBy(self, steps: int) -> None:
        """Stepping an empty number starts at its lowest value instead of "—"."""
        if self.is_empty() and steps > 0:
            self.setValue(self._lowest)
            return
        super().stepBy(steps)


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


class ReferenceEditor(QComboBox):
    """The name of another record (a project's client or manager), typed or picked.

    The list can be long (hundreds of clients), so typing filters it: any part of a name
    matches, ignoring case.
    """

    def __init__(self, field: Field, names: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._optional = not field.required
        if self._optional:
            self.addItem("")
        self.addItems(list(names))
        completer = QCompleter(list(names), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setAccessibleName(field.label)
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


class YesNoEditor(QCheckBox):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default = bool(field.default)

    def field_value(self) -> bool:
        return self.isChecked()

    def set_field_value(self, value: Any) -> None:
        self.setChecked(bool(value) if value is not None else self._default)


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
    """Edits a table cell in place with the same editor the form uses for that field."""

    def __init__(self, columns: Sequence[Column], names: Callable[[str], Sequence[str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._names = names

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        """The field's editor, filling the cell."""
        field = self._columns[index.column()].field
        names = self._names(field.ref) if field.type == "ref" and field.ref else ()
        editor = make_editor(field, names, parent)
        editor.setAutoFillBackground(True)
        return editor

    def setEditorData(self, editor: QWidget,
                      index: QModelIndex | QPersistentModelIndex) -> None:
        """Start from the stored value (a project's lead type override, not the derived one)."""
        row = index.data(RowRole)
        if row is not None:
            set_editor_value(editor, self._columns[index.column()].stored(row))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        """Hand the plain value to the table model (through the filter to the source, so a
        date stays a ``datetime.date``)."""
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
