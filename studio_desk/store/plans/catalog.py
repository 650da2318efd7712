"""The responsibility catalog (the tasks of the project manager's job, each client-focused,
project-focused or shared) and the team templates, as the workspace stores them; their
rules and the built-in templates are in ``core.catalog``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studio_desk.core import catalog
from studio_desk.core.errors import ConflictError, NotFoundError, PlanStateError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.store.models import Responsibility, TeamTemplate
from studio_desk.store.plans._common import _clean_name, _flush, _plan, _steps


@dataclass(frozen=True)
class ResponsibilityRow:
    """One item of the responsibility catalog."""

    id: int
    version: int
    name: str
    category: str
    position: int


@dataclass(frozen=True)
class TemplateRow:
    """A stored team template; ``template`` holds its matrix."""

    id: int
    version: int
    template: catalog.TeamTemplate

    @property
    def name(self) -> str:
        return self.template.name

    @property
    def builtin(self) -> bool:
        return self.template.builtin


def _responsibility_row(r: Responsibility) -> ResponsibilityRow:
    return ResponsibilityRow(r.id, r.version, r.name, r.category, r.position)


def list_responsibilities(session: Session) -> list[ResponsibilityRow]:
    """The catalog in its on-screen order."""
    return [_responsibility_row(r) for r in session.scalars(
        select(Responsibility).order_by(Responsibility.position, Responsibility.id))]


def _check_category(category: str) -> str:
    if category not in catalog.CATEGORIES:
        raise ValidationError({"category": "A responsibility is client-focused, "
                                           "project-focused or shared."})
    return category


def _check_responsibility_name(session: Session, name: str, own_id: int | None) -> str:
    name = _clean_name(name, "responsibility")
    clash = session.scalar(select(Responsibility.id).where(
        Responsibility.name_key == name_key(name)))
    if clash is not None and clash != own_id:
        raise ValidationError({"name": f"“{name}” is already in the catalog."})
    return name


def add_responsibility(session: Session, name: str,
                       category: str = catalog.SHARED) -> ResponsibilityRow:
    """Add an item at the end of the catalog."""
    name = _check_responsibility_name(session, name, None)
    position = (session.scalar(select(func.max(Responsibility.position))) or 0) + 1
    item = Responsibility(name=name, name_key=name_key(name),
                          category=_check_category(category), position=position)
    session.add(item)
    session.flush()
    return _responsibility_row(item)


def update_responsibility(session: Session, responsibility_id: int, expected_version: int,
                          *, name: str | None = None,
                          category: str | None = None) -> ResponsibilityRow:
    """Rename an item or sort it into another category."""
    item = session.get(Responsibility, responsibility_id)
    mine = {k: v for k, v in (("name", name), ("category", category)) if v is not None}
    if item is None:
        raise ConflictError("Someone removed this responsibility while you were editing "
                            "it.", theirs=None, mine=mine)
    if item.version != expected_version:
        raise ConflictError("Someone changed this responsibility while you were editing "
                            "it.", theirs=_responsibility_row(item), mine=mine)
    if name is not None:
        item.name = _check_responsibility_name(session, name, item.id)
        item.name_key = name_key(item.name)
    if category is not None:
        item.category = _check_category(category)
    _flush(session, "Someone changed this responsibility while you were editing it.",
           mine=mine)
    return _responsibility_row(item)


def delete_responsibility(session: Session, responsibility_id: int,
                          expected_version: int) -> ResponsibilityRow:
    """Remove an item; returns it as it was, so undo can add it back."""
    item = session.get(Responsibility, responsibility_id)
    if item is None:
        raise NotFoundError("That responsibility is already gone.")
    row = _responsibility_row(item)
    if item.version != expected_version:
        raise ConflictError("Someone changed this responsibility since you loaded it.",
                            theirs=row, mine={})
    session.delete(item)
    _flush(session, "Someone changed this responsibility while you were removing it.")
    return row


def restore_responsibility(session: Session, row: ResponsibilityRow) -> ResponsibilityRow:
    """Put back an item removed by :func:`delete_responsibility` (undo)."""
    name = _check_responsibility_name(session, row.name, None)
    item = Responsibility(name=name, name_key=name_key(name),
                          category=_check_category(row.category), position=row.position)
    session.add(item)
    session.flush()
    return _responsibility_row(item)


def order_responsibilities(session: Session, ids_in_order: Sequence[int]) -> None:
    """Set the catalog's on-screen order (ids not listed keep their place after them)."""
    items = {r.id: r for r in session.scalars(select(Responsibility))}
    listed = [items[i] for i in ids_in_order if i in items]
    rest = sorted((r for r in items.values() if r.id not in set(ids_in_order)),
                  key=lambda r: (r.position, r.id))
    for position, item in enumerate([*listed, *rest]):
        if item.position != position:
            item.position = position
    session.flush()


