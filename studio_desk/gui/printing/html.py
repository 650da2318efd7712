"""The printed plan as HTML for ``QTextDocument``, styled by ``resources/report.css``.

Every piece of user text goes through :func:`html.escape` on its way in, so a client
called ``<b>Acme</b> & Co`` prints exactly as typed. Each section starts with an ``h1``,
which the stylesheet puts on a new page; tables put their column titles in ``<thead>``,
which the pagination repeats at the top of every page a table continues on.

Plain Python (no Qt), so it can run on any thread.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from studio_desk.core import report as R
from studio_desk.core.catalog import RACI_MEANINGS

#: Client briefs per document (see PlanHtml).
BRIEFS_PER_DOCUMENT = 25
#: People per capacity chart picture, so that a picture always fits on a page.
PEOPLE_PER_CHART = 18
#: The capacity chart's size in layout pixels (96 per inch): narrower than the text of
#: an A4 or Letter page, one band per person under a legend.
CHART_WIDTH = 640
CHART_TOP = 40
CHART_BAND = 28


def chart_height(people: int) -> int:
    """The height of a capacity chart showing ``people`` people."""
    return CHART_TOP + CHART_BAND * people + 6


@cache
def report_stylesheet() -> str:
    """The stylesheet of the printed plan (``resources/report.css``)."""
    source = resources.files("studio_desk") / "resources" / "report.css"
    return source.read_text(encoding="utf-8")


def e(text: object) -> str:
    """User text made safe for the document: ``<``, ``&`` and quotes print as typed."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class ChartSpec:
    """A capacity chart the document shows: its resource name and the rows it draws."""

    name: str  # the <img src> the rendered picture is registered under
    rows: tuple[R.CapacityRow, ...]


@dataclass(frozen=True)
class PlanHtml:
    """The plan's sections as one HTML document (with the charts to draw into it), and
    the client briefs, a page each, in documents of a few dozen (the layout draws a
    page of a long document more slowly than one of a short one)."""

    html: str
    charts: tuple[ChartSpec, ...]
    briefs: tuple[str, ...] = ()  # documents of up to BRIEFS_PER_DOCUMENT briefs each


