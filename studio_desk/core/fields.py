"""The fields of each kind of record, declared once.

The same declarations drive validation, CSV import and export, the edit forms and the
table columns, so a rule (say, "technical complexity is 1 to 5") lives in one place.
Values travel as plain Python values keyed by field key; a reference to another record
(``client`` of a project, ``person`` of a relationship) travels as that record's name,
which is unique within its kind; a project's name is unique within its client, so a
reference to a project (``project`` of an assignment) goes with its client's.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from studio_desk.core.catalog import ROLE_ACCOUNT_MANAGER, ROLE_PRODUCTION_MANAGER
from studio_desk.core.errors import ValidationError

FieldType = Literal["text", "int", "float", "date", "choice", "ref", "bool"]

PROJECT_STATUSES = ("pitch", "active", "back-burner", "on-hold", "done", "cancelled")
LEAD_TYPES = ("production-led", "account-led", "balanced")


@dataclass(frozen=True)
class Field:
    """One field of a record kind: what it is called, what it accepts, its default."""

    key: str
    label: str
    type: FieldType = "text"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    choices: tuple[str, ...] = ()
    ref: str | None = None  # kind referred to, for type "ref"
    multiline: bool = False
    max_length: int = 200
    help: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of record (people, clients, projects, relationships)."""

    key: str  # singular, as used in code: "person"
    plural: str  # as used on the command line: "people"
    label: str  # "Person"
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        # Cached: validation asks for it once per value, and imports validate thousands.
        return tuple(f.key for f in self.fields)


PERSON = Kind(
    "person",
    "people",
    "Person",
    (
        Field("name", "Name", required=True),
        Field("email", "Email"),
        Field("title", "Title"),
        Field("weekly_hours", "Weekly hours", "float", minimum=0, maximum=168, default=40.0),
        Field("max_active_projects", "Max active projects", "int", minimum=0, maximum=999,
              default=6),
        Field("max_backburner_projects", "Max back-burner projects", "int", minimum=0,
              maximum=999, default=15),
        Field("max_clients", "Max clients", "int", minimum=0, maximum=999, default=12,
              help="Clients this person can hold as Account Manager."),
        Field("client_facing", "Client-facing", "int", minimum=0, maximum=5, default=3,
              help="0-5: how much they enjoy calls and relationship work."),
        Field("head_down", "Head-down", "int", minimum=0, maximum=5, default=3,
              help="0-5: how much they enjoy the technical detail."),
        Field("active", "Active", "bool", default=True),
    ),
)

CLIENT = Kind(
    "client",
    "clients",
    "Client",
    (
        Field("name", "Name", required=True),
        Field("industry", "Industry"),
        Field("contact_name", "Contact"),
        Field("contact_email", "Contact email"),
        Field("contact_phone", "Contact phone"),
        Field("notes", "Notes", multiline=True, max_length=100_000),
    ),
)

PROJECT = Kind(
    "project",
    "projects",
    "Project",
    (
        Field("client", "Client", "ref", required=True, ref="client"),
        Field("name", "Name", required=True),
        Field("code", "Code", max_length=40),
        Field("status", "Status", "choice", choices=PROJECT_STATUSES, default="active"),
        Field("start", "Start", "date"),
        Field("due", "Due", "date"),
        Field("budget", "Budget", "float", minimum=0, maximum=1e12),
        Field("estimated_hours", "Estimated hours", "float", minimum=0, maximum=1e7),
        Field("technical_complexity", "Complexity", "int", minimum=1, maximum=5, default=3,
              help="1-5: how technical or intricate the work is."),
        Field("communication_load", "Communication", "int", minimum=1, maximum=5, default=3,
              help="1-5: how much talking to the client the work needs."),
        Field("lead_type", "Lead type", "choice", choices=LEAD_TYPES,
              help="Leave empty to derive it from complexity and communication."),
        Field("manager", "Manager", "ref", ref="person"),
    ),
)

