"""The form that adds or edits a record, generated from its kind's fields, and the
question asked before a delete.

Both expose a ``@classmethod ask(...)`` that returns plain values, so tests (and other
callers) can replace the dialog without driving it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core.errors import StudioDeskError, ValidationError
from studio_desk.core.fields import Kind
from studio_desk.gui.editors import (
    editor_problem,
    editor_value,
    make_editor,
    set_editor_value,
)
from studio_desk.gui.messages import show_problem
from studio_desk.gui.style import warning_colour
from studio_desk.store.locations import WORKSPACE_SUFFIX

#: Saves the form's values; raises ValidationError (shown beside the fields) or another
#: StudioDeskError (shown as a message) and the form stays open with what was typed.
Submit = Callable[[dict[str, Any]], object]


class RecordDialog(QDialog):
    """Add or edit one record: a labelled editor per field, problems beside the fields.

    What is typed is checked as it is typed (``core.fields.input_problem``): a value out
    of range, too long or not a number shows its reason beside the field, and Save stays
    disabled until every field holds something that can be saved. Nothing typed is
    clamped or cut. Problems only the workspace can see (a taken name, a missing client)
    come back from ``submit`` and show beside their fields the same way.
    """

    def __init__(self, kind: Kind, values: Mapping[str, Any], *,
                 submit: Submit, title: str,
                 names: Mapping[str, Sequence[str]] | None = None,
                 fixed: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._submit = submit
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("record_dialog")
        names = names or {}
        fixed = set(fixed)

        layout = QVBoxLayout(self)
        self._general_problem = self._problem_label("problem")
        layout.addWidget(self._general_problem)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)

        self.editors: dict[str, QWidget] = {}
        self.problem_labels: dict[str, QLabel] = {}
        #: Each field's help, the editor's tooltip and description when it has no problem.
        self._help: dict[str, str] = {}
        #: Problems with what is typed now, by field: Save waits until there are none.
        self.input_problems: dict[str, str] = {}
        for f in kind.fields:
            ref_names = names.get(f.ref or "", ()) if f.type == "ref" else ()
            editor = make_editor(f, ref_names, self)
            set_editor_value(editor, values.get(f.key, f.default))
            if isinstance(editor, QPlainTextEdit):
                editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * 5)
            if not isinstance(editor, QCheckBox):
                # One column of equally wide fields reads more calmly than ragged ones.
                editor.setSizePolicy(QSizePolicy.Policy.Expanding,
                                     editor.sizePolicy().verticalPolicy())
            if f.key in fixed:
                editor.setEnabled(False)
            label = QLabel(f.label + (" *" if f.required else ""), self)
            label.setBuddy(editor)
            label.setTextFormat(Qt.TextFormat.PlainText)
            problem = self._problem_label(f"problem_{f.key}")
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor)
            cell_layout.addWidget(problem)
            form.addRow(label, cell)
            self.editors[f.key] = editor
            self.problem_labels[f.key] = problem
            self._help[f.key] = f.help
            changed = getattr(editor, "field_changed", None)
            if changed is not None:
                changed.connect(lambda key=f.key: self._input_changed(key))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
            self)
        self.buttons.setAccessibleName("Save or cancel")
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        save.setAccessibleName("Save")
        self.save_button = save
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        for key in self.editors:
            self._check_input(key)
        self._show_input_problems(move_focus=False)
        self._first_editor().setFocus()

    def _problem_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, warning_colour(palette))
        label.setPalette(palette)
        label.setVisible(False)
        return label

    def _first_editor(self) -> QWidget:
        for editor in self.editors.values():
            if editor.isEnabled():
                return editor
        return self.buttons

    # Checking what is typed ----------------------------------------------------------------

    def _check_input(self, key: str) -> str | None:
        """Record whether field ``key`` holds something that can be saved."""
        editor = self.editors[key]
        problem = editor_problem(editor) if editor.isEnabled() else None
        if problem is None:
            self.input_problems.pop(key, None)
        else:
            self.input_problems[key] = problem
        self.save_button.setEnabled(not self.input_problems)
        return problem

    def _input_changed(self, key: str) -> None:
        """The user changed a field: show or clear its problem, enable Save or not."""
        problem = self._check_input(key)
        label = self.problem_labels[key]
        if problem is None:
            if label.isVisible():
                self._set_problem(key, None)
            return
        appearing = not label.isVisible()
        self._set_problem(key, problem)
        if appearing:
            self.adjustSize()  # make room for the message

    def _show_input_problems(self, *, move_focus: bool = True) -> None:
        if self.input_problems:
            self.show_problems(self.input_problems, move_focus=move_focus)

    def _set_problem(self, key: str, message: str | None) -> None:
        """Show ``message`` beside field ``key`` (None clears it), and tell assistive
        technology and the editor's tooltip too."""
        label, editor = self.problem_labels[key], self.editors[key]
        label.setText(message or "")
        label.setAccessibleName(message or "")
        label.setVisible(message is not None)
        editor.setToolTip(message or self._help[key])
        editor.setAccessibleDescription(message or self._help[key])

    def values(self) -> dict[str, Any]:
        """What the form holds now, as plain values keyed by field."""
        return {key: editor_value(editor) for key, editor in self.editors.items()}

    def show_problems(self, problems: Mapping[str, str], *,
                      move_focus: bool = True) -> None:
        """Put each message beside its field and move the focus to the first one."""
        self.clear_problems()
        first: QWidget | None = None
        general = []
        for key, message in problems.items():
            if key not in self.problem_labels:
                general.append(message)
                continue
            self._set_problem(key, message)
            if first is None:
                first = self.editors[key]
        if general:
            self._general_problem.setText(" ".join(general))
            self._general_problem.setVisible(True)
        if move_focus and first is not None and first.isEnabled():
            first.setFocus()
        self.adjustSize()  # make room for the messages

    def clear_problems(self) -> None:
        for key in self.problem_labels:
            self._set_problem(key, None)
        self._general_problem.clear()
        self._general_problem.setVisible(False)

    def accept(self) -> None:
        """Save; on a problem keep the dialog open with everything the user typed.

        While a field holds something that cannot be saved, saving is refused and the
        problems show beside their fields (Save is disabled then, but ``accept`` may be
        reached another way)."""
        for key in self.editors:
            self._check_input(key)
        if self.input_problems:
            self.show_problems(self.input_problems)
            return
        self.clear_problems()
        try:
            self._submit(self.values())
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, kind: Kind, values: Mapping[str, Any], *,
            submit: Submit, title: str, names: Mapping[str, Sequence[str]] | None = None,
            fixed: Iterable[str] = ()) -> dict[str, Any] | None:
        """Show the form until it is saved (returns the saved values) or cancelled."""
        dialog = cls(kind, values, submit=submit, title=title, names=names, fixed=fixed,
                     parent=parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.values()
            return None
        finally:
            dialog.deleteLater()


class ConfirmDelete:
    """The question asked before something is deleted."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        """Whether the user confirms; ``text`` says what goes and what goes with it."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("confirm_delete")
        box.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        # Undo brings a deleted record back, so Enter may confirm; Escape cancels.
        box.setDefaultButton(delete)
        box.setAccessibleName(title)
        try:
            box.exec()
            return box.clickedButton() is delete
        finally:
            box.deleteLater()


#: What a workspace file is called in file dialogs.
_WORKSPACE_FILTER = f"Studio Desk workspaces (*{WORKSPACE_SUFFIX});;All files (*)"


class WorkspaceFileDialog:
    """Choosing a workspace file to open, or where to create a new one."""

    @classmethod
    def ask_open(cls, parent: QWidget | None, folder: Path) -> Path | None:
        """The workspace the user picked, or None."""
        name, _filter = QFileDialog.getOpenFileName(parent, "Open workspace", str(folder),
                                                    _WORKSPACE_FILTER)
        return Path(name) if name else None

    @classmethod
    def ask_new(cls, parent: QWidget | None, folder: Path) -> Path | None:
        """Where to create a new workspace (with the workspace suffix), or None."""
        name, _filter = QFileDialog.getSaveFileName(
            parent, "New workspace", str(folder / f"Studio{WORKSPACE_SUFFIX}"),
            _WORKSPACE_FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(WORKSPACE_SUFFIX)


class OpenOrNew:
    """Offered when the workspace asked for cannot be opened at start."""

    OPEN = "open"
    NEW = "new"

    @classmethod
    def ask(cls, parent: QWidget | None, text: str) -> str | None:
        """``OPEN``, ``NEW`` or None (carry on without a workspace)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open the workspace", text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("open_or_new")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Open another workspace, or create a new one?")
        open_ = box.addButton("&Open…", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("&New workspace…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_)
        box.setAccessibleName("Cannot open the workspace")
        try:
            box.exec()
            clicked = box.clickedButton()
            return cls.OPEN if clicked is open_ else cls.NEW if clicked is new else None
        finally:
            box.deleteLater()