def _table(headers: Sequence[tuple[str, ...]], rows: Iterable[str],
           css_class: str = "grid") -> str:
    """A table with a repeating header: ``headers`` are (title, width[, class]) tuples,
    the class aligning a column's title with its cells ("center", "num")."""
    head = "".join(
        "<th" + (f' width="{h[1]}"' if h[1] else "") + (f' class="{h[2]}"' if len(h) > 2
                                                          else "") + f">{e(h[0])}</th>"
        for h in headers)
    return (f'<table class="{css_class}" width="100%" cellspacing="0">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _cells(*values: str, classes: Sequence[str] = ()) -> str:
    """A row of already-escaped cell contents."""
    out = []
    for index, value in enumerate(values):
        css = classes[index] if index < len(classes) and classes[index] else ""
        out.append(f'<td class="{css}">{value}</td>' if css else f"<td>{value}</td>")
    return f"<tr>{''.join(out)}</tr>"


def _group_row(title: str, columns: int) -> str:
    return f'<tr><td class="group" colspan="{columns}">{e(title)}</td></tr>'


def _talking_points(blocks: Sequence[R.TalkingPointsBlock], heading: str = "h3") -> str:
    out: list[str] = []
    bullets: list[str] = []
    group = heading

    def flush() -> None:
        if bullets:
            out.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
            bullets.clear()

    for block in blocks:
        if block.kind == "bullet":
            bullets.append(e(block.text))
            continue
        flush()
        if block.kind == "outcome":  # a group per outcome: its headings one level down
            out.append(f"<{group}>{e(block.text)}</{group}>")
            heading = "h3"
        elif block.kind == "heading":
            out.append(f"<{heading}>{e(block.text)}</{heading}>")
        else:
            out.append(f"<p>{e(block.text)}</p>")
    flush()
    return "".join(out)


# --------------------------------------------------------------------------- sections


def _cover(cover: R.Cover, sections: Sequence[str], briefs: int) -> str:
    facts = [("Effective date", cover.effective_date), ("Prepared by", cover.owner),
             ("Printed on", cover.printed_on), ("Status", cover.status),
             ("Team structure", cover.structure)]
    rows = "".join(_cells(e(label), e(value), classes=("label", ""))
                   for label, value in facts)
    listed = [R.SECTION_TITLES[s] for s in sections if s != R.SECTION_COVER]
    if briefs:
        listed.append(f"Client briefs ({briefs}, one page each)")
    contents = "".join(f'<p class="contents">{n}. {e(title)}</p>'
                       for n, title in enumerate(listed, start=1))
    # A paragraph's top margin counts only below another paragraph, hence the first one.
    return ('<p class="cover-space">&nbsp;</p>'
            f'<p class="studio">{e(cover.studio)}</p>'
            f'<p class="cover-title">{e(cover.plan)}</p>'
            '<p class="cover-sub">Transition plan: splitting the project manager’s job '
            "into an Account Manager and a Production Manager</p>"
            '<table class="facts" width="70%" cellspacing="0" style="margin-top: 24px">'
            f"<tbody>{rows}</tbody></table>"
            + (f'<p class="contents-title">In this plan</p>{contents}' if listed else ""))


def _summary(summary: R.Summary) -> str:
    figures = "".join(_cells(e(f.label), e(f.value), classes=("", "num"))
                      for f in summary.figures)
    out = [f"<h1>{R.SECTION_TITLES[R.SECTION_SUMMARY]}</h1>",
           f'<p class="lead">{e(summary.lead)}</p>',
           _table((("In figures", "78%"), ("", "22%")), [figures], "grid"),
           "<h2>Why</h2>", *(f"<p>{e(p)}</p>" for p in summary.why)]
    if summary.unplaced:
        out.append("<h2>Not placed yet</h2>")
        out.append(_table((("Client or project", "38%"), ("What is missing", "62%")),
                          (_cells(e(what), e(why)) for what, why in summary.unplaced)))
    if summary.schedule_note:
        out.append(f'<p class="note">{e(summary.schedule_note)}</p>')
    return "".join(out)


def _responsibilities(section: R.Responsibilities) -> str:
    rows: list[str] = []
    for label, duties in section.groups:
        rows.append(_group_row(label, 4))
        rows.extend(_cells(e(d.name), e(d.holder), e(d.account_manager),
                           e(d.production_manager), classes=("", "", "center", "center"))
                    for d in duties)
    legend = " · ".join(f"{letter}: {meaning}" for letter, meaning in RACI_MEANINGS.items())
    out = [f"<h1>{R.SECTION_TITLES[R.SECTION_RESPONSIBILITIES]}</h1>",
           f"<p>The plan sorts the studio’s recurring work into {e(section.balance)} "
           "responsibilities. Client-focused work goes to the Account Manager, "
           "project-focused work to the Production Manager; each keeps the other "
           "informed.</p>",
           _table((("Responsibility", "46%"), ("Held by", "26%"),
                   ("Account Manager", "14%", "center"),
                   ("Production Manager", "14%", "center")), rows),
           f'<p class="note">{e(legend)}</p>']
    structure = section.structure
    if structure is not None:
        width = max(8, 60 // max(1, len(structure.roles)))
        headers = [("Activity", f"{100 - width * len(structure.roles)}%")] + [
            (role, f"{width}%", "center") for role in structure.roles]
        body = (_cells(e(activity), *(e("/".join(cell)) for cell in cells),
                       classes=("", *("center",) * len(cells)))
                for activity, cells in zip(structure.activities, structure.cells,
                                           strict=True))
        out += [f"<h2>Team structure: {e(structure.name)}</h2>",
                f"<p>{e(structure.description)}</p>" if structure.description else "",
                _table(headers, body)]
    return "".join(out)


def _marked(name: str, new: bool) -> str:
    return f'{e(name)} <span class="new">(new)</span>' if new else e(name)


def _none() -> str:
    return '<span class="muted">—</span>'


def _roles(rows: Sequence[R.PersonRoles]) -> str:
    body = []
    for row in rows:
        who = f"<b>{e(row.person)}</b>"
        if row.title:
            who += f'<br><span class="muted">{e(row.title)}</span>'
        clients = "<br>".join(_marked(c, c in row.new_clients) for c in row.clients)
        projects = "<br>".join(
            f"<b>{e(client)}</b>: " + ", ".join(
                _marked(p, (client, p) in row.new_projects) for p in names)
            for client, names in row.projects)
        body.append(_cells(who + f"<br>{e(row.roles)}", clients or _none(),
                           projects or _none(),
                           "<br>".join(e(h) for h in row.handing_over) or _none()))
    intro = ("Each person’s managing roles once the plan takes effect, projects listed "
             "under their client. “(new)” marks what someone takes on; the last column "
             "shows what they hand over, and to whom.")
    if not rows:
        intro = "No one holds a managing role in this plan yet."
    return (f"<h1>{R.SECTION_TITLES[R.SECTION_ROLES]}</h1><p>{intro}</p>"
            + (_table((("Person", "18%"), ("Account Manager for", "22%"),
                       ("Production Manager for", "37%"), ("Hands over", "23%")), body)
               if rows else ""))


def _clients(rows: Sequence[R.ClientRow]) -> str:
    body = (_cells(f"<b>{e(r.client)}</b>", e(r.account_manager),
                   e(r.production_managers) or _none(),
                   e(r.previous), e(r.informs),
                   e(r.when) + (f'<br><span class="muted">{e(r.how)}</span>' if r.how
                                else ""),
                   e(r.status)) for r in rows)
    intro = ("For every client: the new Account Manager, who runs their projects "
             "(with the number of projects when someone runs several), who looked after "
             "them before, and who tells them about the change, when and how.")
    if not rows:
        return (f"<h1>{R.SECTION_TITLES[R.SECTION_CLIENTS]}</h1><p>No client has an "
                "Account Manager in this plan yet: it has no proposal.</p>")
    return (f"<h1>{R.SECTION_TITLES[R.SECTION_CLIENTS]}</h1><p>{intro}</p>"
            + _table((("Client", "20%"), ("Account Manager", "13%"),
                      ("Production Manager(s)", "22%"), ("Until now", "12%"),
                      ("Informs", "12%"), ("When", "12%"), ("Status", "9%")), body))


def _calendar(calendar: R.Calendar) -> str:
    out = [f"<h1>{R.SECTION_TITLES[R.SECTION_CALENDAR]}</h1>"]
    if calendar.handovers:
        out.append("<h2>Handover meetings</h2><p>Before a client meets a new Account "
                   "Manager, the person who knows the client hands it over and then "
                   "introduces the new one; projects changing hands are handed over "
                   "between the outgoing and the incoming Production Manager before the "
                   "change takes effect.</p>")
        out.append(_table((("Day", "12%"), ("Who", "24%"), ("What is handed over", "54%"),
                           ("Status", "10%")),
                          [_cells(e(h.day), f"<b>{e(h.who)}</b>", e(h.what), e(h.status))
                           for h in calendar.handovers]))
        if calendar.weeks:
            out.append("<h2>Client conversations</h2>")
    if calendar.weeks:
        out.append("<p>Every client hears about the change before it takes effect, the "
                   "most important first; where the Account Manager changes, the person "
                   "who knows the client hands it over first, then introduces the new "
                   "one in the conversation.</p>")
        rows: list[str] = []
        for week in calendar.weeks:
            rows.append(_group_row(week.title, 6))
            rows.extend(_cells(e(x.day), f"<b>{e(x.client)}</b>", e(x.informer),
                               e(x.channel), e(x.handover), e(x.status))
                        for x in week.entries)
        out.append(_table((("Day", "12%"), ("Client", "22%"), ("Who informs", "23%"),
                           ("How", "9%"), ("Handover first", "24%"), ("Status", "10%")),
                          rows))
    if calendar.unscheduled:
        out.append("<h2>Not scheduled</h2><p>" + e(", ".join(calendar.unscheduled)) + "</p>")
    if calendar.note:
        out.append(f'<p class="note">{e(calendar.note)}</p>')
    return "".join(out)


def _load(before: float, after: float, limit: float, over: bool, unit: str = "") -> str:
    def number(value: float) -> str:
        return f"{value:.0f}" if unit else f"{value:g}"

    text = (f"{number(after)}{unit}" if before == after
            else f"{number(before)} → {number(after)}{unit}")
    text = f"{e(text)} <span class=\"muted\">of {number(limit)}{unit}</span>"
    return f'<span class="over">{text}</span>' if over else text


def _capacity(rows: Sequence[R.CapacityRow]) -> tuple[str, list[ChartSpec]]:
    charts = [ChartSpec(f"chart:capacity-{n + 1}", tuple(rows[i:i + PEOPLE_PER_CHART]))
              for n, i in enumerate(range(0, len(rows), PEOPLE_PER_CHART))]
    out = [f"<h1>{R.SECTION_TITLES[R.SECTION_CAPACITY]}</h1>",
           "<p>Each person’s load before the change (grey) and after it (blue), against "
           "their own limits (the black marks); red means over a limit.</p>"]
    out += [f'<p><img src="{chart.name}" width="{CHART_WIDTH}" '
            f'height="{chart_height(len(chart.rows))}"></p>' for chart in charts]
    body = []
    for row in rows:
        b, a = row.before, row.after
        over = a.overloads
        body.append(_cells(
            f"<b>{e(row.person)}</b>",
            _load(b.active_projects, a.active_projects, a.max_active_projects,
                  a.active_projects > a.max_active_projects),
            _load(b.backburner_projects, a.backburner_projects, a.max_backburner_projects,
                  a.backburner_projects > a.max_backburner_projects),
            _load(b.clients, a.clients, a.max_clients, a.clients > a.max_clients),
            _load(round(b.allocated_hours), round(a.allocated_hours), a.weekly_hours,
                  a.allocated_hours > a.weekly_hours + 1e-9, " h"),
            f'<span class="over">{e("; ".join(over))}</span>' if over
            else '<span class="muted">within limits</span>'))
    if rows:
        out.append("<h2>In numbers</h2>")
        out.append(_table((("Person", "19%"), ("Active projects", "13%"),
                           ("Back-burner", "13%"), ("Clients", "13%"),
                           ("Hours a week", "17%"), ("After the change", "25%")), body))
    else:
        out.append("<p>No one is active in the workspace.</p>")
    return "".join(out), charts


def _talking_points_section(blocks: Sequence[R.TalkingPointsBlock]) -> str:
    return (f"<h1>{R.SECTION_TITLES[R.SECTION_TALKING_POINTS]}</h1>"
            "<p>What the clients hear, whoever tells them: for each outcome of the change, "
            "the words used for every client it is true for. The words in brackets are "
            "each client’s own; the client briefs have them filled in.</p>"
            + _talking_points(blocks, "h2"))


def _brief(brief: R.Brief, effective: str) -> str:
    facts = [("Who informs", brief.informer), ("How", brief.how or "—"),
             ("When", brief.when), ("Status", brief.status)]
    if brief.handover:
        facts.append(("Handover", brief.handover))
    if brief.contact:
        facts.append(("Client contact", " · ".join(brief.contact)))
    if brief.industry:
        facts.append(("Industry", brief.industry))
    facts_rows = "".join(_cells(e(label), e(value), classes=("label", ""))
                         for label, value in facts)
    roles = [_cells("Account Manager", "—", f"<b>{e(brief.account_manager)}</b>",
                    e(brief.previous_account_manager))]
    roles += [_cells("Production Manager", e(project), f"<b>{e(pm)}</b>", e(before))
              for project, pm, before in brief.projects]
    return (f'<h1>Brief: {e(brief.client)}</h1>'
            f'<table class="facts" width="100%" cellspacing="0"><tbody>{facts_rows}'
            "</tbody></table>"
            f"<h3>Roles from {e(effective)}</h3>"
            + _table((("Role", "22%"), ("Project", "34%"), ("From then", "22%"),
                      ("Until then", "22%")), roles)
            + "<h3>What to say</h3>"
            + _talking_points(brief.talking_points, "h3"))


def brief_chunks(briefs: Sequence[R.Brief]) -> list[Sequence[R.Brief]]:
    """The briefs in the groups :func:`plan_html` makes a document of each."""
    return [briefs[i:i + BRIEFS_PER_DOCUMENT]
            for i in range(0, len(briefs), BRIEFS_PER_DOCUMENT)]


def brief_html(brief: R.Brief, effective_date: str, *, compact: bool = False) -> str:
    """One client's brief as a document; ``compact`` sets it smaller, for a client with
    so many projects that the brief would not fit its page otherwise."""
    body = '<body class="compact">' if compact else "<body>"
    return f"<html>{body}{_brief(brief, effective_date)}</body></html>"


def plan_html(plan: R.PlanReport) -> PlanHtml:
    """The printed plan's sections as one HTML document, the charts it shows, and a
    document per client brief."""
    parts = ["<html><body>"]
    charts: list[ChartSpec] = []
    if plan.cover is not None:
        parts.append(_cover(plan.cover, plan.sections, len(plan.briefs)))
    if plan.summary is not None:
        parts.append(_summary(plan.summary))
    if plan.responsibilities is not None:
        parts.append(_responsibilities(plan.responsibilities))
    if plan.roles is not None:
        parts.append(_roles(plan.roles))
    if plan.clients is not None:
        parts.append(_clients(plan.clients))
    if plan.calendar is not None:
        parts.append(_calendar(plan.calendar))
    if plan.capacity is not None:
        text, charts = _capacity(plan.capacity)
        parts.append(text)
    if plan.talking_points is not None:
        parts.append(_talking_points_section(plan.talking_points))
    parts.append("</body></html>")
    briefs = tuple(
        "<html><body>" + "".join(_brief(b, plan.effective_date) for b in chunk)
        + "</body></html>" for chunk in brief_chunks(plan.briefs))
    return PlanHtml("".join(parts) if len(parts) > 2 else "", tuple(charts), briefs)
