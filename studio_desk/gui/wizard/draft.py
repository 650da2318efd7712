"""The draft plan the wizard fills, and the page every step of the wizard is built on.

:class:`PlanDraft` holds the plan as this window last read it (its ``version`` is what
a save expects to find) and makes every change to it through ``store.plans``. Each
:class:`PlanPage` reads what was saved for its step when it is shown and writes its
step back as the user leaves it: forward (after the page validated itself), back, or by
closing the wizard. So whoever opens the workspace next resumes on the same page with
the same choices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget, QWizard, QWizardPage
from sqlalchemy.orm import Session

from studio_desk.core.errors import ConflictError, StudioDeskError
from studio_desk.gui.desk import Desk
from studio_desk.gui.messages import show_problem
from studio_desk.store import plans

T = TypeVar("T")
#: How often a proposal is worked out again when the plan changed while it was solved.
PROPOSAL_ATTEMPTS = 3


class PlanDraft(QObject):
    """The plan being worked on in one wizard window."""

    #: The plan row was read again (another page, another id, a new version).
    plan_changed = Signal(object)
    #: True while work on the plan runs off the GUI thread (the optimiser).
    busy_changed = Signal(bool)

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.plan: plans.PlanRow | None = None
        #: Set while the wizard walks forward to a saved page: pages then neither check
        #: nor save themselves, they only show what was saved.
        self.resuming = False
        #: Set while the wizard closes: Qt then cleans every page up as if going back,
        #: which must not move the place to resume.
        self.closing = False
        #: The wizard has closed: work finishing in the background has no page to show.
        self.closed = False
        #: Where a problem met while the wizard closes is shown (its page is going away).
        self.closing_parent: QWidget | None = None
        self.busy = False

    @property
    def id(self) -> int:
        if self.plan is None:
            raise RuntimeError("no plan chosen yet")
        return self.plan.id

    @property
    def is_draft(self) -> bool:
        return self.plan is not None and self.plan.status == plans.STATUS_DRAFT

    def _set_plan(self, plan: plans.PlanRow, *, written: bool = False) -> None:
        self.plan = plan
        self.plan_changed.emit(plan)
        if written:
            # Other views of the window (the Plans page) show the plan as it is now.
            self.desk.row_saved.emit("plan", plan)

    def open(self, plan_id: int) -> plans.PlanRow:
        """Work on the plan with ``plan_id`` from now on."""
        self._set_plan(self.desk.read_now(lambda s: plans.load_plan(s, plan_id)))
        assert self.plan is not None
        return self.plan

    def reload(self) -> plans.PlanRow:
        return self.open(self.id)

    def adopt(self, plan: plans.PlanRow) -> None:
        """Work on ``plan``, just made by the caller."""
        self._set_plan(plan, written=True)

    def read(self, work: Callable[[Session, int], T]) -> T:
        """A short read about this plan, on the GUI thread."""
        plan_id = self.id
        return self.desk.read_now(lambda s: work(s, plan_id))

    def write(self, work: Callable[[Session, int], T]) -> T:
        """A change to this plan; the plan row is read again in the same transaction,
        so the next save expects the version this change made."""
        plan_id = self.id

        def job(session: Session) -> tuple[T, plans.PlanRow]:
            result = work(session, plan_id)
            return result, plans.load_plan(session, plan_id)

        result, plan = self.desk.write_now(job)
        self._set_plan(plan, written=True)
        return result

    def write_in_background(self, work: Callable[[Session, int], T],
                            done: Callable[[T], None],
                            failed: Callable[[StudioDeskError], None]) -> None:
        """A slow change to this plan, run off the GUI thread by the desk's task runner;
        ``done`` or ``failed`` follows on the GUI thread."""
        plan_id = self.id
        workspace = self.desk.workspace

        def job() -> tuple[T, plans.PlanRow]:
            with workspace.write() as session:
                result = work(session, plan_id)
                return result, plans.load_plan(session, plan_id)

        self._in_background(job, done, failed)

    def propose_in_background(self, done: Callable[[plans.PlanProposal], None],
                              failed: Callable[[StudioDeskError], None], *,
                              first: Callable[[Session, int], object] | None = None
                              ) -> None:
        """Propose this plan again off the GUI thread, holding no lock while the
        optimiser works (``plans.propose_in_workspace``): the inputs are read in one
        read transaction and the result saved in a short write, which is refused if the
        plan changed meanwhile; the proposal is then worked out again from the plan as
        it is now (up to :data:`PROPOSAL_ATTEMPTS` times in all, then a ConflictError
        for ``failed``). ``first``, if given, is a small change made in its own short
        write before (handing a row back to the proposal). The plan is then read again
        in a short read."""
        plan_id = self.id
        workspace = self.desk.workspace

        def job() -> tuple[plans.PlanProposal, plans.PlanRow]:
            if first is not None:
                with workspace.write() as session:
                    first(session, plan_id)
            for attempt in range(1, PROPOSAL_ATTEMPTS + 1):
                try:
                    proposal = plans.propose_in_workspace(workspace, plan_id)
                    break
                except ConflictError:
                    # The plan changed while the optimiser worked (a page saved as the
                    # wizard closed, a colleague's choice): work it out again from the
                    # plan as it is now, so no one's change is lost.
                    if attempt == PROPOSAL_ATTEMPTS:
                        raise
            with workspace.read() as session:
                return proposal, plans.load_plan(session, plan_id)

        self._in_background(job, done, failed)

    def _in_background(self, job: Callable[[], tuple[T, plans.PlanRow]],
                       done: Callable[[T], None],
                       failed: Callable[[StudioDeskError], None]) -> None:
        """Run ``job`` (which returns its result and the plan as it left it) on the
        desk's task runner, the draft busy meanwhile; ``done`` or ``failed`` follows on
        the GUI thread unless the wizard has closed."""
        def finished(outcome: tuple[T, plans.PlanRow]) -> None:
            if self.closed:
                return
            self._set_busy(False)
            result, plan = outcome
            if self.plan is not None and plan.id == self.plan.id:
                self._set_plan(plan, written=True)
            done(result)

        def went_wrong(error: StudioDeskError) -> None:
            if self.closed:
                return
            self._set_busy(False)
            failed(error)

        self._set_busy(True)
        try:
            self.desk.runner.run(job, finished, went_wrong)
        except BaseException:
            self._set_busy(False)
            raise

    def problem_parent(self, page: QWidget) -> QWidget | None:
        """Where ``page`` shows a problem: on itself, or while the wizard closes, on the
        window it was opened from."""
        return self.closing_parent if self.closing_parent is not None else page

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def save_step(self, step: str, data: dict[str, Any], current_step: str) -> None:
        """Store one page's data and the page the wizard is on.

        A colleague's save of the same page since this window read the plan is a
        conflict: the message says so, and the plan as they left it becomes the one this
        window expects, so saving again keeps this page's choices.
        """
        plan_id, expected = self.id, self.plan.version if self.plan else None
        try:
            plan = self.desk.write_now(lambda s: plans.save_step(
                s, plan_id, step, data, current_step, expected_version=expected))
        except ConflictError as exc:
            if isinstance(exc.theirs, plans.PlanRow):
                self._set_plan(exc.theirs)
            raise ConflictError(f"{exc} Go on again to keep your choices on this page "
                                "instead of theirs.", theirs=exc.theirs,
                                mine=exc.mine) from exc
        self._set_plan(plan, written=True)


class PlanPage(QWizardPage):
    """A page of the wizard that shows and saves one step of the draft plan."""

    #: The step's key in ``store.plans.WIZARD_STEPS``.
    step: ClassVar[str] = ""
    heading: ClassVar[str] = ""
    explanation: ClassVar[str] = ""

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.setObjectName(f"{self.step}_page")
        self.setTitle(self.heading)
        self.setSubTitle(self.explanation)
        self.setAccessibleName(self.heading)

    # What each page provides ------------------------------------------------------------

    def load(self) -> None:
        """Show what the draft holds for this step (called each time the page is entered
        going forward)."""

    def step_data(self) -> dict[str, Any]:
        """What is saved for this step as the user leaves the page."""
        return {}

    def problem(self) -> str | None:
        """Why the page cannot be left going forward yet, in a sentence (None: it can)."""
        return None

    def before_saving(self) -> bool:
        """Write anything still being edited on the page (a text being typed); False
        when that failed (the page has said why)."""
        return True

    # Where the wizard goes --------------------------------------------------------------

    @property
    def next_step(self) -> str:
        position = plans.WIZARD_STEPS.index(self.step)
        return plans.WIZARD_STEPS[min(position + 1, len(plans.WIZARD_STEPS) - 1)]

    def transition_wizard(self) -> QWizard:
        wizard = self.wizard()
        assert wizard is not None
        return wizard

    # Qt's hooks -------------------------------------------------------------------------

    def initializePage(self) -> None:
        """Show the draft's data for this step."""
        if self.draft.plan is not None:
            self.load()

    def validatePage(self) -> bool:
        """Check the page, then save it with the next page as where the wizard is."""
        if self.draft.resuming:
            return True
        if self.draft.busy:
            show_problem(self, "Studio Desk is still working on the plan; wait a moment and "
                               "go on again.")
            return False
        text = self.problem()
        if text:
            show_problem(self, text)
            return False
        return self.save(self.next_step)

    def cleanupPage(self) -> None:
        """Going back: keep this page's choices. The place to resume stays where it was
        (the furthest page reached, or where the wizard was closed), so stepping back to
        look, or to switch to another plan, does not move it."""
        if not self.draft.resuming and not self.draft.closing and self.draft.plan:
            self.save(self.draft.plan.current_step)

    def save(self, current_step: str) -> bool:
        """Save this page's step (the wizard being on ``current_step``); a problem is
        shown in a sentence and nothing typed is lost."""
        if self.draft.plan is None or not self.draft.is_draft:
            return True
        if not self.before_saving():
            return False
        try:
            self.draft.save_step(self.step, self.step_data(), current_step)
        except StudioDeskError as exc:
            show_problem(self.draft.problem_parent(self), str(exc))
            return False
        return True