RELATIONSHIP = Kind(
    "relationship",
    "relationships",
    "Relationship",
    (
        Field("person", "Person", "ref", required=True, ref="person"),
        Field("client", "Client", "ref", required=True, ref="client"),
        Field("strength", "Strength", "int", minimum=1, maximum=3, default=2,
              help="1 knows them, 2 works with them often, 3 their trusted contact."),
        Field("since", "Since", "date"),
    ),
)

KINDS: dict[str, Kind] = {k.key: k for k in (PERSON, CLIENT, PROJECT, RELATIONSHIP)}
KINDS_BY_PLURAL: dict[str, Kind] = {k.plural: k for k in KINDS.values()}

#: The roles an assignments file may name, as stored in ``role.key``.
ASSIGNMENT_ROLES = (ROLE_ACCOUNT_MANAGER, ROLE_PRODUCTION_MANAGER)

#: Who holds a role today, as an assignments CSV file says it (``import assignments``).
#: Not one of :data:`KINDS`: assignments are not edited one by one as records are, so no
#: form or table is built from this; the file's rows go through the same validation.
ASSIGNMENT = Kind(
    "assignment",
    "assignments",
    "Assignment",
    (
        # Required on an Account Manager row (see _check_assignment_target); a Production
        # Manager row may leave it out when no other client has a project of that name.
        Field("client", "Client", "ref", ref="client",
              help="The client; on a Production Manager row it may be left empty when "
                   "no other client has a project of that name."),
        Field("project", "Project", "ref", ref="project",
              help="Empty for an Account Manager; the project for a Production Manager."),
        Field("role", "Role", "choice", required=True, choices=ASSIGNMENT_ROLES),
        Field("person", "Person", "ref", required=True, ref="person"),
        Field("since", "Since", "date", help="Empty: today."),
    ),
)

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+")
_TRUE = {"yes", "y", "true", "1", "on", "active"}
_FALSE = {"no", "n", "false", "0", "off", "inactive"}


def normalise_status(text: str) -> str | None:
    """``Back burner``, ``backburner`` and ``BACK-BURNER`` all mean ``back-burner``."""
    squashed = re.sub(r"[\s_\-]+", "", text.strip().casefold())
    for status in PROJECT_STATUSES:
        if squashed == status.replace("-", ""):
            return status
    return None


#: How people write the two managing roles, squashed as :func:`normalise_role` squashes.
_ROLE_SPELLINGS = {
    "accountmanager": ROLE_ACCOUNT_MANAGER, "am": ROLE_ACCOUNT_MANAGER,
    "productionmanager": ROLE_PRODUCTION_MANAGER, "pm": ROLE_PRODUCTION_MANAGER,
}


def normalise_role(text: str) -> str | None:
    """``Account Manager``, ``AM`` and ``account_manager`` all mean ``account_manager``
    (likewise ``production_manager``); anything else is ``None``."""
    return _ROLE_SPELLINGS.get(re.sub(r"[\s_\-]+", "", text.strip().casefold()))


def parse_value(f: Field, raw: Any) -> Any:
    """Turn what the user typed (or a CSV cell) into the field's value.

    Empty text means "no value" (the default applies for new records). Raises
    ``ValueError`` with a sentence about the field when the text does not fit.
    """
    if raw is None:
        return None
    if not isinstance(raw, str):
        return _check_typed(f, raw)
    text = raw.strip()
    if text == "":
        return None
    if f.type in ("text", "ref"):
        return _check_typed(f, raw.strip() if not f.multiline else raw)
    if _THOUSANDS.fullmatch(text):  # 1,000 or 12,500,000: a thousands separator
        text = text.replace(",", "")
    if f.type == "int":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError(f"{f.label} must be a whole number, not “{text}”.") from None
        if not number.is_integer():
            raise ValueError(f"{f.label} must be a whole number, not “{text}”.")
        return _check_typed(f, int(number))
    if f.type == "float":
        try:
            number = float(text.replace(" ", "").replace(",", "."))  # 2,5 = 2.5
        except ValueError:
            raise ValueError(f"{f.label} must be a number, not “{text}”.") from None
        return _check_typed(f, number)
    if f.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{f.label} must be a date written like 2026-03-31, not “{text}”."
            ) from None
    if f.type == "choice":
        if f.key == "status":
            value = normalise_status(text)
        elif f.key == "role":
            value = normalise_role(text)
        else:
            value = text.casefold()
        if value not in f.choices:
            raise ValueError(f"{f.label} must be one of {', '.join(f.choices)}, not “{text}”.")
        return value
    if f.type == "bool":
        low = text.casefold()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"{f.label} must be yes or no, not “{text}”.")
    raise AssertionError(f"unknown field type {f.type}")


