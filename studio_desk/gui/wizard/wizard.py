"""The transition wizard: seven pages that split the project manager's job in two.

A small team walks through it over several days. Every page saves its step into a draft
plan in the workspace (``store.plans.save_step``), so when the wizard is opened again, by
the same person after closing the app or by a colleague on the same workspace, it
resumes on the page where the team stopped with the choices made so far.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget, QWizard

from studio_desk.gui.desk import Desk
from studio_desk.gui.wizard.assign import AssignPage
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.inventory import InventoryPage
from studio_desk.gui.wizard.people import PeoplePage
from studio_desk.gui.wizard.review import ReviewPage
from studio_desk.gui.wizard.start import StartPage
from studio_desk.gui.wizard.tell import TellPage
from studio_desk.gui.wizard.work import WorkPage
from studio_desk.store import plans

#: The pages in order, one per step of ``store.plans.WIZARD_STEPS``.
PAGES: tuple[type[PlanPage], ...] = (StartPage, WorkPage, PeoplePage, InventoryPage,
                                     AssignPage, TellPage, ReviewPage)

DEFAULT_SIZE = (1100, 750)


class TransitionWizard(QWizard):
    """The wizard on one workspace; opens on the latest draft's saved page, if any."""

    def __init__(self, desk: Desk, plan_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transition_wizard")
        self.setWindowTitle("Transition wizard")
        self.setAccessibleName("Transition wizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        # Plan and people names go into titles: never read them as markup.
        self.setTitleFormat(Qt.TextFormat.PlainText)
        self.setSubTitleFormat(Qt.TextFormat.PlainText)
        self.setOption(QWizard.WizardOption.NoDefaultButton, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        # Every page is saved as it is left, so closing loses nothing: say so.
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Done")
        self.button(QWizard.WizardButton.CancelButton).setToolTip(
            "Close the wizard; every page is kept, and it opens here again next time")
        self.desk = desk
        self.draft = PlanDraft(desk, self)
        self.draft.plan_changed.connect(self._show_plan_name)
        for position, (step, page_type) in enumerate(zip(plans.WIZARD_STEPS, PAGES,
                                                         strict=True)):
            assert page_type.step == step, (page_type, step)
            self.setPage(position, page_type(self.draft, self))
        self.resize(*DEFAULT_SIZE)
        self._closing = False

        self.currentIdChanged.connect(self._page_shown)
        chosen = plan_id if plan_id is not None else self._latest_draft()
        if chosen is not None:
            self.draft.open(chosen)
        self.restart()
        if self.draft.plan is not None:
            self.go_to_step(self.draft.plan.current_step)

    def _latest_draft(self) -> int | None:
        drafts = [p for p in self.desk.read_now(plans.list_plans)
                  if p.status == plans.STATUS_DRAFT]
        if not drafts:
            return None
        return max(drafts, key=lambda p: (p.updated_at, p.id)).id

    def page_for(self, step: str) -> PlanPage:
        """The page of ``step`` (a key of ``store.plans.WIZARD_STEPS``)."""
        page = self.page(plans.WIZARD_STEPS.index(step))
        assert isinstance(page, PlanPage)
        return page

    def current_step(self) -> str:
        return plans.WIZARD_STEPS[max(self.currentId(), 0)]

    def go_to_step(self, step: str) -> None:
        """Walk forward to ``step`` showing each page's saved data, without checking or
        saving anything (resuming a draft)."""
        target = plans.WIZARD_STEPS.index(step) if step in plans.WIZARD_STEPS else 0
        self.draft.resuming = True
        try:
            while self.currentId() < target:
                before = self.currentId()
                self.next()
                if self.currentId() == before:
                    break
        finally:
            self.draft.resuming = False

    def resume_later(self, step: str) -> None:
        """Go to ``step`` once the page change under way has finished."""
        QTimer.singleShot(0, self, lambda: self.go_to_step(step))

    def _page_shown(self, page_id: int) -> None:
        # Qt prepares a page only when it is reached going forward; the first page is
        # reached again going back, and must then offer the plan made meanwhile.
        if page_id == 0 and self.draft.plan is not None:
            self.page_for(plans.WIZARD_STEPS[0]).load()

    def _show_plan_name(self, plan: plans.PlanRow) -> None:
        self.setWindowTitle(f"Transition wizard — {plan.name}")

    # Closing ----------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing keeps the page shown: its choices, and that the team stopped here."""
        if result != int(QWizard.DialogCode.Accepted):
            self.save_here()
        self._closing = self.draft.closing = True
        try:
            super().done(result)
        finally:
            self.draft.closing = False
        if self.isVisible():  # Done refused: the last page did not validate
            self._closing = False
        else:
            # A proposal still being worked out is stored when it is done; nobody is
            # left to show it.
            self.draft.closed = True

    def save_here(self) -> None:
        """Save the page shown as the place to resume (closing the wizard, which the
        main window does before it closes the workspace)."""
        if self._closing or self.draft.plan is None or self.currentId() < 0:
            return
        page = self.currentPage()
        if isinstance(page, PlanPage) and page.step != plans.WIZARD_STEPS[0]:
            self.draft.closing_parent = self.parentWidget()
            try:
                page.save(page.step)
            finally:
                self.draft.closing_parent = None
