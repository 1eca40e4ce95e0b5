"""The Health and Wellbeing Board paper as an accessible HTML document, to read on screen or
print to PDF.

It uses the annual report's Jinja2 environment, macros and stylesheet (``templates/report.css``)
with a few rules of its own (``templates/hwb.css``): one h1 (the paper's title), the cover as a
table of row headers, a section per h2, numbered paragraphs and real lists, no script.
"""

from __future__ import annotations

from safeguarding.reports.html import LANGUAGE, environment
from safeguarding.reports.hwb import BoardPaper
from safeguarding.reports.hwb_layout import layout


def board_paper_html(paper: BoardPaper, *, standalone: bool = True) -> str:
    """The paper as HTML: a whole document, or (``standalone=False``) only what goes inside the
    web app page's ``<main>``. The same document prints to PDF (``@media print`` rules)."""
    template = environment().get_template("hwb.html" if standalone else "hwb_content.html")
    return template.render(paper=paper, layout=layout(paper), language=LANGUAGE)