def _check_typed(f: Field, value: Any) -> Any:
    """Range and length checks on a value that already has the right Python type."""
    if f.type in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{f.label} must be a number.")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{f.label} must be a finite number.")
        if f.type == "int" and isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"{f.label} must be a whole number.")
            value = int(value)
        if f.minimum is not None and value < f.minimum:
            raise ValueError(f"{f.label} must be at least {_fmt(f.minimum)}.")
        if f.maximum is not None and value > f.maximum:
            raise ValueError(f"{f.label} must be at most {_fmt(f.maximum)}.")
        return float(value) if f.type == "float" else value
    if f.type in ("text", "ref"):
        if not isinstance(value, str):
            raise ValueError(f"{f.label} must be text.")
        if len(value) > f.max_length:
            raise ValueError(f"{f.label} is too long ({len(value)} characters; "
                             f"at most {f.max_length}).")
        return value
    if f.type == "date" and not isinstance(value, dt.date):
        raise ValueError(f"{f.label} must be a date.")
    if f.type == "bool" and not isinstance(value, bool):
        raise ValueError(f"{f.label} must be yes or no.")
    if f.type == "choice" and value not in f.choices:
        raise ValueError(f"{f.label} must be one of {', '.join(f.choices)}.")
    return value


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


#: Fields that count something (projects, clients, hours): a value above the limit is
#: "too many" rather than "too high".
_COUNTS = frozenset({"max_active_projects", "max_backburner_projects", "max_clients",
                     "weekly_hours", "estimated_hours"})


def _fmt_amount(number: float) -> str:
    """A number as a sentence writes it: 5000, 10,000, 1,000,000,000,000, 37.5."""
    if float(number).is_integer():
        whole = int(number)
        return f"{whole:,}" if abs(whole) >= 10_000 else str(whole)
    return f"{number:,.6f}".rstrip("0").rstrip(".")


def _limits_phrase(f: Field) -> str:
    """"between 0 and 999", "at least 0", "at most 5", or "" for a field without limits."""
    low, high = f.minimum, f.maximum
    if low is not None and high is not None:
        return f"between {_fmt_amount(low)} and {_fmt_amount(high)}"
    if low is not None:
        return f"at least {_fmt_amount(low)}"
    if high is not None:
        return f"at most {_fmt_amount(high)}"
    return ""


def range_problem(f: Field, number: float) -> str | None:
    """The sentence refusing ``number`` for a number field outside its limits, such as
    "Max clients must be between 0 and 999; 5000 is too many."; None when it fits."""
    if f.minimum is not None and number < f.minimum:
        excess = "too low"
    elif f.maximum is not None and number > f.maximum:
        excess = "too many" if f.key in _COUNTS else "too high"
    else:
        return None
    return f"{f.label} must be {_limits_phrase(f)}; {_fmt_amount(number)} is {excess}."


def length_problem(f: Field, text: str) -> str | None:
    """The sentence refusing ``text`` longer than its field holds, such as
    "Name is 10,000 characters long; at most 200 fit."; None when it fits."""
    if len(text) <= f.max_length:
        return None
    return (f"{f.label} is {len(text):,} characters long; "
            f"at most {f.max_length:,} fit.")


