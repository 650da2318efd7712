"""A plan as the rows of ``studio-desk plan export``; the command line writes the CSV."""

from __future__ import annotations

from sqlalchemy.orm import Session

from studio_desk.store.plans._common import _item_rows, _plan
from studio_desk.store.plans.schedule import (
    HANDOVER_PROJECT,
    _conversation_rows,
    plan_handovers,
)

#: Columns of ``studio-desk plan export`` (DESIGN §7), in order. ``introduces`` is the
#: new Account Manager a joint conversation introduces; ``handover_on`` the day of the
#: handover meeting before it (or, on a project row, of the project handover).
PLAN_EXPORT_COLUMNS = ("client", "project", "role", "person", "previous_person", "reason",
                       "inform_by", "inform_on", "introduces", "handover_on")


def plan_rows_for_export(session: Session, plan_id: int) -> list[dict[str, str]]:
    """The plan as the ``plan export`` CSV rows (keys: :data:`PLAN_EXPORT_COLUMNS`).

    Per client: its Account Manager row (with who informs the client and when, whom they
    introduce and the handover before), then a Production Manager row per project (with
    the day of its handover when the manager changes). An unplaced row has an empty ``person`` and a
    ``reason`` naming the capacity that is missing. Cells are plain text; neutralising
    spreadsheet formulas is the CSV writer's job.
    """
    _plan(session, plan_id)
    informs = {c.client_id: c for c in _conversation_rows(session, plan_id)}
    # One project handover meeting per outgoing and incoming Production Manager.
    project_handover_on = {(h.handover_from, h.handover_to): h.on_date
                           for h in plan_handovers(session, plan_id)
                           if h.kind == HANDOVER_PROJECT}
    rows = []
    for item in _item_rows(session, plan_id):
        is_client_row = item.project_id is None
        talk = informs.get(item.client_id) if is_client_row else None
        introduces = (talk.handover_to or "") if talk and talk.handover_to \
            and talk.handover_to != talk.informer else ""
        if talk is not None:
            handover_on = talk.handover_on if talk.on_date else None
        elif item.previous_person and item.person:
            handover_on = project_handover_on.get((item.previous_person, item.person))
        else:
            handover_on = None
        rows.append({
            "client": item.client,
            "project": item.project or "",
            "role": item.role,
            "person": item.person or "",
            "previous_person": item.previous_person or "",
            "reason": item.gap or item.reason,
            "inform_by": (talk.informer or "") if talk else "",
            "inform_on": talk.on_date.isoformat() if talk and talk.on_date else "",
            "introduces": introduces,
            "handover_on": handover_on.isoformat() if handover_on else "",
        })
    return rows
