"""The domain (core/) and the storage (store/) stay free of Qt and of the window.

So the command line, the migrations and a future server can use them without a display,
and the window can be replaced without touching the studio's rules. Checked by reading
each module's imports, including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "studio_desk"
LAYERS = ("core", "store")
FORBIDDEN = ("PySide6", "shiboken6", "studio_desk.gui", "studio_desk.app")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every module ``source`` imports, relative imports resolved against ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append(target)
            # "from studio_desk import gui" imports the module studio_desk.gui
            found += [f"{target}.{alias.name}" for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Name) and node.func.id == "__import__")
                   or (isinstance(node.func, ast.Attribute)
                       and node.func.attr == "import_module"))):
            found.append(node.args[0].value)
    return found


def forbidden_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    return sorted({name for name in imported_modules(source, module, is_package)
                   for banned in FORBIDDEN
                   if name == banned or name.startswith(banned + ".")})


def layer_modules() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (PACKAGE / layer).rglob("*.py"))


def test_the_layers_have_modules_to_check() -> None:
    names = {module_name(p) for p in layer_modules()}
    assert {"studio_desk.core.fields", "studio_desk.store.engine",
            "studio_desk.store.records"} <= names


@pytest.mark.parametrize("path", layer_modules(), ids=module_name)
def test_core_and_store_import_neither_qt_nor_the_window(path: Path) -> None:
    found = forbidden_imports(path.read_text(encoding="utf-8"), module_name(path),
                              path.name == "__init__.py")
    assert found == [], f"{module_name(path)} imports {', '.join(found)}"


@pytest.mark.parametrize(("source", "module"), [
    ("import PySide6.QtCore", "studio_desk.core.x"),
    ("from PySide6 import QtWidgets", "studio_desk.core.x"),
    ("import shiboken6", "studio_desk.store.x"),
    ("def f():\n    from studio_desk.gui.tables import Model", "studio_desk.store.x"),
    ("from studio_desk import gui", "studio_desk.core.x"),
    ("from studio_desk import app", "studio_desk.core.x"),
    ("from ..gui import tables", "studio_desk.store.x"),
    ("from .. import app", "studio_desk.core.x"),
    ("import importlib\nimportlib.import_module('PySide6.QtGui')", "studio_desk.core.x"),
])
def test_the_check_catches_each_way_of_importing(source: str, module: str) -> None:
    assert forbidden_imports(source, module) != []


@pytest.mark.parametrize("source", [
    "import sqlalchemy", "from studio_desk.core import fields", "from . import rules",
    "from studio_desk import APP_NAME", "import studio_desk.application_notes",
])
def test_the_check_lets_the_layers_own_imports_through(source: str) -> None:
    assert forbidden_imports(source, "studio_desk.core.x") == []