def input_problem(f: Field, raw: str, *, empty_allowed: bool = True) -> str | None:
    """Why the text typed into an editor of ``f`` cannot be saved as it stands, in one
    sentence naming the field; None when :func:`parse_value` accepts it.

    Forms and table cells ask this while the user types, so a value out of range, too
    long or not a number is refused with its reason instead of being clamped or cut.
    ``empty_allowed=False`` is for a number that always has a value (Max clients):
    emptying it is refused rather than quietly replaced by the default.
    """
    text = raw.strip()
    if not text:
        if empty_allowed:
            return None
        limits = _limits_phrase(f)
        return f"{f.label} needs a number{' ' + limits if limits else ''}."
    if f.type in ("text", "ref"):
        too_long = length_problem(f, raw if f.multiline else text)
        if too_long is not None:
            return too_long
    if f.type in ("int", "float"):
        try:
            # Read the number first, then say how it misses the limits.
            number = parse_value(replace(f, minimum=None, maximum=None), text)
        except ValueError as exc:
            return str(exc)
        out_of_range = range_problem(f, number)
        if out_of_range is not None:
            return out_of_range
    try:
        parse_value(f, raw)
    except ValueError as exc:
        return str(exc)
    return None


def validate(kind: Kind, values: Mapping[str, Any], *, complete: bool = True,
             where: str = "") -> dict[str, Any]:
    """Check and convert ``values`` for ``kind``; return the converted values.

    With ``complete`` the result has every field (defaults filled in) and required fields
    must be present; otherwise only the given fields are checked (an edit of one cell).
    Every problem is collected, keyed by field, into one :class:`ValidationError`.
    """
    problems: dict[str, str] = {}
    result: dict[str, Any] = {}
    for key in values:
        if key not in kind.keys:
            problems[key] = f"{kind.label} has no field “{key}”."
    for f in kind.fields:
        if f.key not in values and not complete:
            continue
        try:
            value = parse_value(f, values.get(f.key))
        except ValueError as exc:
            problems[f.key] = str(exc)
            continue
        if value is None and complete:
            value = f.default
        if value is None and f.required:
            problems[f.key] = f"{f.label} is required."
            continue
        result[f.key] = value
    start, due = result.get("start"), result.get("due")
    if isinstance(start, dt.date) and isinstance(due, dt.date) and due < start:
        problems.setdefault("due", f"Due ({due.isoformat()}) must not be before start "
                                   f"({start.isoformat()}).")
    if kind.key == ASSIGNMENT.key:
        _check_assignment_target(result, problems)
    if problems:
        raise ValidationError(problems, where=where)
    return result


def _check_assignment_target(values: Mapping[str, Any], problems: dict[str, str]) -> None:
    """An Account Manager holds a whole client; a Production Manager one of its projects
    (whose client the row may leave out: the import finds it from the project's name,
    or refuses a name projects of several clients share)."""
    role, project = values.get("role"), values.get("project")
    if role == ROLE_ACCOUNT_MANAGER and values.get("client") is None:
        problems.setdefault("client", "An account_manager row needs the client it is for.")
    if role == ROLE_ACCOUNT_MANAGER and project is not None:
        problems.setdefault("project", f"An account_manager row is for the whole client, so "
                                       f"its project must be empty, not “{project}”.")
    elif role == ROLE_PRODUCTION_MANAGER and project is None:
        problems.setdefault("project", "A production_manager row needs the project it is "
                                       "for.")


def format_value(f: Field, value: Any) -> str:
    """The text a value shows as in a table cell, a form or a CSV cell."""
    if value is None:
        return ""
    if f.type == "bool":
        return "yes" if value else "no"
    if f.type == "date":
        return value.isoformat()
    if f.type == "float":
        return _fmt(round(value, 2))
    return str(value)
