"""Gather what the printed plan is made from, in one read of the workspace.

``core.report`` turns :class:`~studio_desk.core.report.PlanFacts` into the content of
each section; this module fills those facts from ``store.plans`` and the records, so
the report code never sees a session or an ORM object.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from studio_desk.core import report
from studio_desk.core import schedule as sched
from studio_desk.core.errors import NotFoundError
from studio_desk.core.rows import ClientRow, PersonRow
from studio_desk.store import plans, records
from studio_desk.store.plans.schedule import plan_handovers


def studio_name(workspace_path: Path | str) -> str:
    """The studio's name as the printed plan shows it.

    There is no studio-name setting yet, so the workspace file's name stands for the
    studio (``Northwind Studio.studiodesk`` prints as “Northwind Studio”).
    """
    return Path(workspace_path).stem or "Our studio"


def plan_id_by_name(session: Session, name: str) -> int:
    """The id of the plan called ``name``, or a NotFoundError listing the plans there are."""
    plan = plans.find_plan(session, name)
    if plan is None:
        known = [p.name for p in plans.list_plans(session)]
        listed = (f"; the plans are: {', '.join(known[:8])}" if known
                  else "; the workspace has no plans yet")
        raise NotFoundError(f"There is no plan named “{name}”{listed}.")
    return plan.id


def gather_plan_facts(session: Session, plan_id: int, *, studio: str,
                      printed_on: dt.date | None = None) -> report.PlanFacts:
    """Everything the printed plan ``plan_id`` says, as plain values."""
    plan = plans.load_plan(session, plan_id)
    items = plans.plan_items(session, plan_id)
    talks = plans.plan_conversations(session, plan_id)
    before, after = plans.capacity_before_after(session, plan_id)
    template = (plans.get_template(session, plan.template_id).template
                if plan.template_id is not None else None)
    tell = plan.step("tell_clients")
    people = [r for r in records.list_rows(session, "person") if isinstance(r, PersonRow)]
    in_plan = {i.client for i in items}
    clients = [r for r in records.list_rows(session, "client")
               if isinstance(r, ClientRow) and r.name in in_plan]
    shortfall = dict((plan.proposal or {}).get("shortfall", {}) or {})
    return report.PlanFacts(
        studio=studio, plan=plan.name, status=plan.status,
        printed_on=printed_on or dt.date.today(), owner=plan.created_by,
        effective_date=plan.effective_date, template=template,
        items=tuple(report.ItemFact(
            role=i.role, client=i.client, project=i.project, person=i.person,
            previous_person=i.previous_person, reason=i.reason, gap=i.gap,
            overridden=i.overridden) for i in items),
        conversations=tuple(report.ConversationFact(
            client=c.client, informer=c.informer, channel=c.channel, on_date=c.on_date,
            status=c.status, talking_points=c.talking_points,
            handover_from=c.handover_from, handover_to=c.handover_to,
            handover_on=c.handover_on, introduces=c.introduces) for c in talks),
        handovers=tuple(report.HandoverFact(
            kind=h.kind, handover_from=h.handover_from, handover_to=h.handover_to,
            on_date=h.on_date, subjects=h.subjects, status=h.status)
            for h in plan_handovers(session, plan_id)),
        clients=tuple(report.ClientFact(
            name=c.name, industry=c.industry or "", contact_name=c.contact_name or "",
            contact_email=c.contact_email or "", contact_phone=c.contact_phone or "")
            for c in clients),
        people=tuple(report.PersonFact(p.name, p.title or "", p.active) for p in people),
        capacity_before=tuple(before), capacity_after=tuple(after),
        responsibilities=tuple(plans.responsibility_split(session, plan_id)),
        talking_points=tell.get("template") or sched.default_talking_points(),
        outcome_talking_points=_outcome_talking_points(tell),
        schedule_message=str(tell.get("message") or ""),
        shortfall={str(k): float(v) for k, v in shortfall.items()},
        advice=tuple(str(a) for a in (plan.proposal or {}).get("advice", []) or []))


def _outcome_talking_points(tell: dict[str, object]) -> tuple[tuple[str, str, int], ...]:
    """Each outcome some client of the schedule has, with its template and client count."""
    outcomes = tell.get("outcomes")
    if not isinstance(outcomes, dict) or not outcomes:
        return ()
    templates = tell.get("templates")
    templates = templates if isinstance(templates, dict) else {}
    found = []
    for outcome in sched.OUTCOMES:
        clients = sum(1 for o in outcomes.values() if o == outcome)
        if not clients:
            continue
        text = (tell.get("template") if outcome == sched.OUTCOME_NEW_ACCOUNT_MANAGER
                else templates.get(outcome))
        found.append((outcome, str(text or sched.default_template(outcome)), clients))
    return tuple(found)
