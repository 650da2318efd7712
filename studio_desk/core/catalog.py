"""What a studio's managers do, and the team structures that share it out.

Two kinds of data live here, both plain and read-only:

* the **responsibility catalog** a new workspace starts with: the recurring work the old
  "project manager" job carried, each item marked client-focused, project-focused or
  shared. The transition wizard's first sorting step starts from it.
* the built-in **team-structure templates**: who does which activity, as a RACI matrix
  (R responsible: does the work; A accountable: owns the outcome; C consulted; I kept
  informed). A user never edits a built-in: they copy one and edit the copy.

How the article-based templates were turned into RACI letters
-------------------------------------------------------------
The agency breakdowns list, per role, the activities that role takes on. Each listed
activity becomes a row. A role that lists the activity alone gets ``RA`` (does it and
owns it). When several roles list it (kick-offs, review and QA), the first role of the
structure leads (``RA``) and the others take part (``R``). A role that does not list an
activity is consulted (``C``) where its work depends on the result (a technical lead on
an estimate) and informed (``I``) otherwise, or left out (empty) where the activity is not
theirs at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

#: Categories of a responsibility, as stored (``responsibility.category``).
CLIENT_FOCUSED = "client"
PROJECT_FOCUSED = "project"
SHARED = "shared"
CATEGORIES = (CLIENT_FOCUSED, PROJECT_FOCUSED, SHARED)
CATEGORY_LABELS: Mapping[str, str] = {
    CLIENT_FOCUSED: "Client-focused",
    PROJECT_FOCUSED: "Project-focused",
    SHARED: "Shared",
}

#: The four RACI letters, in their canonical order inside a cell ("RA", never "AR").
RACI_LETTERS = ("R", "A", "C", "I")
RACI_MEANINGS: Mapping[str, str] = {
    "R": "Responsible: does the work",
    "A": "Accountable: owns the outcome and signs it off",
    "C": "Consulted: asked before it is decided or done",
    "I": "Informed: told once it is done",
}
#: What a matrix cell can be set to from a chooser ("" = not involved).
CELL_CHOICES = ("", "R", "A", "RA", "C", "I")


@dataclass(frozen=True)
class CatalogItem:
    """One default responsibility: what it is called, its category, a line about it."""

    name: str
    category: str
    note: str = ""


#: The catalog a new workspace starts with (in this order on screen).
DEFAULT_RESPONSIBILITIES: tuple[CatalogItem, ...] = (
    CatalogItem("Answer client calls and emails as they come in", CLIENT_FOCUSED,
                "Day-to-day contact; volume rises and falls without warning."),
    CatalogItem("Run planned client meetings (kick-offs, status updates)", CLIENT_FOCUSED,
                "Communication that is on the calendar in advance."),
    CatalogItem("Bring the client ideas and opportunities unprompted", CLIENT_FOCUSED,
                "Reaching out first with suggestions, not only replying."),
    CatalogItem("Know the client's business", CLIENT_FOCUSED,
                "Their market, their goals, what success means to them."),
    CatalogItem("Speak up for the client's goals inside the studio", CLIENT_FOCUSED,
                "Carry their requests and priorities to the team."),
    CatalogItem("Grow and look after the client relationship", CLIENT_FOCUSED,
                "Trust over years, not just the current job."),
    CatalogItem("Hand out tasks", PROJECT_FOCUSED,
                "Who does what on each project, and by when."),
    CatalogItem("Match the team's capacity and skills to the work", PROJECT_FOCUSED,
                "Nobody overloaded, each task with someone able to do it."),
    CatalogItem("Check the team understands each task", PROJECT_FOCUSED,
                "Briefs that are clear before work starts."),
    CatalogItem("Review deliverables", PROJECT_FOCUSED,
                "Look over the work before it leaves the studio."),
    CatalogItem("Test and quality-check the work", PROJECT_FOCUSED,
                "Catch faults before the client does."),
    CatalogItem("Keep the project within its scope", PROJECT_FOCUSED,
                "Notice when requests grow beyond what was agreed."),
    CatalogItem("Load project content", PROJECT_FOCUSED,
                "Put copy, images and media in place."),
    CatalogItem("Set up and configure project settings", PROJECT_FOCUSED,
                "Tools, platforms and environments the project runs on."),
)


# --------------------------------------------------------------------------- balance


@dataclass(frozen=True)
class Balance:
    """How a catalog splits: the wizard's read-out under the two lists."""

    client: int
    project: int
    shared: int

    @property
    def total(self) -> int:
        return self.client + self.project + self.shared

    @property
    def text(self) -> str:
        """E.g. ``"6 client-focused, 8 project-focused, 0 shared"``."""
        return (f"{self.client} client-focused, {self.project} project-focused, "
                f"{self.shared} shared")


