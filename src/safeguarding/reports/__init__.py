"""Statutory annual reports and board papers from plain data: the report's content
(``annual``), the legal checklist, and HTML, PDF and DOCX output. Never imports Django: the web
app and the CLI turn records into these dataclasses."""
