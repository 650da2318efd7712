"""The printed transition plan: typesetting with Qt, and the window's print actions.

* ``html``: the plan's content (``core.report``) as HTML for ``QTextDocument``;
* ``chart``: the capacity chart, painted into a picture;
* ``render``: layout, page breaks, footer; PDF, printer and preview painting;
* ``dialogs``: which plan and sections, the PDF file, the system print dialog;
* ``jobs``: File › Print plan…, Print preview…, Export PDF… for the main window
  (``PlanPrinting``; its methods take a plan id to preselect, for other pages to call).

The command line (``studio-desk plan print``) uses ``render`` without a window.
"""