def balance(categories: Iterable[str]) -> Balance:
    """Count client-focused, project-focused and shared items among ``categories``."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for category in categories:
        if category not in counts:
            raise ValueError(f"unknown responsibility category {category!r}")
        counts[category] += 1
    return Balance(counts[CLIENT_FOCUSED], counts[PROJECT_FOCUSED], counts[SHARED])


# --------------------------------------------------------------------------- templates


def normalise_cell(text: str) -> str:
    """The canonical form of a RACI cell: ``"a/r"``, ``"R, A"`` and ``"ar"`` are ``"RA"``.

    Raises ``ValueError`` with a sentence when the text holds anything but R, A, C, I.
    """
    letters = {ch for ch in text.upper() if not ch.isspace() and ch not in "/,+-"}
    unknown = letters - set(RACI_LETTERS)
    if unknown:
        raise ValueError(f"A responsibility cell takes only the letters R, A, C and I, "
                         f"not “{text}”.")
    return "".join(letter for letter in RACI_LETTERS if letter in letters)


def format_cell(cell: str) -> str:
    """How a cell reads in a table or on paper: ``"RA"`` shows as ``"R/A"``."""
    return "/".join(cell)


@dataclass(frozen=True)
class TeamTemplate:
    """A team structure: its roles, its activities, and a RACI cell for each pair.

    ``cells[a][r]`` is the cell of activity ``a`` and role ``r`` (indices into
    ``activities`` and ``roles``), a string of RACI letters, ``""`` when not involved.
    ``key`` names a built-in (``None`` for a studio's own copy).
    """

    name: str
    roles: tuple[str, ...]
    activities: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    description: str = ""
    key: str | None = None
    builtin: bool = False
    #: Role keys used by assignments, aligned with ``roles`` ("" for roles that are
    #: only described, not assigned).
    role_keys: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.activities):
            raise ValueError("a template needs one row of cells per activity")
        for row in self.cells:
            if len(row) != len(self.roles):
                raise ValueError("a template needs one cell per role in every row")
            for cell in row:
                if normalise_cell(cell) != cell:
                    raise ValueError(f"cell {cell!r} is not in canonical RACI form")
        if self.role_keys and len(self.role_keys) != len(self.roles):
            raise ValueError("role keys must line up with roles")

    def cell(self, activity: str, role: str) -> str:
        """The letters of one activity for one role."""
        return self.cells[self.activities.index(activity)][self.roles.index(role)]

    def activities_of(self, role: str, letters: str = "RA") -> tuple[str, ...]:
        """The activities where ``role`` holds any of ``letters`` (default: does or owns)."""
        r = self.roles.index(role)
        return tuple(a for a, row in zip(self.activities, self.cells, strict=True)
                     if set(row[r]) & set(letters))

    def problems(self) -> tuple[str, ...]:
        """Sentences about rows a careful reader would query (none = a tidy matrix).

        Each activity should have exactly one owner (A) and someone doing it (R).
        """
        found = []
        for activity, row in zip(self.activities, self.cells, strict=True):
            owners = sum("A" in cell for cell in row)
            if owners == 0:
                found.append(f"No one is accountable for “{activity}”.")
            elif owners > 1:
                found.append(f"{owners} roles are accountable for “{activity}”; "
                             "one owner is clearer.")
            if not any("R" in cell for cell in row):
                found.append(f"No one is responsible for doing “{activity}”.")
        return tuple(found)


def _template(key: str, name: str, description: str, roles: Sequence[str],
              rows: Sequence[tuple[str, Sequence[str]]],
              role_keys: Sequence[str] = ()) -> TeamTemplate:
    return TeamTemplate(name=name, roles=tuple(roles),
                        activities=tuple(activity for activity, _ in rows),
                        cells=tuple(tuple(normalise_cell(c) for c in cells)
                                    for _, cells in rows),
                        description=description, key=key, builtin=True,
                        role_keys=tuple(role_keys))


#: Activities of the three general integrated-production structures.
_PRODUCTION_ACTIVITIES = (
    "Client kick-off",
    "Production kick-off",
    "Write the scope of work (SOW)",
    "Prepare estimates",
    "Develop the content",
    "Run the day-to-day work",
    "Allocate people to the work",
    "Keep the schedule",
    "Find and manage production partners",
    "Oversee development",
    "Production review and QA",
)


def _rows(cells: Sequence[Sequence[str]]) -> list[tuple[str, Sequence[str]]]:
    return list(zip(_PRODUCTION_ACTIVITIES, cells, strict=True))


INTEGRATED_PRODUCER = _template(
    "integrated_producer", "Integrated Producer alone",
    "One producer carries everything, from the scope of work and the content to "
    "producing and managing the project end to end.",
    ("Integrated Producer",),
    _rows([("RA",)] * len(_PRODUCTION_ACTIVITIES)))

PRODUCER_AND_PM = _template(
    "producer_project_manager", "Producer + Project Manager",
    "The producer owns the scope of work and the content; the project manager runs the "
    "day-to-day work and decides who works on what.",
    ("Integrated Producer", "Project Manager"),
    _rows([
        ("RA", "R"),   # client kick-off
        ("R", "RA"),   # production kick-off
        ("RA", "C"),   # scope of work
        ("RA", "R"),   # estimates
        ("RA", "I"),   # content
        ("I", "RA"),   # day-to-day
        ("C", "RA"),   # allocation
        ("I", "RA"),   # schedule
        ("RA", "I"),   # partners
        ("I", "RA"),   # development
        ("A", "R"),    # review and QA
    ]))

PRODUCER_PM_AND_TECH_LEAD = _template(
    "producer_pm_tech_lead", "Producer + Project Manager + Technical Lead / Scrum Master",
    "As with a producer and a project manager, plus a technical lead or scrum master "
    "who oversees development.",
    ("Integrated Producer", "Project Manager", "Technical Lead / Scrum Master"),
    _rows([
        ("RA", "R", "I"),   # client kick-off
        ("R", "RA", "R"),   # production kick-off
        ("RA", "C", "C"),   # scope of work
        ("RA", "R", "C"),   # estimates
        ("RA", "I", "C"),   # content
        ("I", "RA", "C"),   # day-to-day
        ("C", "RA", "C"),   # allocation
        ("I", "RA", "C"),   # schedule
        ("RA", "I", "C"),   # partners
        ("I", "C", "RA"),   # development
        ("A", "R", "R"),    # review and QA
    ]))

LARGE_AGENCY = _template(
    "large_agency", "Large agency",
    "Integrated producer, head of technology and project manager, each with their own "
    "share of the work; all three attend the kick-offs and the production review.",
    ("Integrated Producer", "Head of Technology", "Project Manager"),
    [
        ("Client kick-off", ("RA", "R", "R")),
        ("Production kick-off", ("RA", "R", "R")),
        ("Write the scope of work (SOW)", ("RA", "C", "C")),
        ("Review the SOW and estimate", ("C", "RA", "I")),
        ("Prepare the estimate", ("C", "C", "RA")),
        ("Choose production methods", ("RA", "C", "I")),
        ("Technical audit", ("I", "RA", "I")),
        ("Allocate people to the work", ("C", "C", "RA")),
        ("Find production partners", ("RA", "C", "I")),
        ("Manage development", ("I", "RA", "C")),
        ("Keep the schedule", ("I", "C", "RA")),
        ("Manage production partners", ("RA", "I", "I")),
        ("Manage technology partners", ("I", "RA", "I")),
        ("Carry the project through", ("I", "C", "RA")),
        ("Production review and QA", ("RA", "R", "R")),
    ])

DIGITAL_AGENCY = _template(
    "digital_agency", "Digital agency",
    "Integrated producer, technical and creative leads, and a scrum master who runs the "
    "backlog and the scrums.",
    ("Integrated Producer", "Tech & Creative Leads", "Scrum Master"),
    [
        ("Client kick-off", ("RA", "R", "I")),
        ("Production kick-off", ("RA", "R", "R")),
        ("Write the SOW and estimate", ("RA", "C", "C")),
        ("Size the work in story points for the SOW", ("C", "RA", "R")),
        ("Choose production methods", ("RA", "C", "I")),
        ("Technical audit", ("I", "RA", "I")),
        ("Keep the backlog", ("I", "C", "RA")),
        ("Find production partners", ("RA", "C", "I")),
        ("Manage development", ("I", "RA", "C")),
        ("Run the scrums", ("I", "R", "RA")),
        ("Manage production partners", ("RA", "I", "I")),
        ("Manage technology partners", ("I", "RA", "I")),
        ("Carry the project through", ("I", "C", "RA")),
        ("Production review and QA", ("RA", "R", "R")),
    ])

TEAM_BASED = _template(
    "team_based", "Team-based studio",
    "An integrated producer with a cross-functional team that sizes, audits and carries "
    "out the work itself.",
    ("Integrated Producer", "Team"),
    [
        ("Client kick-off", ("RA", "R")),
        ("Production kick-off", ("RA", "R")),
        ("Write the SOW and estimate", ("RA", "C")),
        ("Size the work in story points for the SOW", ("C", "RA")),
        ("Oversee production", ("RA", "I")),
        ("Audits", ("I", "RA")),
        ("Manage partners", ("RA", "I")),
        ("Carry out the work", ("I", "RA")),
        ("Production review and QA", ("RA", "R")),
    ])

#: Key of the target structure the transition wizard assigns people to.
ACCOUNT_PRODUCTION_KEY = "account_production"
ROLE_ACCOUNT_MANAGER = "account_manager"
ROLE_PRODUCTION_MANAGER = "production_manager"
ROLE_NAMES: Mapping[str, str] = {
    ROLE_ACCOUNT_MANAGER: "Account Manager",
    ROLE_PRODUCTION_MANAGER: "Production Manager",
}

#: The RACI cells (Account Manager, Production Manager) for each category.
_AM_PM_CELLS: Mapping[str, tuple[str, str]] = {
    CLIENT_FOCUSED: ("RA", "I"),
    PROJECT_FOCUSED: ("I", "RA"),
    # Shared work is done by both; the Account Manager answers for it to the client.
    SHARED: ("RA", "R"),
}


def account_production_template(
        responsibilities: Iterable[tuple[str, str]] | None = None) -> TeamTemplate:
    """The Account Manager + Production Manager structure for a catalog.

    ``responsibilities`` are ``(name, category)`` pairs (default: the default catalog).
    Client-focused work is the Account Manager's, project-focused work the Production
    Manager's, each keeping the other informed; shared work is done by both.
    """
    pairs = (list(responsibilities) if responsibilities is not None
             else [(item.name, item.category) for item in DEFAULT_RESPONSIBILITIES])
    for _name, category in pairs:
        if category not in _AM_PM_CELLS:
            raise ValueError(f"unknown responsibility category {category!r}")
    return _template(
        ACCOUNT_PRODUCTION_KEY, "Account Manager + Production Manager",
        "The client's advocate and the team's advocate: client-focused work goes to the "
        "Account Manager, project-focused work to the Production Manager.",
        (ROLE_NAMES[ROLE_ACCOUNT_MANAGER], ROLE_NAMES[ROLE_PRODUCTION_MANAGER]),
        [(name, _AM_PM_CELLS[category]) for name, category in pairs],
        role_keys=(ROLE_ACCOUNT_MANAGER, ROLE_PRODUCTION_MANAGER))


ACCOUNT_PRODUCTION = account_production_template()

#: Every built-in template, in the order the wizard offers them (the target first).
BUILTIN_TEMPLATES: tuple[TeamTemplate, ...] = (
    ACCOUNT_PRODUCTION,
    INTEGRATED_PRODUCER,
    PRODUCER_AND_PM,
    PRODUCER_PM_AND_TECH_LEAD,
    LARGE_AGENCY,
    DIGITAL_AGENCY,
    TEAM_BASED,
)


def builtin_template(key: str) -> TeamTemplate:
    """The built-in template named by ``key`` (``KeyError`` if there is none)."""
    for template in BUILTIN_TEMPLATES:
        if template.key == key:
            return template
    raise KeyError(key)


# --------------------------------------------------------------------------- editing
# Templates are immutable; each edit returns a new one, which suits an undo stack.


def copy_template(template: TeamTemplate, name: str | None = None) -> TeamTemplate:
    """An editable copy of ``template`` (not built-in, no key), named ``name``."""
    return replace(template, name=name or f"{template.name} (copy)", key=None,
                   builtin=False)


def _editable(template: TeamTemplate) -> None:
    if template.builtin:
        raise ValueError("built-in templates are read-only; copy one to change it")


def set_cell(template: TeamTemplate, activity: str, role: str, letters: str) -> TeamTemplate:
    """``template`` with one cell changed (letters in any order/case, e.g. ``"a/r"``)."""
    _editable(template)
    a, r = template.activities.index(activity), template.roles.index(role)
    cells = [list(row) for row in template.cells]
    cells[a][r] = normalise_cell(letters)
    return replace(template, cells=tuple(tuple(row) for row in cells))


def _check_new_label(existing: Sequence[str], label: str, what: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise ValueError(f"A {what} needs a name.")
    if label.casefold() in {e.casefold() for e in existing}:
        raise ValueError(f"This template already has a {what} called “{label}”.")
    return label


def add_activity(template: TeamTemplate, activity: str) -> TeamTemplate:
    """``template`` with a new activity at the end, no one involved yet."""
    _editable(template)
    activity = _check_new_label(template.activities, activity, "activity")
    return replace(template, activities=(*template.activities, activity),
                   cells=(*template.cells, ("",) * len(template.roles)))


def remove_activity(template: TeamTemplate, activity: str) -> TeamTemplate:
    """``template`` without ``activity`` (and its cells)."""
    _editable(template)
    a = template.activities.index(activity)
    return replace(template,
                   activities=template.activities[:a] + template.activities[a + 1:],
                   cells=template.cells[:a] + template.cells[a + 1:])


def add_role(template: TeamTemplate, role: str) -> TeamTemplate:
    """``template`` with a new role as the last column, involved in nothing yet."""
    _editable(template)
    role = _check_new_label(template.roles, role, "role")
    role_keys = (*template.role_keys, "") if template.role_keys else ()
    return replace(template, roles=(*template.roles, role), role_keys=role_keys,
                   cells=tuple((*row, "") for row in template.cells))


def remove_role(template: TeamTemplate, role: str) -> TeamTemplate:
    """``template`` without the column of ``role``."""
    _editable(template)
    r = template.roles.index(role)
    role_keys = (template.role_keys[:r] + template.role_keys[r + 1:]
                 if template.role_keys else ())
    return replace(template, roles=template.roles[:r] + template.roles[r + 1:],
                   role_keys=role_keys,
                   cells=tuple(row[:r] + row[r + 1:] for row in template.cells))


def rename(template: TeamTemplate, *, activity: tuple[str, str] | None = None,
           role: tuple[str, str] | None = None) -> TeamTemplate:
    """``template`` with an activity and/or a role renamed (``(old, new)`` pairs)."""
    _editable(template)
    activities, roles = list(template.activities), list(template.roles)
    if activity is not None:
        old, new = activity
        i = activities.index(old)
        new = _check_new_label(activities[:i] + activities[i + 1:], new, "activity")
        activities[i] = new
    if role is not None:
        old, new = role
        i = roles.index(old)
        new = _check_new_label(roles[:i] + roles[i + 1:], new, "role")
        roles[i] = new
    return replace(template, activities=tuple(activities), roles=tuple(roles))