def responsibility_balance(session: Session) -> catalog.Balance:
    """How the workspace's catalog splits into client-, project-focused and shared."""
    return catalog.balance(session.scalars(select(Responsibility.category)))


def responsibility_split(session: Session, plan_id: int) -> list[tuple[str, str]]:
    """``(name, category)`` of the responsibilities as this plan sorted them.

    The plan's own record (saved by the wizard's second page) wins, so a printed plan
    stays as agreed even if the catalog is edited later; without it, the catalog.
    """
    saved = _steps(_plan(session, plan_id)).get("responsibilities", {}).get("categories")
    if isinstance(saved, dict) and saved:
        return [(str(n), str(c)) for n, c in saved.items() if c in catalog.CATEGORIES]
    return [(r.name, r.category) for r in list_responsibilities(session)]


def _template_row(t: TeamTemplate) -> TemplateRow:
    return TemplateRow(t.id, t.version, catalog.TeamTemplate(
        name=t.name, roles=tuple(t.roles), activities=tuple(t.activities),
        cells=tuple(tuple(row) for row in t.cells), description=t.description or "",
        key=t.key, builtin=t.builtin, role_keys=tuple(t.role_keys or ())))


def list_templates(session: Session) -> list[TemplateRow]:
    """Built-in templates first (in the app's order), then the studio's own by name."""
    order = {t.key: i for i, t in enumerate(catalog.BUILTIN_TEMPLATES)}
    templates = session.scalars(select(TeamTemplate)).all()
    return [_template_row(t) for t in sorted(
        templates, key=lambda t: (not t.builtin, order.get(t.key, 99), t.name_key))]


def get_template(session: Session, template_id: int) -> TemplateRow:
    template = session.get(TeamTemplate, template_id)
    if template is None:
        raise NotFoundError("That team template no longer exists.")
    return _template_row(template)


def _free_template_name(session: Session, base: str) -> str:
    taken = set(session.scalars(select(TeamTemplate.name_key)))
    name, n = f"{base} (copy)", 2
    while name_key(name) in taken:
        name, n = f"{base} (copy {n})", n + 1
    return name


def copy_template(session: Session, template_id: int, name: str | None = None) -> TemplateRow:
    """A studio's own, editable copy of a template (built-in or not)."""
    source = get_template(session, template_id).template
    name = _clean_name(name, "template") if name else _free_template_name(session,
                                                                         source.name)
    if session.scalar(select(TeamTemplate.id).where(TeamTemplate.name_key == name_key(name))):
        raise ValidationError({"name": f"A template named “{name}” already exists."})
    copied = catalog.copy_template(source, name)
    row = TeamTemplate(key=None, name=copied.name, name_key=name_key(copied.name),
                       builtin=False, description=copied.description,
                       roles=list(copied.roles), role_keys=list(copied.role_keys),
                       activities=list(copied.activities),
                       cells=[list(r) for r in copied.cells])
    session.add(row)
    session.flush()
    return _template_row(row)


def save_template(session: Session, template_id: int, expected_version: int,
                  template: catalog.TeamTemplate) -> TemplateRow:
    """Store an edited copy (name, roles, activities, cells); built-ins are refused."""
    row = session.get(TeamTemplate, template_id)
    if row is None:
        raise ConflictError("Someone deleted this template while you were editing it.",
                            theirs=None, mine={"template": template})
    if row.builtin:
        raise PlanStateError(f"“{row.name}” comes with Studio Desk and cannot be changed; "
                             "make a copy and edit that.")
    if row.version != expected_version:
        raise ConflictError("Someone changed this template while you were editing it.",
                            theirs=_template_row(row), mine={"template": template})
    name = _clean_name(template.name, "template")
    clash = session.scalar(select(TeamTemplate.id).where(
        TeamTemplate.name_key == name_key(name)))
    if clash is not None and clash != row.id:
        raise ValidationError({"name": f"A template named “{name}” already exists."})
    row.name, row.name_key = name, name_key(name)
    row.description = template.description
    row.roles, row.role_keys = list(template.roles), list(template.role_keys)
    row.activities = list(template.activities)
    row.cells = [list(r) for r in template.cells]
    _flush(session, "Someone changed this template while you were saving it.",
           mine={"template": template})
    return _template_row(row)


def delete_template(session: Session, template_id: int, expected_version: int) -> None:
    """Remove a studio's own template (plans that used it keep working without one)."""
    row = session.get(TeamTemplate, template_id)
    if row is None:
        raise NotFoundError("That team template is already gone.")
    if row.builtin:
        raise PlanStateError(f"“{row.name}” comes with Studio Desk and cannot be removed.")
    if row.version != expected_version:
        raise ConflictError("Someone changed this template since you loaded it.",
                            theirs=_template_row(row), mine={})
    session.delete(row)
    _flush(session, "Someone changed this template while you were removing it.")
