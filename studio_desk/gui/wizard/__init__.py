"""The transition wizard: a window of seven pages that splits the project manager's job
into an Account Manager and a Production Manager (see ``wizard.py``)."""

from studio_desk.gui.wizard.wizard import PAGES, TransitionWizard

__all__ = ["PAGES", "TransitionWizard"]
