"""Transition plans, the responsibility catalog and team templates: service functions.

Each function takes the caller's session first and never commits (``with
workspace.write() as s:``); each returns frozen rows, never ORM objects. Callers import
this package, not its modules: ``from studio_desk.store import plans``, then
``plans.propose_plan(s, plan_id)``.

A plan's life
-------------
1. :func:`create_plan` makes a *draft*; the wizard saves each page with
   :func:`save_step`, so anyone opening the workspace later resumes on the same page
   (:func:`load_plan`).
2. :func:`propose_plan` runs the optimiser on the workspace as it is now and stores one
   plan item per client (Account Manager) and per active or back-burner project
   (Production Manager). :func:`override_item` pins a row to a person of the user's
   choice; the next proposal keeps pins and fits everything else around them.
3. :func:`schedule_plan` spreads the client conversations before the effective date
   (rules in ``core.schedule``).
4. :func:`apply_plan` makes the plan's assignments current from the effective date and
   the plan becomes *applied*; it then serves as a checklist
   (:func:`set_conversation_status`, :func:`plan_progress`) and is *done* once every
   client conversation is settled.

Which module does what
----------------------
* ``state``: plans and the wizard's saved pages (list, load, find, create, copy, update,
  rename, delete; :func:`save_step`); what each step saves, and how two people's saves
  of one plan meet.
* ``catalog``: the responsibility catalog and the team templates.
* ``proposal``: proposing who takes which role (the adapter to ``core.optimizer``), the
  people step, choosing a row by hand, and capacity before and after the plan.
* ``schedule``: the client conversations, and the checklist they make once applied.
* ``apply``: applying a plan, and how the assignment history is kept.
* ``export``: the rows of ``studio-desk plan export``.
* ``compare``: two plans side by side (``studio-desk plan compare``).
* ``review``: an applied plan's review date and how the studio moved since it
  (``studio-desk plan review``, the dashboard's reminder).
* ``_common``: what they share: :class:`PlanRow`, :class:`PlanItemRow`, the leaning and
  status constants, and helpers such as finding a plan or flushing a save.
"""

from studio_desk.store.plans._common import (
    LEANING_AM,
    LEANING_BOTH,
    LEANING_NEITHER,
    LEANING_PM,
    LEANINGS,
    STATUS_APPLIED,
    STATUS_DONE,
    STATUS_DRAFT,
    PlanItemRow,
    PlanRow,
)
from studio_desk.store.plans.apply import AppliedPlan, apply_plan
from studio_desk.store.plans.catalog import (
    ResponsibilityRow,
    TemplateRow,
    add_responsibility,
    copy_template,
    delete_responsibility,
    delete_template,
    get_template,
    list_responsibilities,
    list_templates,
    order_responsibilities,
    responsibility_balance,
    responsibility_split,
    restore_responsibility,
    save_template,
    update_responsibility,
)
from studio_desk.store.plans.compare import (
    PLAN_COMPARE_COLUMNS,
    CapacityPair,
    ComparedRow,
    PlanComparison,
    PlanSide,
    compare_plans,
    comparison_rows_for_csv,
)
from studio_desk.store.plans.export import PLAN_EXPORT_COLUMNS, plan_rows_for_export
from studio_desk.store.plans.proposal import (
    KEEP_PREVIOUS,
    PlanProposal,
    ProposalInputs,
    capacity_before_after,
    confirm_people,
    current_account_managers,
    leanings_in_force,
    override_item,
    override_items,
    plan_items,
    propose_in_workspace,
    propose_plan,
    read_proposal_inputs,
    release_override,
    restore_items,
    save_proposal,
    solve_proposal,
    unpin_item,
)
from studio_desk.store.plans.review import (
    REVIEW_MONTHS,
    Holdings,
    PlanReview,
    ReviewedPerson,
    ReviewedRole,
    add_months,
    plan_review,
    plans_due_for_review,
    review_date,
    set_review_date,
)
from studio_desk.store.plans.schedule import (
    CONVERSATION_STATUSES,
    HANDOVER_CLIENT,
    HANDOVER_PROJECT,
    ConversationRow,
    HandoverRow,
    PlanSchedule,
    plan_conversations,
    plan_handovers,
    plan_progress,
    schedule_plan,
    set_conversation_status,
    set_handover_status,
    studio_days_off,
    update_conversation,
)
from studio_desk.store.plans.state import (
    WIZARD_STEPS,
    copy_plan,
    create_plan,
    delete_plan,
    find_plan,
    list_plans,
    load_plan,
    rename_plan,
    save_step,
    update_plan,
)

__all__ = [
    "CONVERSATION_STATUSES",
    "HANDOVER_CLIENT",
    "HANDOVER_PROJECT",
    "KEEP_PREVIOUS",
    "LEANINGS",
    "LEANING_AM",
    "LEANING_BOTH",
    "LEANING_NEITHER",
    "LEANING_PM",
    "PLAN_COMPARE_COLUMNS",
    "PLAN_EXPORT_COLUMNS",
    "REVIEW_MONTHS",
    "STATUS_APPLIED",
    "STATUS_DONE",
    "STATUS_DRAFT",
    "WIZARD_STEPS",
    "AppliedPlan",
    "CapacityPair",
    "ComparedRow",
    "ConversationRow",
    "HandoverRow",
    "Holdings",
    "PlanComparison",
    "PlanItemRow",
    "PlanProposal",
    "PlanReview",
    "PlanRow",
    "PlanSchedule",
    "PlanSide",
    "ProposalInputs",
    "ResponsibilityRow",
    "ReviewedPerson",
    "ReviewedRole",
    "TemplateRow",
    "add_months",
    "add_responsibility",
    "apply_plan",
    "capacity_before_after",
    "compare_plans",
    "comparison_rows_for_csv",
    "confirm_people",
    "copy_plan",
    "copy_template",
    "create_plan",
    "current_account_managers",
    "delete_plan",
    "delete_responsibility",
    "delete_template",
    "find_plan",
    "get_template",
    "leanings_in_force",
    "list_plans",
    "list_responsibilities",
    "list_templates",
    "load_plan",
    "order_responsibilities",
    "override_item",
    "override_items",
    "plan_conversations",
    "plan_handovers",
    "plan_items",
    "plan_progress",
    "plan_review",
    "plan_rows_for_export",
    "plans_due_for_review",
    "propose_in_workspace",
    "propose_plan",
    "read_proposal_inputs",
    "release_override",
    "rename_plan",
    "responsibility_balance",
    "responsibility_split",
    "review_date",
    "restore_items",
    "restore_responsibility",
    "save_proposal",
    "save_step",
    "save_template",
    "schedule_plan",
    "set_conversation_status",
    "set_handover_status",
    "studio_days_off",
    "set_review_date",
    "solve_proposal",
    "unpin_item",
    "update_conversation",
    "update_plan",
    "update_responsibility",
]
