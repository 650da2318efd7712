"""A plan as the rows of ``studio-desk plan export``; the command line writes the CSV."""

from __future__ import annotations

from sqlalchemy.orm import Session

from studio_desk.store.plans._common import _item_rows, _plan
from studio_desk.store.plans.schedule import _conversation_rows

#: Columns of ``studio-desk plan export`` (DESIGN §7), in order.
PLAN_EXPORT_COLUMNS = ("client", "project", "role", "person", "previous_person", "reason",
                       "inform_by", "inform_on")


def plan_rows_for_export(session: Session, plan_id: int) -> list[dict[str, str]]:
    """The plan as the ``plan export`` CSV rows (keys: :data:`PLAN_EXPORT_COLUMNS`).

    Per client: its Account Manager row (with who informs the client and when), then a
    Production Manager row per project. An unplaced row has an empty ``person`` and a
    ``reason`` naming the capacity that is missing. Cells are plain text; neutralising
    spreadsheet formulas is the CSV writer's job.
    """
    _plan(session, plan_id)
    informs = {c.client_id: c for c in _conversation_rows(session, plan_id)}
    rows = []
    for item in _item_rows(session, plan_id):
        is_client_row = item.project_id is None
        talk = informs.get(item.client_id) if is_client_row else None
        rows.append({
            "client": item.client,
            "project": item.project or "",
            "role": item.role,
            "person": item.person or "",
            "previous_person": item.previous_person or "",
            "reason": item.gap or item.reason,
            "inform_by": (talk.informer or "") if talk else "",
            "inform_on": talk.on_date.isoformat() if talk and talk.on_date else "",
        })
    return rows
